package recordbatch

import "encoding/binary"

// Fields are the header fields a writer chooses; AppendBatch derives the
// length, magic and CRC.
type Fields struct {
	BaseOffset      int64
	LeaderEpoch     int32
	Attributes      int16 // the codec bits must name the payload's codec
	LastOffsetDelta int32
	BaseTimestamp   int64
	MaxTimestamp    int64
	ProducerID      int64
	ProducerEpoch   int16
	BaseSequence    int32
	RecordCount     int32
}

// AppendBatch appends a sealed batch of f and payload (the records,
// compressed with the codec the attributes name) to dst.
func AppendBatch(dst []byte, f Fields, payload []byte) []byte {
	start := len(dst)
	dst = append(AppendHeader(dst, f), payload...)
	Header(dst[start:]).Finish()
	return dst
}

// AppendHeader appends the header of f to dst, for a writer that appends
// the payload itself (compressing straight into dst) and then calls Finish
// on the batch.
func AppendHeader(dst []byte, f Fields) []byte {
	start := len(dst)
	dst = grow(dst, HeaderSize)
	h := Header(dst[start:])
	binary.BigEndian.PutUint64(h[PosBaseOffset:], uint64(f.BaseOffset))
	binary.BigEndian.PutUint32(h[PosLength:], 0)
	binary.BigEndian.PutUint32(h[PosLeaderEpoch:], uint32(f.LeaderEpoch))
	h[PosMagic] = Magic
	binary.BigEndian.PutUint32(h[PosCRC:], 0)
	binary.BigEndian.PutUint16(h[PosAttributes:], uint16(f.Attributes))
	binary.BigEndian.PutUint32(h[PosLastOffsetDelta:], uint32(f.LastOffsetDelta))
	binary.BigEndian.PutUint64(h[PosBaseTimestamp:], uint64(f.BaseTimestamp))
	binary.BigEndian.PutUint64(h[PosMaxTimestamp:], uint64(f.MaxTimestamp))
	binary.BigEndian.PutUint64(h[PosProducerID:], uint64(f.ProducerID))
	binary.BigEndian.PutUint16(h[PosProducerEpoch:], uint16(f.ProducerEpoch))
	binary.BigEndian.PutUint32(h[PosBaseSequence:], uint32(f.BaseSequence))
	binary.BigEndian.PutUint32(h[PosRecordCount:], uint32(f.RecordCount))
	return dst
}

// Finish sets the length of the whole batch h and seals it.
func (h Header) Finish() {
	h.SetLength(int32(len(h) - LogOverhead))
	h.Seal()
}

// Built is a batch a writer compressed itself, with the records it
// compressed: a reader that trusts the writer (the log, for a batch the
// broker converted) iterates Records with OpenPlain instead of inflating
// Batch again.
type Built struct {
	Batch   []byte // the whole sealed batch
	Records []byte // its records, uncompressed
}
