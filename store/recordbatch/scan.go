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

// ScanPlain walks count uncompressed records in one pass: offset deltas
// running 0, 1, 2, ..., every record well formed by every check NextInfo
// makes, nothing after the last record. It reports ok only for such a
// batch; for anything else the caller walks the batch record by record
// for the exact verdict and message. It exists because this loop runs
// once per produced record, and NextInfo costs a few calls per field
// where the one- and two-byte varints of small records inline here.
func ScanPlain(data []byte, count int32) (s PlainSummary, ok bool) {
	if count <= 0 {
		return s, false
	}
	s.MinTimestampDelta, s.MaxTimestampDelta = math.MaxInt64, math.MinInt64
	pos := 0
	for idx := range count {
		end, info, ok := scanShort(data, pos)
		if !ok {
			end, info, ok = scanRecord(data, pos)
		}
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

// scanShort is scanRecord's fast path for the records small producers
// send most: a length and every field a one- or two-byte varint (the
// offset delta up to three bytes), no headers. It runs once per record
// of every produced batch, so its checks are written out in one function,
// where scanRecord's field and skipField are calls the compiler does not
// inline. It reports ok only for a record scanRecord accepts with the
// same info; for anything else (a longer varint, headers, a bad length)
// ScanPlain asks scanRecord, which decides.
func scanShort(data []byte, pos int) (end int, info RecordInfo, ok bool) {
	n, i := shortVarint(data, pos)
	if i < 0 || n < 1 || n > int64(len(data)-i) {
		return 0, info, false
	}
	end = i + int(n)
	rec := data[:end]
	i++ // the attributes byte, which may hold any value
	ts, i := shortVarint(rec, i)
	if i < 0 {
		return 0, info, false
	}
	off, j := shortVarint(rec, i)
	if j < 0 {
		off, j = threeByteVarint(rec, i)
	}
	if i = j; i < 0 {
		return 0, info, false
	}
	key, i := shortVarint(rec, i)
	if i < 0 || key < -1 || key > int64(end-i) {
		return 0, info, false
	}
	i += int(max(key, 0))
	value, i := shortVarint(rec, i)
	if i < 0 || value < -1 || value > int64(end-i) {
		return 0, info, false
	}
	i += int(max(value, 0))
	if i != end-1 || rec[i] != 0 { // the header count: zero, and last
		return 0, info, false
	}
	return end, RecordInfo{TimestampDelta: ts, OffsetDelta: int32(off), KeyLen: int32(key), ValueLen: int32(value)}, true
}

// scanRecord reads the record, length prefix included, that starts at
// pos, returning where it ends. It accepts what checkRecord accepts; ok is
// false for a record it refuses.
func scanRecord(data []byte, pos int) (end int, info RecordInfo, ok bool) {
	n, body := shortVarint(data, pos)
	if body < 0 {
		n, body = varint64(data, pos)
	}
	if body < 0 || n < 1 || n > int64(len(data)-body) {
		return 0, info, false
	}
	end = body + int(n)
	rec := data[body:end]
	// rec[0] is the attributes byte, which may hold any value.
	v, i := shortVarint(rec, 1)
	if i < 0 {
		v, i = varint64(rec, 1)
	}
	info.TimestampDelta = v
	if v, i = field(rec, i); i < 0 || v != int64(int32(v)) {
		return 0, info, false
	}
	info.OffsetDelta = int32(v)
	if v, i = skipField(rec, i); i < 0 {
		return 0, info, false
	}
	info.KeyLen = int32(v)
	if v, i = skipField(rec, i); i < 0 {
		return 0, info, false
	}
	info.ValueLen = int32(v)
	var headers int64
	if headers, i = field(rec, i); i < 0 || headers < 0 || headers > int64((len(rec)-i)/2) {
		return 0, info, false
	}
	for range headers {
		if v, i = skipField(rec, i); i < 0 || v < 0 {
			return 0, info, false // a null header key
		}
		if _, i = skipField(rec, i); i < 0 {
			return 0, info, false
		}
	}
	return end, info, i == len(rec)
}

// field reads the varint at i when i is an index (not -1): shortVarint for
// the common one or two bytes, inlined, varint64 for longer ones.
func field(b []byte, i int) (int64, int) {
	if i < 0 {
		return 0, -1
	}
	v, next := shortVarint(b, i)
	if next < 0 {
		return varint64(b, i)
	}
	return v, next
}

// shortVarint reads a zig-zag varint of one or two bytes at i, returning
// it and the index after it; the index is -1 for a longer varint or one
// cut short. It inlines, and the callers read a longer varint with
// varint64 when it reports -1.
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

// threeByteVarint reads a zig-zag varint of exactly three bytes at i,
// or reports -1. scanShort reads offset deltas with it when
// shortVarint refuses: a batch of 1 MB holds about 10,000 records of
// 100 B, and every offset delta from 8,192 on takes a third byte.
func threeByteVarint(b []byte, i int) (int64, int) {
	if i < 0 || uint(i+2) >= uint(len(b)) || b[i] < 0x80 || b[i+1] < 0x80 || b[i+2] >= 0x80 {
		return 0, -1
	}
	u := uint64(b[i]&0x7f) | uint64(b[i+1]&0x7f)<<7 | uint64(b[i+2])<<14
	return int64(u>>1) ^ -int64(u&1), i + 3
}

// skipField reads a length at i and steps over that many bytes; -1 is
// null and takes none. The index is -1 for a length out of range or past
// the end.
func skipField(b []byte, i int) (int64, int) {
	n, i := field(b, i)
	if i < 0 || n < -1 || n > int64(len(b)-i) {
		return 0, -1
	}
	if n > 0 {
		i += int(n)
	}
	return n, i
}
