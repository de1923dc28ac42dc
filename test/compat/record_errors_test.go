package compat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// recordErrorCase is one batch kq must refuse for some of its records
// (KIP-467): keys ("" for none) and timestamps (ms before now) per record.
type recordErrorCase struct {
	name, topic string
	keys        []string
	ageMs       []int64
	err         sarama.KError
	bad         []int32 // the indexes Kafka names
	message     string  // Kafka's error_message, or its start
	recMessage  string  // the start of each bad record's message
}

// TestRecordErrorsSarama: sarama's own codec sends one batch with some
// invalid records (null keys on a compacted topic, timestamps older than
// message.timestamp.before.max.ms) at Produce v8-10; kq answers as Kafka
// 3.9: the batch's code, every bad record's index within the batch with
// its message, Kafka's error_message, and nothing written. (Sarama is the
// client here because kgo and librdkafka 2.0 fail the whole batch without
// reading the indexes.)
func TestRecordErrorsSarama(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "re-compacted", 1, map[string]*string{"cleanup.policy": strPtr("compact")})
	createTopic(t, b.Admin(), "re-old", 1, map[string]*string{"message.timestamp.before.max.ms": strPtr("3600000")})
	hour := time.Hour.Milliseconds()
	cases := []recordErrorCase{
		{name: "null keys", topic: "re-compacted", keys: []string{"a", "", "b", "", ""}, ageMs: make([]int64, 5),
			err: sarama.ErrInvalidRecord, bad: []int32{1, 3, 4},
			message:    "One or more records have been rejected due to 3 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, ",
			recMessage: "Compacted topic cannot accept message without key in topic partition re-compacted-0"},
		{name: "old timestamps", topic: "re-old", keys: []string{"a", "b", "c"}, ageMs: []int64{0, 2 * hour, 3 * hour},
			err: sarama.ErrInvalidTimestamp, bad: []int32{1, 2},
			message:    "One or more records have been rejected due to invalid timestamp",
			recMessage: "Timestamp "},
	}
	broker := saramaBroker(t, b.Addr)
	for _, version := range []int16{8, 9, 10} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("v%d/%s", version, c.name), func(t *testing.T) {
				resp, err := broker.Produce(recordErrorRequest(version, c))
				if err != nil {
					t.Fatalf("produce: %v", err)
				}
				checkRecordErrors(t, resp.GetBlock(c.topic, 0), c)
			})
		}
	}
	for _, topic := range []string{"re-compacted", "re-old"} {
		if end := endOffset(t, b, topic); end != 0 {
			t.Errorf("%s ends at offset %d after refused batches", topic, end)
		}
	}
}

func saramaBroker(t *testing.T, addr string) *sarama.Broker {
	t.Helper()
	broker := sarama.NewBroker(addr)
	if err := broker.Open(saramaConfig(sarama.MaxVersion)); err != nil {
		t.Fatalf("sarama broker: %v", err)
	}
	t.Cleanup(func() { broker.Close() })
	return broker
}

func recordErrorRequest(version int16, c recordErrorCase) *sarama.ProduceRequest {
	now := time.Now()
	batch := &sarama.RecordBatch{
		Version: 2, FirstTimestamp: now.Add(-time.Duration(c.ageMs[len(c.ageMs)-1]) * time.Millisecond), MaxTimestamp: now,
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, LastOffsetDelta: int32(len(c.keys) - 1),
	}
	for i, k := range c.keys {
		r := &sarama.Record{OffsetDelta: int64(i), Value: []byte(fmt.Sprintf("v%d", i))}
		r.TimestampDelta = now.Add(-time.Duration(c.ageMs[i]) * time.Millisecond).Sub(batch.FirstTimestamp)
		if k != "" {
			r.Key = []byte(k)
		}
		batch.Records = append(batch.Records, r)
	}
	req := &sarama.ProduceRequest{RequiredAcks: sarama.WaitForLocal, Timeout: 10_000, Version: version}
	req.AddBatch(c.topic, 0, batch)
	return req
}

func checkRecordErrors(t *testing.T, block *sarama.ProduceResponseBlock, c recordErrorCase) {
	t.Helper()
	if block == nil {
		t.Fatal("no partition in the response")
	}
	if block.Err != c.err || block.Offset != -1 {
		t.Fatalf("error %v, base offset %d; want %v, -1", block.Err, block.Offset, c.err)
	}
	if block.ErrorMessage == nil || !strings.HasPrefix(*block.ErrorMessage, c.message) {
		t.Errorf("error message %v, want %q...", deref(block.ErrorMessage), c.message)
	}
	var got []int32
	for _, e := range block.RecordErrors {
		got = append(got, e.BatchIndex)
		if !strings.HasPrefix(deref(e.BatchIndexErrorMessage), c.recMessage) {
			t.Errorf("record %d: message %q, want %q...", e.BatchIndex, deref(e.BatchIndexErrorMessage), c.recMessage)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(c.bad) {
		t.Errorf("record errors at %v, want %v", got, c.bad)
	}
}

// TestRecordErrorsFranz: kgo, which reads the code but not the indexes,
// fails every record of a batch with an invalid one, and the next good
// batch is written from offset 0.
func TestRecordErrorsFranz(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "re-franz", 1, map[string]*string{"cleanup.policy": strPtr("compact")})
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr), kgo.DefaultProduceTopic("re-franz"), kgo.ProducerLinger(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	bad := []*kgo.Record{{Key: []byte("a"), Value: []byte("1")}, {Value: []byte("no key")}, {Key: []byte("c"), Value: []byte("3")}}
	for i, r := range cl.ProduceSync(ctx, bad...) {
		if !errors.Is(r.Err, kerr.InvalidRecord) {
			t.Errorf("record %d: %v, want INVALID_RECORD", i, r.Err)
		}
	}
	good := []*kgo.Record{{Key: []byte("a"), Value: []byte("1")}}
	if err := cl.ProduceSync(ctx, good...).FirstErr(); err != nil || good[0].Offset != 0 {
		t.Fatalf("good record: %v at offset %d, want offset 0", err, good[0].Offset)
	}
}

func endOffset(t *testing.T, b *harness.Broker, topic string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ends, err := b.Admin().ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	o, _ := ends.Lookup(topic, 0)
	return o.Offset
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
