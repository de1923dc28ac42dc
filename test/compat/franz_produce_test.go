package compat

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

func createTopic(t *testing.T, adm *kadm.Client, name string, partitions int32, configs map[string]*string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	resp, err := adm.CreateTopic(ctx, partitions, 1, configs, name)
	if err != nil || resp.Err != nil {
		t.Fatalf("create topic %s: %v %v", name, err, resp.Err)
	}
}

// produceAll produces n keyed records spread over the topic's partitions
// and returns them by partition in acknowledged order.
func produceAll(t *testing.T, cl *kgo.Client, topic string, n int) map[int32][]*kgo.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for i := range n {
		recs = append(recs, &kgo.Record{
			Topic: topic, Key: fmt.Appendf(nil, "k%d", i%7), Value: fmt.Appendf(nil, "value-%06d", i),
			Headers: []kgo.RecordHeader{{Key: "h", Value: fmt.Appendf(nil, "%d", i)}},
		})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
	byPartition := map[int32][]*kgo.Record{}
	for _, r := range recs {
		byPartition[r.Partition] = append(byPartition[r.Partition], r)
	}
	return byPartition
}

// consumeN reads n records from the start of the topic.
func consumeN(t *testing.T, addr, topic string, n int, opts ...kgo.Opt) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got []*kgo.Record
	for len(got) < n {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumed %d of %d records: %v", len(got), n, err)
		}
		fs.EachError(func(topic string, p int32, err error) { t.Fatalf("fetch %s-%d: %v", topic, p, err) })
		got = append(got, fs.Records()...)
	}
	return got
}

func checkSameRecords(t *testing.T, want map[int32][]*kgo.Record, got []*kgo.Record) {
	t.Helper()
	byPartition := map[int32][]*kgo.Record{}
	for _, r := range got {
		byPartition[r.Partition] = append(byPartition[r.Partition], r)
	}
	for p, ws := range want {
		gs := byPartition[p]
		if len(gs) != len(ws) {
			t.Fatalf("partition %d: got %d records, want %d", p, len(gs), len(ws))
		}
		for i := range ws {
			w, g := ws[i], gs[i]
			if string(g.Key) != string(w.Key) || string(g.Value) != string(w.Value) || g.Offset != w.Offset ||
				len(g.Headers) != 1 || string(g.Headers[0].Value) != string(w.Headers[0].Value) {
				t.Fatalf("partition %d record %d: got %s=%s@%d, want %s=%s@%d", p, i, g.Key, g.Value, g.Offset, w.Key, w.Value, w.Offset)
			}
		}
	}
}

func TestFranzProduceConsumeEveryAcksAndCodec(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	adm := b.Admin()
	tests := []struct {
		name  string
		acks  kgo.Acks
		codec kgo.CompressionCodec
	}{
		{"acks-all-none", kgo.AllISRAcks(), kgo.NoCompression()},
		{"acks-leader-gzip", kgo.LeaderAck(), kgo.GzipCompression()},
		{"acks-none-snappy", kgo.NoAck(), kgo.SnappyCompression()},
		{"acks-all-lz4", kgo.AllISRAcks(), kgo.Lz4Compression()},
		{"acks-all-zstd", kgo.AllISRAcks(), kgo.ZstdCompression()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			createTopic(t, adm, tt.name, 3, nil)
			opts := []kgo.Opt{kgo.RequiredAcks(tt.acks), kgo.ProducerBatchCompression(tt.codec)}
			if tt.acks != kgo.AllISRAcks() {
				opts = append(opts, kgo.DisableIdempotentWrite())
			}
			want := produceAll(t, b.Client(opts...), tt.name, 2000)
			got := consumeN(t, b.Addr, tt.name, 2000)
			if tt.acks == kgo.NoAck() {
				return // offsets are not reported back with acks=0
			}
			checkSameRecords(t, want, got)
		})
	}
}

func TestFranzConsumeFromLatestAndTimestamp(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "times", 1, nil)
	cl := b.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	for i := range 10 {
		r := &kgo.Record{Topic: "times", Value: fmt.Appendf(nil, "%d", i), Timestamp: base.Add(time.Duration(i) * time.Minute)}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	got := consumeN(t, b.Addr, "times", 4, kgo.ConsumeResetOffset(kgo.NewOffset().AfterMilli(base.Add(6*time.Minute).UnixMilli())))
	if string(got[0].Value) != "6" {
		t.Fatalf("by timestamp: first record %q, want 6", got[0].Value)
	}

	// A consumer starting at the end must never see the ten old records: keep
	// producing new ones until it sees one.
	latest, err := kgo.NewClient(kgo.SeedBrokers(b.Addr), kgo.ConsumeTopics("times"), kgo.ConsumeResetOffset(kgo.NewOffset().AtEnd()))
	if err != nil {
		t.Fatal(err)
	}
	defer latest.Close()
	harness.Eventually(t, 20*time.Second, "consumer from latest sees a new record", func() error {
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "times", Value: []byte("new")}).FirstErr(); err != nil {
			return err
		}
		pollCtx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		recs := latest.PollFetches(pollCtx).Records()
		for _, r := range recs {
			if string(r.Value) != "new" {
				t.Fatalf("consumer from latest got old record %q", r.Value)
			}
		}
		if len(recs) == 0 {
			return fmt.Errorf("no record yet")
		}
		return nil
	})
}

func TestRecordsSurviveRestart(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "durable", 2, nil)
	want := produceAll(t, b.Client(), "durable", 500)
	if err := b.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	b.Start()
	checkSameRecords(t, want, consumeN(t, b.Addr, "durable", 500))
}
