package coordlog

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// Producer is who a coordinator's batch is written for: nobody
// (NoProducer) for the coordinator's own records, a transactional producer
// for the group coordinator's TxnOffsetCommit.
type Producer struct {
	ID            int64
	Epoch         int16
	Transactional bool
}

// NoProducer marks a batch written for no producer.
var NoProducer = Producer{ID: recordbatch.NoProducerID, Epoch: -1}

// EncodeBatch builds one uncompressed batch of n records stamped now (ms),
// record i holding kv(i) (a nil value is a tombstone). A transactional
// producer's batch gets the transactional attribute, its id and epoch.
// The base sequence is always -1: Kafka's GroupMetadataManager writes 0
// and appends with origin COORDINATOR, which checks the producer epoch
// but neither sequences nor duplicates; -1 ("no sequence") is what kq's
// log takes as that origin, sequences belonging to the producer's data
// batches.
func EncodeBatch(now int64, p Producer, n int, kv func(i int) (key, value []byte)) []byte {
	var records []byte
	for i := range n {
		key, value := kv(i)
		records = recordbatch.AppendRecord(records, &kmsg.Record{OffsetDelta: int32(i), Key: key, Value: value})
	}
	f := recordbatch.Fields{
		LeaderEpoch: -1, LastOffsetDelta: int32(n - 1), BaseTimestamp: now, MaxTimestamp: now,
		ProducerID: p.ID, ProducerEpoch: p.Epoch, BaseSequence: recordbatch.NoSequence, RecordCount: int32(n),
	}
	if p.Transactional {
		f.Attributes = recordbatch.AttrTransactional
	}
	return recordbatch.AppendBatch(make([]byte, 0, recordbatch.HeaderSize+len(records)), f, records)
}

// EachBatch hands fn the whole batches at the front of data, in order, and
// returns the offset after the last one handed (-1 for none). A batch cut
// short at the end (a read that stopped at its size limit) ends the walk
// without error, left for the next read; so does a length that cannot be
// a batch's. fn's error stops the walk.
func EachBatch(data []byte, fn func(recordbatch.Header) error) (next int64, err error) {
	next = -1
	for {
		h, err := recordbatch.Split(data)
		if errors.Is(err, recordbatch.ErrTruncated) || errors.Is(err, recordbatch.ErrLength) {
			return next, nil
		}
		if err != nil {
			return next, fmt.Errorf("decode batch: %w", err)
		}
		data = data[len(h):]
		next = h.LastOffset() + 1
		if err := fn(h); err != nil {
			return next, err
		}
	}
}

// Record is a record read back; a nil value is a tombstone.
type Record struct {
	Offset     int64
	Key, Value []byte
}

// ErrCompressed is a compressed batch in a coordinator's topic: the
// coordinators write theirs uncompressed and clients cannot produce there,
// so it is not theirs.
var ErrCompressed = errors.New("compressed batch in a coordinator's topic")

// ReadRecords decodes at most max records of an uncompressed batch. Keys
// and values alias the batch.
func ReadRecords(h recordbatch.Header, max int32) ([]Record, error) {
	if h.Codec() != recordbatch.None {
		return nil, fmt.Errorf("batch at offset %d: %w", h.BaseOffset(), ErrCompressed)
	}
	if h.RecordCount() < 0 {
		return nil, fmt.Errorf("batch at offset %d: record count %d: %w", h.BaseOffset(), h.RecordCount(), recordbatch.ErrRecord)
	}
	it, err := recordbatch.OpenPlain(h.Payload(), int64(len(h)))
	if err != nil {
		return nil, fmt.Errorf("batch at offset %d: %w", h.BaseOffset(), err)
	}
	var out []Record
	for range min(h.RecordCount(), max) {
		r, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("batch at offset %d: %w", h.BaseOffset(), err)
		}
		out = append(out, Record{Offset: h.BaseOffset() + int64(r.OffsetDelta), Key: r.Key, Value: r.Value})
	}
	return out, nil
}
