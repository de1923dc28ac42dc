package admin

import (
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// AnyPartition in Record.Partition lets the producer's partitioner choose:
// by key hash when there is a key, else sticky batches.
const AnyPartition int32 = -1

// Record is one Kafka record. A nil Key or Value is Kafka's null, distinct
// from an empty one.
type Record struct {
	Topic     string
	Partition int32
	Offset    int64
	// Timestamp is the record's time; the zero time lets the producer
	// stamp the current time.
	Timestamp time.Time
	// LogAppendTime is true when the broker, not the producer, set the
	// timestamp (the topic's message.timestamp.type=LogAppendTime).
	LogAppendTime bool
	// LeaderEpoch is the partition leader epoch the record's batch was
	// written in, as a Consumer reads it (-1 when the batch has none).
	// Records not read from a broker leave it 0.
	LeaderEpoch int32
	Key         []byte
	Value       []byte
	Headers     []Header
}

// Header is one record header; a nil Value is null.
type Header struct {
	Key   string
	Value []byte
}

func (r *Record) toKgo() *kgo.Record {
	kr := &kgo.Record{
		Topic: r.Topic, Partition: r.Partition, Timestamp: r.Timestamp,
		Key: r.Key, Value: r.Value,
	}
	for _, h := range r.Headers {
		kr.Headers = append(kr.Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
	}
	return kr
}

func recordFromKgo(kr *kgo.Record) Record {
	r := Record{
		Topic: kr.Topic, Partition: kr.Partition, Offset: kr.Offset, Timestamp: kr.Timestamp,
		LogAppendTime: kr.Attrs.TimestampType() == 1, LeaderEpoch: kr.LeaderEpoch,
		Key: kr.Key, Value: kr.Value,
	}
	for _, h := range kr.Headers {
		r.Headers = append(r.Headers, Header{Key: h.Key, Value: h.Value})
	}
	return r
}
