package recordbatch

import "encoding/binary"

// Byte positions of the fixed header fields (see the table in doc.go).
const (
	PosBaseOffset      = 0  // int64
	PosLength          = 8  // int32: bytes after this field
	PosLeaderEpoch     = 12 // int32, outside the CRC
	PosMagic           = 16 // int8
	PosCRC             = 17 // uint32 CRC-32C of the bytes from PosAttributes on
	PosAttributes      = 21 // int16
	PosLastOffsetDelta = 23 // int32
	PosBaseTimestamp   = 27 // int64
	PosMaxTimestamp    = 35 // int64
	PosProducerID      = 43 // int64
	PosProducerEpoch   = 51 // int16
	PosBaseSequence    = 53 // int32
	PosRecordCount     = 57 // int32
)

// Sizes of the batch framing.
const (
	// HeaderSize is the fixed header: the first record starts here.
	HeaderSize = 61
	// LogOverhead is what precedes the bytes the length field counts
	// (base offset and length).
	LogOverhead = 12
	// MinLength is the smallest valid length field: a header with no
	// records.
	MinLength = HeaderSize - LogOverhead
	// Magic is the format version of a record batch.
	Magic = 2
)

// Attribute bits.
const (
	AttrCompression   = 0x07 // the codec
	AttrLogAppendTime = 0x08 // timestamps are the broker's, not the producer's
	AttrTransactional = 0x10
	AttrControl       = 0x20 // the batch holds one control record
	AttrDeleteHorizon = 0x40 // the base timestamp is the delete horizon (KIP-534)
)

// NoSequence is the base sequence of a batch without one, and NoProducerID
// the producer id of a batch written for no producer.
const (
	NoSequence   = -1
	NoProducerID = -1
)

// Header is a view over a batch's first HeaderSize bytes or more. Getters
// need the header only; CRC computation and Records need the whole batch.
type Header []byte

// BaseOffset is the offset of the batch's first record.
func (h Header) BaseOffset() int64 { return int64(binary.BigEndian.Uint64(h[PosBaseOffset:])) }

// Length is the length field: the bytes that follow it.
func (h Header) Length() int32 { return int32(binary.BigEndian.Uint32(h[PosLength:])) }

// Size is the whole batch's size as the length field declares it.
func (h Header) Size() int64 { return LogOverhead + int64(h.Length()) }

// LeaderEpoch is the partition leader epoch the batch was appended in.
func (h Header) LeaderEpoch() int32 { return int32(binary.BigEndian.Uint32(h[PosLeaderEpoch:])) }

// Magic is the format version byte.
func (h Header) Magic() int8 { return int8(h[PosMagic]) }

// CRC is the checksum the header stores.
func (h Header) CRC() uint32 { return binary.BigEndian.Uint32(h[PosCRC:]) }

// Attributes are the attribute bits.
func (h Header) Attributes() int16 { return int16(binary.BigEndian.Uint16(h[PosAttributes:])) }

// LastOffsetDelta is the offset of the last record relative to BaseOffset.
func (h Header) LastOffsetDelta() int32 {
	return int32(binary.BigEndian.Uint32(h[PosLastOffsetDelta:]))
}

// LastOffset is the offset of the batch's last record.
func (h Header) LastOffset() int64 { return h.BaseOffset() + int64(h.LastOffsetDelta()) }

// BaseTimestamp is the timestamp record deltas are relative to.
func (h Header) BaseTimestamp() int64 { return int64(binary.BigEndian.Uint64(h[PosBaseTimestamp:])) }

// MaxTimestamp is the largest record timestamp (the append time under
// LogAppendTime).
func (h Header) MaxTimestamp() int64 { return int64(binary.BigEndian.Uint64(h[PosMaxTimestamp:])) }

// ProducerID is the idempotent producer's id, NoProducerID for none.
func (h Header) ProducerID() int64 { return int64(binary.BigEndian.Uint64(h[PosProducerID:])) }

// ProducerEpoch is the producer's epoch.
func (h Header) ProducerEpoch() int16 { return int16(binary.BigEndian.Uint16(h[PosProducerEpoch:])) }

// BaseSequence is the sequence number of the first record.
func (h Header) BaseSequence() int32 { return int32(binary.BigEndian.Uint32(h[PosBaseSequence:])) }

// RecordCount is the number of records the batch declares.
func (h Header) RecordCount() int32 { return int32(binary.BigEndian.Uint32(h[PosRecordCount:])) }

// Codec is the codec that compressed the records.
func (h Header) Codec() Codec { return Codec(h.Attributes() & AttrCompression) }

// LogAppendTime reports whether the batch's timestamps are the broker's.
func (h Header) LogAppendTime() bool { return h.Attributes()&AttrLogAppendTime != 0 }

// Transactional reports whether the batch belongs to a transaction.
func (h Header) Transactional() bool { return h.Attributes()&AttrTransactional != 0 }

// Control reports whether the batch is a control batch.
func (h Header) Control() bool { return h.Attributes()&AttrControl != 0 }

// Payload is the bytes after the header: the records, compressed when the
// codec says so. h must hold the whole batch.
func (h Header) Payload() []byte { return h[HeaderSize:] }

// SetBaseOffset rewrites the base offset (outside the CRC).
func (h Header) SetBaseOffset(o int64) { binary.BigEndian.PutUint64(h[PosBaseOffset:], uint64(o)) }

// SetLength rewrites the length field.
func (h Header) SetLength(n int32) { binary.BigEndian.PutUint32(h[PosLength:], uint32(n)) }

// SetLeaderEpoch rewrites the leader epoch (outside the CRC).
func (h Header) SetLeaderEpoch(e int32) {
	binary.BigEndian.PutUint32(h[PosLeaderEpoch:], uint32(e))
}

// SetCRC rewrites the stored checksum.
func (h Header) SetCRC(c uint32) { binary.BigEndian.PutUint32(h[PosCRC:], c) }

// SetAttributes rewrites the attribute bits.
func (h Header) SetAttributes(a int16) { binary.BigEndian.PutUint16(h[PosAttributes:], uint16(a)) }

// SetBaseTimestamp rewrites the base timestamp.
func (h Header) SetBaseTimestamp(ts int64) {
	binary.BigEndian.PutUint64(h[PosBaseTimestamp:], uint64(ts))
}

// SetMaxTimestamp rewrites the max timestamp.
func (h Header) SetMaxTimestamp(ts int64) {
	binary.BigEndian.PutUint64(h[PosMaxTimestamp:], uint64(ts))
}

// SetRecordCount rewrites the record count.
func (h Header) SetRecordCount(n int32) {
	binary.BigEndian.PutUint32(h[PosRecordCount:], uint32(n))
}

// Restamp sets the timestamp type bit and the max timestamp, then the CRC,
// the way Kafka's setMaxTimestamp does. It changes nothing when both
// already hold, so the common path does not pay for a CRC. h must hold the
// whole batch.
func (h Header) Restamp(logAppendTime bool, maxTs int64) {
	attrs := h.Attributes() &^ AttrLogAppendTime
	if logAppendTime {
		attrs |= AttrLogAppendTime
	}
	if attrs == h.Attributes() && maxTs == h.MaxTimestamp() {
		return
	}
	h.SetAttributes(attrs)
	h.SetMaxTimestamp(maxTs)
	h.Seal()
}
