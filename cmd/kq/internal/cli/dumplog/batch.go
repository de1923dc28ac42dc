package dumplog

import (
	"fmt"
	"math"
	"strings"

	"github.com/kqhq/kq/store/logdump"
	"github.com/kqhq/kq/store/recordbatch"
)

// batchOut is one batch as printed.
type batchOut struct {
	BaseOffset           int64       `json:"base_offset"`
	LastOffset           int64       `json:"last_offset"`
	Count                int32       `json:"count"`
	BaseSequence         int32       `json:"base_sequence"`
	LastSequence         int32       `json:"last_sequence"`
	ProducerID           int64       `json:"producer_id"`
	ProducerEpoch        int16       `json:"producer_epoch"`
	PartitionLeaderEpoch int32       `json:"partition_leader_epoch"`
	IsTransactional      bool        `json:"is_transactional"`
	IsControl            bool        `json:"is_control"`
	DeleteHorizonMs      *int64      `json:"delete_horizon_ms"`
	Position             int64       `json:"position"`
	TimestampType        string      `json:"timestamp_type"`
	MaxTimestamp         int64       `json:"max_timestamp"`
	Size                 int64       `json:"size"`
	Magic                int8        `json:"magic"`
	CompressCodec        string      `json:"compresscodec"`
	CRC                  uint32      `json:"crc"`
	IsValid              bool        `json:"isvalid"`
	Records              []recordOut `json:"records,omitempty"`
}

func newBatchOut(b logdump.Batch) *batchOut {
	out := &batchOut{
		BaseOffset: b.BaseOffset(), LastOffset: b.LastOffset(), Count: b.RecordCount(),
		BaseSequence: b.BaseSequence(), LastSequence: sequenceAt(b.BaseSequence(), b.LastOffsetDelta()),
		ProducerID: b.ProducerID(), ProducerEpoch: b.ProducerEpoch(), PartitionLeaderEpoch: b.LeaderEpoch(),
		IsTransactional: b.Transactional(), IsControl: b.Control(),
		Position: b.Position, TimestampType: timestampType(b.Header), MaxTimestamp: b.MaxTimestamp(),
		Size: b.Size(), Magic: b.Magic(), CompressCodec: b.Codec().String(), CRC: b.CRC(), IsValid: b.Valid(),
	}
	if b.Attributes()&recordbatch.AttrDeleteHorizon != 0 {
		h := b.BaseTimestamp()
		out.DeleteHorizonMs = &h
	}
	return out
}

// text is DumpLogSegments' batch line.
func (b *batchOut) text() string {
	return fmt.Sprintf("baseOffset: %d lastOffset: %d count: %d baseSequence: %d lastSequence: %d producerId: %d producerEpoch: %d"+
		" partitionLeaderEpoch: %d isTransactional: %t isControl: %t deleteHorizonMs: %s position: %d %s: %d size: %d"+
		" magic: %d compresscodec: %s crc: %d isvalid: %t",
		b.BaseOffset, b.LastOffset, b.Count, b.BaseSequence, b.LastSequence, b.ProducerID, b.ProducerEpoch,
		b.PartitionLeaderEpoch, b.IsTransactional, b.IsControl, optionalLong(b.DeleteHorizonMs), b.Position,
		b.TimestampType, b.MaxTimestamp, b.Size, b.Magic, b.CompressCodec, b.CRC, b.IsValid)
}

// optionalLong prints as Java's OptionalLong.toString.
func optionalLong(v *int64) string {
	if v == nil {
		return "OptionalLong.empty"
	}
	return fmt.Sprintf("OptionalLong[%d]", *v)
}

func timestampType(h recordbatch.Header) string {
	if h.LogAppendTime() {
		return "LogAppendTime"
	}
	return "CreateTime"
}

// sequenceAt is Kafka's DefaultRecordBatch.incrementSequence: sequences
// wrap from MaxInt32 to 0; -1 (no sequence) stays.
func sequenceAt(base, delta int32) int32 {
	if base < 0 {
		return -1
	}
	if base > math.MaxInt32-delta {
		return delta - (math.MaxInt32 - base) - 1
	}
	return base + delta
}

// recordOut is one record as printed with --deep-iteration.
type recordOut struct {
	Offset     int64    `json:"offset"`
	Timestamp  int64    `json:"timestamp"`
	KeySize    int      `json:"key_size"`
	ValueSize  int      `json:"value_size"`
	Sequence   int32    `json:"sequence"`
	HeaderKeys []string `json:"header_keys"`
	// Control describes a control record (" endTxnMarker: COMMIT
	// coordinatorEpoch: 3", " controlType: ...").
	Control string  `json:"control,omitempty"`
	Key     *string `json:"key,omitempty"`
	Payload *string `json:"payload,omitempty"`
}

// text is DumpLogSegments' record line.
func (r recordOut) text(tsType string, skipMeta bool) string {
	var b strings.Builder
	prefix := "| "
	if !skipMeta {
		fmt.Fprintf(&b, "%soffset: %d %s: %d keySize: %d valueSize: %d sequence: %d headerKeys: [%s]%s",
			prefix, r.Offset, tsType, r.Timestamp, r.KeySize, r.ValueSize, r.Sequence, strings.Join(r.HeaderKeys, ","), r.Control)
		prefix = " "
	}
	if r.Key != nil {
		b.WriteString(prefix + "key: " + *r.Key)
	}
	if r.Payload != nil {
		b.WriteString(" payload: " + *r.Payload)
	}
	return b.String()
}
