package msgset

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// splitBatch returns the batch at the front of buf with its CRC checked.
// A batch cut short by the end of buf is no error but ok=false: log reads
// may end inside a batch, and legacy readers ignore such a tail.
func splitBatch(buf []byte) (b recordbatch.Header, ok bool, err error) {
	b, err = recordbatch.Split(buf)
	if errors.Is(err, recordbatch.ErrTruncated) {
		return nil, false, nil
	}
	if err == nil {
		err = b.CheckCRC()
	}
	if err != nil {
		return nil, false, fmt.Errorf("record batch: %w: %w", err, ErrCorrupt)
	}
	return b, true, nil
}

// compressors are shared by every conversion: building encoders is
// expensive (gzip's window, zstd's tables), and conversion runs per
// request.
var compressors = sync.Pool{New: func() any { return new(recordbatch.Compressor) }}

// buildBatch appends msgs as one record batch, as a producer would send
// it (base offset 0, no producer id, CreateTime), compressed with codec,
// and returns it with the records it compressed. Offset deltas run 0, 1,
// 2, ...; the messages' own offsets are not kept, since the log assigns
// offsets anyway.
func buildBatch(dst []byte, msgs []Message, codec Codec) (recordbatch.Built, error) {
	if len(msgs) == 0 {
		return recordbatch.Built{Batch: dst}, fmt.Errorf("a batch with no records: %w", ErrInvalid)
	}
	base, maxTs := msgs[0].Timestamp, int64(-1)
	for _, m := range msgs {
		maxTs = max(maxTs, m.Timestamp)
	}
	start := len(dst)
	dst = recordbatch.AppendHeader(slices.Grow(dst, recordbatch.HeaderSize+recordsSizeHint(msgs)), recordbatch.Fields{
		LeaderEpoch: -1, Attributes: int16(codec), LastOffsetDelta: int32(len(msgs) - 1),
		BaseTimestamp: base, MaxTimestamp: maxTs, ProducerID: recordbatch.NoProducerID, ProducerEpoch: -1,
		BaseSequence: recordbatch.NoSequence, RecordCount: int32(len(msgs)),
	})
	var records []byte
	if codec == None {
		dst = appendRecords(dst, msgs, base)
		records = dst[start+recordbatch.HeaderSize:]
	} else {
		records = appendRecords(make([]byte, 0, recordsSizeHint(msgs)), msgs, base)
		c := compressors.Get().(*recordbatch.Compressor)
		var err error
		dst, err = c.Append(dst, codec, records, false)
		compressors.Put(c)
		if err != nil {
			return recordbatch.Built{Batch: dst[:start]}, fmt.Errorf("%w: %w", err, ErrUnsupportedCompression)
		}
	}
	recordbatch.Header(dst[start:]).Finish()
	return recordbatch.Built{Batch: dst[start:], Records: records}, nil
}

// appendRecords appends one record a message: attributes 0, offset delta
// its index, no headers.
func appendRecords(dst []byte, msgs []Message, baseTs int64) []byte {
	var r kmsg.Record
	for i, m := range msgs {
		r = kmsg.Record{TimestampDelta64: m.Timestamp - baseTs, OffsetDelta: int32(i), Key: m.Key, Value: m.Value}
		dst = recordbatch.AppendRecord(dst, &r)
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
