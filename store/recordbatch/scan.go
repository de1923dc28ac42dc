package recordbatch

import "math"

// PlainSummary is what a validating leader needs of all the records of
// one uncompressed batch at once: the range of their timestamp deltas,
// which record first holds the largest, and whether any key is null.
type PlainSummary struct {
	MinTimestampDelta int64
	MaxTimestampDelta int64
	MaxTimestampIndex int32 // the first record whose delta is MaxTimestampDelta
	NullKey           bool
}

// ScanPlain walks count uncompressed records in one pass, for the common
// batch: every varint of one or two bytes (all fields of records up to
// about 8 KiB), offset deltas running 0, 1, 2, ..., nothing after the last
// record. It reports ok only when the batch is well formed by every check
// NextInfo makes; anything else, malformed or merely unusual (a longer
// varint), is not ok, and the caller walks the batch record by record for
// the exact verdict and message. It exists because this loop runs once
// per produced record and a record walk through NextInfo costs a few
// calls per field.
func ScanPlain(data []byte, count int32) (s PlainSummary, ok bool) {
	if count <= 0 {
		return s, false
	}
	s.MinTimestampDelta, s.MaxTimestampDelta = math.MaxInt64, math.MinInt64
	pos := 0
	for idx := range count {
		end, info, ok := scanShortRecord(data, pos)
		if !ok || info.OffsetDelta != idx {
			return s, false
		}
		pos = end
		s.NullKey = s.NullKey || info.KeyLen < 0
		if info.TimestampDelta < s.MinTimestampDelta {
			s.MinTimestampDelta = info.TimestampDelta
		}
		if info.TimestampDelta > s.MaxTimestampDelta {
			s.MaxTimestampDelta, s.MaxTimestampIndex = info.TimestampDelta, idx
		}
	}
	return s, pos == len(data)
}

// scanShortRecord reads the record, length prefix included, that starts at
// pos, returning where it ends. Only records whose varints all take one or
// two bytes are read; ok is false for any other, well formed or not.
func scanShortRecord(data []byte, pos int) (end int, info RecordInfo, ok bool) {
	n, body := shortVarint(data, pos)
	if body < 0 || n < 1 || n > int64(len(data)-body) {
		return 0, info, false
	}
	end = body + int(n)
	rec := data[body:end]
	var i int
	// rec[0] is the attributes byte, which may hold any value.
	if info.TimestampDelta, i = shortVarint(rec, 1); i < 0 {
		return 0, info, false
	}
	var v int64
	if v, i = shortVarint(rec, i); i < 0 {
		return 0, info, false
	}
	info.OffsetDelta = int32(v) // two bytes cannot leave int32
	if v, i = skipShortBytes(rec, i); i < 0 {
		return 0, info, false
	}
	info.KeyLen = int32(v)
	if v, i = skipShortBytes(rec, i); i < 0 {
		return 0, info, false
	}
	info.ValueLen = int32(v)
	var headers int64
	if headers, i = shortVarint(rec, i); i < 0 || headers < 0 {
		return 0, info, false
	}
	for range headers {
		if v, i = skipShortBytes(rec, i); i < 0 || v < 0 {
			return 0, info, false // a null header key
		}
		if _, i = skipShortBytes(rec, i); i < 0 {
			return 0, info, false
		}
	}
	return end, info, i == len(rec)
}

// shortVarint reads a zig-zag varint of one or two bytes at i, returning
// it and the index after it; the index is -1 for a longer varint or one
// cut short.
func shortVarint(b []byte, i int) (int64, int) {
	if uint(i) >= uint(len(b)) {
		return 0, -1
	}
	u, next := uint64(b[i]), i+1
	if u >= 0x80 {
		if uint(next) >= uint(len(b)) || b[next] >= 0x80 {
			return 0, -1
		}
		u = u&0x7f | uint64(b[next])<<7
		next++
	}
	return int64(u>>1) ^ -int64(u&1), next
}

// skipShortBytes reads a length of one or two bytes at i and steps over
// that many bytes; -1 is null and takes none. The index is -1 for a
// length out of range or past the end.
func skipShortBytes(b []byte, i int) (int64, int) {
	n, i := shortVarint(b, i)
	if i < 0 || n < -1 || n > int64(len(b)-i) {
		return 0, -1
	}
	if n > 0 {
		i += int(n)
	}
	return n, i
}
