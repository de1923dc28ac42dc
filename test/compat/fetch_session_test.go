package compat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// TestKafkaGoClientFetch: kafka-go's Client.Fetch sends session id -1 at
// epoch -1 (KIP-227's sessionless full fetch); kq used to answer
// FETCH_SESSION_ID_NOT_FOUND with no topics, which kafka-go reports as an
// unknown topic.
func TestKafkaGoClientFetch(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "kgo-fetch", 1, nil)
	cl := b.Client()
	defer cl.Close()
	want := produceOneByOne(t, cl, "kgo-fetch", 3)

	client := &kafka.Client{Addr: kafka.TCP(b.Addr), Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := client.Fetch(ctx, &kafka.FetchRequest{Topic: "kgo-fetch", Offset: 0, MinBytes: 1, MaxBytes: 1 << 20, MaxWait: time.Second})
	if err != nil {
		t.Fatalf("Client.Fetch: %v", err)
	}
	if resp.Error != nil {
		t.Fatalf("Client.Fetch partition error: %v", resp.Error)
	}
	if got := readValues(t, resp.Records); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("values %q, want %q (high watermark %d)", got, want, resp.HighWatermark)
	}
}

// TestFetchMinBytesThroughSmallSegments: a consumer with min_bytes larger
// than a segment reads a compacted topic of tiny segments without waiting
// max_wait on each fetch: a fetch offset on an older segment than the high
// watermark's answers at once, as Kafka's DelayedFetch (it took kq over
// 120 s on 200-byte segments before).
func TestFetchMinBytesThroughSmallSegments(t *testing.T) {
	const (
		topic    = "small-segments"
		n        = 40
		minBytes = 1000 // more than a segment holds
		maxWait  = 20 * time.Second
	)
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), topic, 1, map[string]*string{
		"cleanup.policy": kadm.StringPtr("compact"), "segment.bytes": kadm.StringPtr("200"),
	})
	cl := b.Client()
	defer cl.Close()
	// The last records fill the active segment, where a fetch rightly
	// waits for min_bytes: the n read are all on older segments.
	produceOneByOne(t, cl, topic, n+3)

	t.Run("franz-go FetchMinBytes", func(t *testing.T) {
		start := time.Now()
		got := consumeN(t, b.Addr, topic, n, kgo.FetchMinBytes(minBytes), kgo.FetchMaxWait(maxWait))
		if elapsed := time.Since(start); elapsed >= maxWait || len(got) < n {
			t.Fatalf("read %d records in %v, want %d well within one max_wait (%v)", len(got), elapsed, n, maxWait)
		}
	})
	t.Run("kafka-go Client.Fetch MinBytes", func(t *testing.T) {
		client := &kafka.Client{Addr: kafka.TCP(b.Addr), Timeout: 2 * maxWait}
		ctx, cancel := context.WithTimeout(context.Background(), 2*maxWait)
		defer cancel()
		start := time.Now()
		resp, err := client.Fetch(ctx, &kafka.FetchRequest{Topic: topic, Offset: 0, MinBytes: minBytes, MaxBytes: 1 << 20, MaxWait: maxWait})
		if err != nil {
			t.Fatalf("Client.Fetch: %v", err)
		}
		if resp.Error != nil {
			t.Fatalf("Client.Fetch partition error: %v", resp.Error)
		}
		if elapsed := time.Since(start); elapsed >= maxWait/2 {
			t.Fatalf("first segment answered after %v, want at once (max_wait %v)", elapsed, maxWait)
		}
		if got := readValues(t, resp.Records); len(got) == 0 {
			t.Fatal("no records from the first segment")
		}
	})
}

// produceOneByOne produces n records with distinct keys, one batch each, so
// small segments roll between them.
func produceOneByOne(t *testing.T, cl *kgo.Client, topic string, n int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var values []string
	for i := range n {
		v := fmt.Sprintf("v%03d", i)
		r := &kgo.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", i), Value: []byte(v)}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatalf("produce: %v", err)
		}
		values = append(values, v)
	}
	return values
}

func readValues(t *testing.T, rr kafka.RecordReader) []string {
	t.Helper()
	var out []string
	for {
		r, err := rr.ReadRecord()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("read record: %v", err)
		}
		v, err := io.ReadAll(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(v))
	}
}

