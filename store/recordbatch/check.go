package recordbatch

import (
	"encoding/binary"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// RecordInfo is what a validating reader needs of one record: the fields
// a broker judges, without the record's slices.
type RecordInfo struct {
	TimestampDelta int64
	OffsetDelta    int32
	KeyLen         int32 // -1: a null key
	ValueLen       int32 // -1: a null value
}

// NextInfo is Next for a reader that only judges records: it walks the
// next record's encoding with every check Next makes (varints in range,
// lengths inside the record, header keys not null, fields filling the
// declared length exactly) but materialises nothing. A record the walk
// refuses is decoded by Next's decoder, so the error is the one Next
// returns. Raw is the record's encoding afterwards.
func (it *Records) NextInfo() (RecordInfo, error) {
	raw, err := it.nextRaw()
	if err != nil {
		return RecordInfo{}, err
	}
	it.raw = raw
	if info, ok := checkRecord(raw); ok {
		return info, nil
	}
	// The walk and the decoder accept the same records (FuzzCheckRecord);
	// should they ever differ, the decoder decides.
	if err := decodeRecord(raw, &it.rec); err != nil {
		return RecordInfo{}, err
	}
	return infoOf(&it.rec), nil
}

// checkRecord walks one whole record, length prefix included, accepting
// exactly what decodeRecord accepts. It is one flat function over an
// index, with single-byte varints (every length and delta of a small
// record) read inline, because it runs once per produced record.
func checkRecord(raw []byte) (RecordInfo, bool) {
	var info RecordInfo
	length, i := varint32(raw, 0)
	if i < 0 || length < 0 || int(length) != len(raw)-i {
		return info, false
	}
	if i >= len(raw) {
		return info, false // no attributes byte
	}
	i++ // attributes: any value
	var ts int64
	if ts, i = varint64(raw, i); i < 0 {
		return info, false
	}
	info.TimestampDelta = ts
	if info.OffsetDelta, i = varint32(raw, i); i < 0 {
		return info, false
	}
	if info.KeyLen, i = skipBytes(raw, i); i < 0 {
		return info, false
	}
	if info.ValueLen, i = skipBytes(raw, i); i < 0 {
		return info, false
	}
	var headers int32
	if headers, i = varint32(raw, i); i < 0 || headers < 0 || int64(headers) > int64((len(raw)-i)/2) {
		return info, false
	}
	for range headers {
		var k int32
		if k, i = skipBytes(raw, i); i < 0 || k < 0 {
			return info, false // a null header key
		}
		if _, i = skipBytes(raw, i); i < 0 {
			return info, false
		}
	}
	return info, i == len(raw)
}

// skipBytes reads a varint length at i and steps over that many bytes;
// length -1 is null and takes none. It returns the length and the index
// after the field, or -1 for a length out of range or past the end.
func skipBytes(b []byte, i int) (int32, int) {
	n, i := varint32(b, i)
	if i < 0 || n < -1 || int64(n) > int64(len(b)-i) {
		return 0, -1
	}
	if n > 0 {
		i += int(n)
	}
	return n, i
}

// varint32 reads a zig-zag varint at i that Kafka types int32, returning
// it and the index after it, or -1 as the index when it is malformed,
// truncated or out of int32's range.
func varint32(b []byte, i int) (int32, int) {
	u, i := uvarint(b, i)
	v := int64(u>>1) ^ -int64(u&1)
	if v != int64(int32(v)) {
		return 0, -1
	}
	return int32(v), i
}

// varint64 is varint32 for an int64 field.
func varint64(b []byte, i int) (int64, int) {
	u, i := uvarint(b, i)
	return int64(u>>1) ^ -int64(u&1), i
}

// uvarint reads the unsigned varint at i. A one-byte varint, most fields
// of a small record, is read where it is called; -1 as the index is a
// malformed or truncated varint, whose value is 0.
func uvarint(b []byte, i int) (uint64, int) {
	if uint(i) < uint(len(b)) && b[i] < 0x80 {
		return uint64(b[i]), i + 1
	}
	return uvarintLong(b, i)
}

// uvarintLong reads a varint of two bytes or more (a record's length, a
// 100-byte value's length) as binary.Uvarint does.
func uvarintLong(b []byte, i int) (uint64, int) {
	if i < 0 || i >= len(b) {
		return 0, -1
	}
	if i+1 < len(b) && b[i+1] < 0x80 {
		return uint64(b[i]&0x7f) | uint64(b[i+1])<<7, i + 2
	}
	u, n := binary.Uvarint(b[i:])
	if n <= 0 {
		return 0, -1
	}
	return u, i + n
}

// infoOf is the RecordInfo of a decoded record.
func infoOf(r *kmsg.Record) RecordInfo {
	return RecordInfo{TimestampDelta: r.TimestampDelta64, OffsetDelta: r.OffsetDelta, KeyLen: lenOrNull(r.Key), ValueLen: lenOrNull(r.Value)}
}

func lenOrNull(b []byte) int32 {
	if b == nil {
		return -1
	}
	return int32(len(b))
}
