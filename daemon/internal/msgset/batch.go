package msgset

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"
)

// Record batch (magic 2) header, as Kafka lays it out:
//
//	 0 base offset         int64
//	 8 batch length        int32  bytes after this field
//	12 leader epoch        int32
//	16 magic               int8   2
//	17 crc                 uint32 CRC-32C of bytes 21 to the end
//	21 attributes          int16  bits 0-2 codec, 3 LogAppendTime, 4 transactional, 5 control
//	23 last offset delta   int32
//	27 base timestamp      int64
//	35 max timestamp       int64
//	43 producer id         int64
//	51 producer epoch      int16
//	53 base sequence       int32
//	57 record count        int32
//	61 records
const (
	batchHeaderSize   = 61
	batchCRCStart     = 21
	batchMagic        = 2
	batchAttrLogAppTs = 0x08
	batchAttrControl  = 0x20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// batchView is one whole record batch.
type batchView []byte

func (b batchView) baseOffset() int64    { return int64(binary.BigEndian.Uint64(b[0:])) }
func (b batchView) attrs() int16         { return int16(binary.BigEndian.Uint16(b[21:])) }
func (b batchView) codec() Codec         { return Codec(b.attrs() & attrCodec) }
func (b batchView) logAppendTime() bool  { return b.attrs()&batchAttrLogAppTs != 0 }
func (b batchView) control() bool        { return b.attrs()&batchAttrControl != 0 }
func (b batchView) baseTimestamp() int64 { return int64(binary.BigEndian.Uint64(b[27:])) }
func (b batchView) maxTimestamp() int64  { return int64(binary.BigEndian.Uint64(b[35:])) }
func (b batchView) recordCount() int32   { return int32(binary.BigEndian.Uint32(b[57:])) }
func (b batchView) records() []byte      { return b[batchHeaderSize:] }

// splitBatch returns the batch at the front of buf with its CRC checked.
// A batch cut short by the end of buf is no error but ok=false: log reads
// may end inside a batch, and legacy readers ignore such a tail.
func splitBatch(buf []byte) (b batchView, ok bool, err error) {
	if len(buf) < batchHeaderSize {
		return nil, false, nil
	}
	size := int64(int32(binary.BigEndian.Uint32(buf[8:12]))) + 12
	if size < batchHeaderSize {
		return nil, false, fmt.Errorf("batch length %d: %w", size-12, ErrCorrupt)
	}
	if size > int64(len(buf)) {
		return nil, false, nil
	}
	if m := int8(buf[magicPos]); m != batchMagic {
		return nil, false, fmt.Errorf("magic %d where a record batch was expected: %w", m, ErrCorrupt)
	}
	b = batchView(buf[:size])
	if want, got := binary.BigEndian.Uint32(b[17:21]), crc32.Checksum(b[batchCRCStart:], castagnoli); want != got {
		return nil, false, fmt.Errorf("batch at offset %d: crc32c %08x, header says %08x: %w", b.baseOffset(), got, want, ErrCorrupt)
	}
	return b, true, nil
}

// AppendBatch appends msgs as one record batch, as a producer would send it
// (base offset 0, no producer id, CreateTime), compressed with codec. Offset
// deltas run 0, 1, 2, ...; the messages' own offsets are not kept, since the
// log assigns offsets anyway.
func AppendBatch(dst []byte, msgs []Message, codec Codec) ([]byte, error) {
	if len(msgs) == 0 {
		return dst, fmt.Errorf("a batch with no records: %w", ErrInvalid)
	}
	start := len(dst)
	dst = slices.Grow(dst, batchHeaderSize+recordsSizeHint(msgs))[:start+batchHeaderSize]
	base, maxTs := msgs[0].Timestamp, int64(-1)
	for _, m := range msgs {
		maxTs = max(maxTs, m.Timestamp)
	}
	if codec == None {
		dst = appendRecords(dst, msgs, base)
	} else {
		records := appendRecords(make([]byte, 0, recordsSizeHint(msgs)), msgs, base)
		var err error
		if dst, err = pool.compress(dst, codec, records); err != nil {
			return dst[:start], err
		}
	}
	h := dst[start:]
	binary.BigEndian.PutUint64(h[0:], 0)
	binary.BigEndian.PutUint32(h[12:], 0xFFFFFFFF) // leader epoch -1
	h[16] = batchMagic
	binary.BigEndian.PutUint16(h[21:], uint16(codec))
	binary.BigEndian.PutUint32(h[23:], uint32(len(msgs)-1))
	binary.BigEndian.PutUint64(h[27:], uint64(base))
	binary.BigEndian.PutUint64(h[35:], uint64(maxTs))
	binary.BigEndian.PutUint64(h[43:], 0xFFFFFFFFFFFFFFFF) // producer id -1
	binary.BigEndian.PutUint16(h[51:], 0xFFFF)             // producer epoch -1
	binary.BigEndian.PutUint32(h[53:], 0xFFFFFFFF)         // base sequence -1
	binary.BigEndian.PutUint32(h[57:], uint32(len(msgs)))
	b := dst[start:]
	binary.BigEndian.PutUint32(b[8:], uint32(len(b)-12))
	binary.BigEndian.PutUint32(b[17:], crc32.Checksum(b[batchCRCStart:], castagnoli))
	return dst, nil
}

func appendRecords(dst []byte, msgs []Message, baseTs int64) []byte {
	for i, m := range msgs {
		dst = appendRecord(dst, int32(i), m.Timestamp-baseTs, m)
	}
	return dst
}

// recordsSizeHint is a little more than the records of msgs take: a record
// adds at most 1+10+5+5+5+1 bytes to its key and value.
func recordsSizeHint(msgs []Message) int {
	n := 0
	for _, m := range msgs {
		n += len(m.Key) + len(m.Value) + 27
	}
	return n
}

// appendRecord appends one record: length, attributes (0), timestamp delta,
// offset delta, key, value and an empty header list.
func appendRecord(dst []byte, offsetDelta int32, tsDelta int64, m Message) []byte {
	size := 1 + varintLen(tsDelta) + varintLen(int64(offsetDelta)) +
		bytesLen(m.Key) + bytesLen(m.Value) + varintLen(0)
	dst = binary.AppendVarint(dst, int64(size))
	dst = append(dst, 0)
	dst = binary.AppendVarint(dst, tsDelta)
	dst = binary.AppendVarint(dst, int64(offsetDelta))
	dst = appendVarBytes(dst, m.Key)
	dst = appendVarBytes(dst, m.Value)
	return binary.AppendVarint(dst, 0)
}

func appendVarBytes(dst, b []byte) []byte {
	if b == nil {
		return binary.AppendVarint(dst, -1)
	}
	return append(binary.AppendVarint(dst, int64(len(b))), b...)
}

func bytesLen(b []byte) int {
	if b == nil {
		return varintLen(-1)
	}
	return varintLen(int64(len(b))) + len(b)
}

func varintLen(v int64) int {
	var buf [binary.MaxVarintLen64]byte
	return len(binary.AppendVarint(buf[:0], v))
}