// TestFetchSessionOverTheWire: a full fetch at epoch 0 opens a session
// (max.incremental.fetch.session.cache.slots defaults to 1000), an
// incremental fetch with nothing new answers no partitions, and one after a
// produce answers the partition with its records.
func TestFetchSessionOverTheWire(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "sessions", 2, nil)
	cl := b.Client(kgo.DefaultProduceTopic("sessions"), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	topics, err := b.Admin().ListTopics(ctx, "sessions")
	if err != nil {
		t.Fatal(err)
	}
	topicID := topics["sessions"].ID // kgo sends the broker's highest version: v13+ names topics by id
	fetch := func(id, epoch int32, offset int64, parts ...int32) *kmsg.FetchResponse {
		t.Helper()
		req := kmsg.NewPtrFetchRequest()
		req.ReplicaID, req.MaxWaitMillis, req.MaxBytes = -1, 0, 1<<20
		req.SessionID, req.SessionEpoch = id, epoch
		if len(parts) > 0 {
			rt := kmsg.NewFetchRequestTopic()
			rt.Topic, rt.TopicID = "sessions", topicID
			for _, p := range parts {
				rp := kmsg.NewFetchRequestTopicPartition()
				rp.Partition, rp.FetchOffset, rp.PartitionMaxBytes = p, offset, 1<<20
				rt.Partitions = append(rt.Partitions, rp)
			}
			req.Topics = []kmsg.FetchRequestTopic{rt}
		}
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	full := fetch(0, 0, 0, 0, 1)
	if full.ErrorCode != 0 || full.SessionID == 0 || len(full.Topics) != 1 || len(full.Topics[0].Partitions) != 2 {
		t.Fatalf("full fetch: code %d session %d topics %+v, want a session and both partitions", full.ErrorCode, full.SessionID, full.Topics)
	}
	for _, p := range full.Topics[0].Partitions {
		if p.ErrorCode != 0 {
			t.Fatalf("full fetch: partition %d error %d", p.Partition, p.ErrorCode)
		}
	}
	if resp := fetch(full.SessionID, 1, 0); resp.ErrorCode != 0 || resp.SessionID != full.SessionID || len(resp.Topics) != 0 {
		t.Fatalf("incremental, nothing new: code %d session %d topics %+v", resp.ErrorCode, resp.SessionID, resp.Topics)
	}
	if err := cl.ProduceSync(ctx, &kgo.Record{Partition: 1, Value: []byte("x")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	resp := fetch(full.SessionID, 2, 0)
	if resp.ErrorCode != 0 || len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
		t.Fatalf("incremental after a produce: code %d topics %+v, want partition 1 only", resp.ErrorCode, resp.Topics)
	}
	if p := resp.Topics[0].Partitions[0]; p.Partition != 1 || p.HighWatermark != 1 || len(p.RecordBatches) == 0 {
		t.Fatalf("partition %+v, want partition 1 with its record", p)
	}
}

// TestFranzGoConsumesThroughFetchSessions: franz-go keeps a fetch session
// per broker; one consumer reading many partitions over several rounds of
// produces (some partitions idle in each) reads every record once, in
// order, through incremental fetches that name only changed partitions.
func TestFranzGoConsumesThroughFetchSessions(t *testing.T) {
	const (
		topic      = "many"
		partitions = 24
	)
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), topic, partitions, nil)
	producer := b.Client(kgo.DefaultProduceTopic(topic), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	defer producer.Close()
	consumer, err := kgo.NewClient(kgo.SeedBrokers(b.Addr), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer consumer.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	next := map[int32]int64{}
	for round := range 4 {
		var recs []*kgo.Record
		for p := int32(round % 3); p < partitions; p += 3 { // a third of the partitions each round
			for i := range 5 {
				recs = append(recs, &kgo.Record{Partition: p, Value: fmt.Appendf(nil, "%d-%d-%d", round, p, i)})
			}
		}
		if err := producer.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
		for got := 0; got < len(recs); {
			fs := consumer.PollFetches(ctx)
			if ctx.Err() != nil {
				t.Fatalf("round %d: read %d of %d records", round, got, len(recs))
			}
			fs.EachError(func(_ string, p int32, err error) { t.Fatalf("partition %d: %v", p, err) })
			for _, r := range fs.Records() {
				if r.Offset != next[r.Partition] {
					t.Fatalf("round %d: partition %d offset %d, want %d", round, r.Partition, r.Offset, next[r.Partition])
				}
				next[r.Partition]++
				got++
			}
		}
	}
}
