package dumplog

import (
	"fmt"

	"github.com/kqhq/kq/store/logdump"
	"github.com/kqhq/kq/store/recordbatch"
)

// legacyTimestampType names a legacy message's timestamp as Kafka does.
func legacyTimestampType(m *logdump.Legacy) string {
	switch {
	case m.Magic == 0:
		return "NoTimestampType"
	case m.LogAppendTime():
		return "LogAppendTime"
	}
	return "CreateTime"
}

// legacyBatchText is DumpLogSegments' line for a pre-0.11 message (or
// compressed wrapper): its offset, no producer fields.
func legacyBatchText(b logdump.Batch) string {
	m := b.Legacy
	return fmt.Sprintf("offset: %d position: %d %s: %d size: %d magic: %d compresscodec: %s crc: %d isvalid: %t",
		m.Offset, b.Position, legacyTimestampType(m), m.Timestamp, m.Size, m.Magic, m.Codec(), m.CRC, m.Valid)
}

// newLegacyBatchOut is a legacy entry as -o json|yaml prints it: a batch
// of magic 0 or 1 without producer fields.
func newLegacyBatchOut(b logdump.Batch) *batchOut {
	m := b.Legacy
	return &batchOut{
		BaseOffset: m.Offset, LastOffset: m.Offset, BaseSequence: -1, LastSequence: -1, ProducerID: -1, ProducerEpoch: -1,
		PartitionLeaderEpoch: -1, Position: b.Position, TimestampType: legacyTimestampType(m), MaxTimestamp: m.Timestamp,
		Size: m.Size, Magic: m.Magic, CompressCodec: m.Codec().String(), CRC: m.CRC, IsValid: m.Valid,
	}
}

// legacyRecords prints the messages a legacy entry holds: itself, or
// the inner messages of a compressed wrapper.
func (w *recordWalker) legacyRecords(b logdump.Batch, bo *batchOut) error {
	m := b.Legacy
	msgs := []logdump.Legacy{*m}
	if m.Codec() != recordbatch.None {
		inner, err := m.Inner(recordbatch.Limit(int32(min(w.opts.MaxMessageSize, 1<<30))))
		if err != nil {
			return w.fail(b, err)
		}
		msgs = inner
	}
	tsType := legacyTimestampType(m)
	for _, im := range msgs {
		ts := im.Timestamp
		if m.LogAppendTime() {
			ts = m.Timestamp // the wrapper's time stands for its messages'
		}
		w.noteOffset(im.Offset)
		r := recordOut{Offset: im.Offset, Timestamp: ts, KeySize: sizeOf(im.Key), ValueSize: sizeOf(im.Value),
			Sequence: -1, HeaderKeys: []string{}}
		if w.opts.PrintDataLog {
			r.Key, r.Payload = w.opts.Parser(im.Offset, im.Key, im.Value)
		}
		text := r.legacyText(tsType, fmt.Sprintf(" isValid: %t crc: %d}", im.Valid, im.CRC), w.opts.SkipRecordMetadata)
		w.s.line(text, func(*fileDump) { bo.Records = append(bo.Records, r) })
	}
	return nil
}

// legacyText is the record line of a legacy message: no sequence or
// header keys, and Kafka's isValid and crc (with its stray brace).
func (r recordOut) legacyText(tsType, validity string, skipMeta bool) string {
	line := ""
	prefix := "| "
	if !skipMeta {
		line = fmt.Sprintf("%soffset: %d %s: %d keySize: %d valueSize: %d%s", prefix, r.Offset, tsType, r.Timestamp, r.KeySize, r.ValueSize, validity)
		prefix = " "
	}
	if r.Key != nil {
		line += prefix + "key: " + *r.Key
	}
	if r.Payload != nil {
		line += " payload: " + *r.Payload
	}
	return line
}
