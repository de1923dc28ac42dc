package partitionlog

import (
	"encoding/binary"
	"hash/crc32"
)

// Byte positions of the fixed header of a v2 record batch, as Kafka lays it
// out (see ARCHITECTURE-SECTION.md for the table). The log only ever reads
// these fields, and patches the ones Kafka patches in place; record parsing is
// left to franz-go's kmsg.
const (
	offBaseOffset      = 0  // int64, assigned by the leader
	offLength          = 8  // int32, bytes after this field
	offLeaderEpoch     = 12 // int32, partition leader epoch, outside the CRC
	offMagic           = 16 // int8, must be 2
	offCRC             = 17 // uint32 CRC32C of everything from attributes on
	offAttributes      = 21 // int16
	offLastOffsetDelta = 23 // int32
	offBaseTimestamp   = 27 // int64
	offMaxTimestamp    = 35 // int64
	offProducerID      = 43 // int64
	offBaseSequence    = 53 // int32
	offRecordCount     = 57 // int32
	batchHeaderSize    = 61 // first record starts here

	logOverhead    = 12 // base offset + length: what precedes "length" bytes
	minBatchLength = batchHeaderSize - logOverhead
	currentMagic   = 2

	attrCompressionMask = 0x07
	attrTimestampType   = 0x08 // 1 = LogAppendTime
	attrTransactional   = 0x10
	attrControl         = 0x20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// header is a view over the first 61 bytes (or more) of a batch.
type header []byte

func (h header) baseOffset() int64  { return int64(binary.BigEndian.Uint64(h[offBaseOffset:])) }
func (h header) length() int32      { return int32(binary.BigEndian.Uint32(h[offLength:])) }
func (h header) size() int64        { return logOverhead + int64(h.length()) }
func (h header) leaderEpoch() int32 { return int32(binary.BigEndian.Uint32(h[offLeaderEpoch:])) }
func (h header) magic() int8        { return int8(h[offMagic]) }
func (h header) crc() uint32        { return binary.BigEndian.Uint32(h[offCRC:]) }
func (h header) attributes() int16  { return int16(binary.BigEndian.Uint16(h[offAttributes:])) }
func (h header) lastOffsetDelta() int32 {
	return int32(binary.BigEndian.Uint32(h[offLastOffsetDelta:]))
}
func (h header) lastOffset() int64    { return h.baseOffset() + int64(h.lastOffsetDelta()) }
func (h header) baseTimestamp() int64 { return int64(binary.BigEndian.Uint64(h[offBaseTimestamp:])) }
func (h header) maxTimestamp() int64  { return int64(binary.BigEndian.Uint64(h[offMaxTimestamp:])) }
func (h header) producerID() int64    { return int64(binary.BigEndian.Uint64(h[offProducerID:])) }
func (h header) baseSequence() int32  { return int32(binary.BigEndian.Uint32(h[offBaseSequence:])) }
func (h header) recordCount() int32   { return int32(binary.BigEndian.Uint32(h[offRecordCount:])) }
func (h header) compression() int16   { return h.attributes() & attrCompressionMask }

func (h header) timestampType() TimestampType {
	if h.attributes()&attrTimestampType != 0 {
		return LogAppendTime
	}
	return CreateTime
}

// computeCRC is the CRC32C Kafka stores: from attributes to the batch end.
// h must hold the whole batch.
func (h header) computeCRC() uint32 { return crc32.Checksum(h[offAttributes:], castagnoli) }

func (h header) setBaseOffset(o int64)  { binary.BigEndian.PutUint64(h[offBaseOffset:], uint64(o)) }
func (h header) setLeaderEpoch(e int32) { binary.BigEndian.PutUint32(h[offLeaderEpoch:], uint32(e)) }
func (h header) setMaxTimestamp(ts int64) {
	binary.BigEndian.PutUint64(h[offMaxTimestamp:], uint64(ts))
}
func (h header) setCRC(c uint32)       { binary.BigEndian.PutUint32(h[offCRC:], c) }
func (h header) setAttributes(a int16) { binary.BigEndian.PutUint16(h[offAttributes:], uint16(a)) }

// setTimestamps rewrites the timestamp type bit and max timestamp, then the
// CRC, the way Kafka's setMaxTimestamp does; it is a no-op when nothing
// changes so the common CreateTime path does not pay for a CRC. h must hold
// the whole batch.
func (h header) setTimestamps(tt TimestampType, maxTs int64) {
	attrs := h.attributes() &^ attrTimestampType
	if tt == LogAppendTime {
		attrs |= attrTimestampType
	}
	if attrs == h.attributes() && maxTs == h.maxTimestamp() {
		return
	}
	h.setAttributes(attrs)
	h.setMaxTimestamp(maxTs)
	h.setCRC(h.computeCRC())
}
