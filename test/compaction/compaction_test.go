// Package compaction proves the log cleaner on a real `kq server`: a
// compacted topic shrinks on disk and keeps exactly the latest value of
// every key, tombstones go after delete.retention.ms, and
// __consumer_offsets stops growing without losing a group's offsets.
package compaction

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }

// cleanerProps make the cleaner look for work every 100 ms.
var cleanerProps = map[string]string{
	"log.cleaner.backoff.ms":           "100",
	"group.initial.rebalance.delay.ms": "0",
	"offsets.topic.num.partitions":     "1",
	"offsets.topic.segment.bytes":      "16384",
}

const (
	keys       = 20
	updates    = 60 // per key
	tombstoned = 5  // keys k00..k04 end with a tombstone
)

func TestCompactedTopicKeepsLatestValuePerKey(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: cleanerProps})
	cl := b.Client(kgo.ProducerBatchMaxBytes(1024), kgo.ProducerLinger(0))
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	resp, err := adm.CreateTopic(ctx, 1, 1, map[string]*string{
		"cleanup.policy": ptr("compact"), "segment.bytes": ptr("4096"),
		"min.cleanable.dirty.ratio": ptr("0.01"), "delete.retention.ms": ptr("3000"),
	}, "profiles")
	if err != nil || resp.Err != nil {
		t.Fatalf("create topic: %v %v", err, resp.Err)
	}
	w := &writer{cl: cl}
	latest := w.updates(ctx, t)
	w.filler(ctx, t) // rolls the segment holding the last updates
	dir := filepath.Join(b.DataDir, "logs", "profiles-0")
	harness.Eventually(t, 60*time.Second, "the latest value of every key, and only it", func() error {
		return checkLatest(consumeAll(ctx, t, b.Addr, "profiles"), latest, true)
	})
	if n := logBytes(t, dir); n > w.written/5 {
		t.Fatalf("%d bytes of segments on disk after cleaning, %d written", n, w.written)
	}
	t.Logf("profiles-0: %d bytes written, %d on disk after cleaning", w.written, logBytes(t, dir))

	// Once delete.retention.ms has passed, a later cleaning drops the
	// tombstones; more filler keeps making cleanings worth running.
	harness.Eventually(t, 60*time.Second, "the tombstones to go", func() error {
		w.filler(ctx, t)
		return checkLatest(consumeAll(ctx, t, b.Addr, "profiles"), latest, false)
	})
}

// fillerKey is written after the records a test checks, so they end up in
// closed segments (the active one is never cleaned); checks ignore it.
const fillerKey = "zz-filler"

// writer produces one record per batch and counts the bytes the broker
// stores for them.
type writer struct {
	cl      *kgo.Client
	written int64
}

func (w *writer) filler(ctx context.Context, t *testing.T) {
	t.Helper()
	v := strings.Repeat("f", 100)
	for range 40 {
		w.produce(ctx, t, fillerKey, &v)
	}
}

func ptr(s string) *string { return &s }

// updates writes updates values for every key, then tombstones the first
// keys, and returns the last value of each key (nil: tombstone).
func (w *writer) updates(ctx context.Context, t *testing.T) map[string]*string {
	t.Helper()
	latest := map[string]*string{}
	for u := range updates {
		for k := range keys {
			key := fmt.Sprintf("k%02d", k)
			v := fmt.Sprintf("v%d-%s", u, strings.Repeat("x", 40))
			w.produce(ctx, t, key, &v)
			latest[key] = &v
		}
	}
	for k := range tombstoned {
		key := fmt.Sprintf("k%02d", k)
		w.produce(ctx, t, key, nil)
		latest[key] = nil
	}
	return latest
}

func (w *writer) produce(ctx context.Context, t *testing.T, key string, value *string) {
	t.Helper()
	r := &kgo.Record{Topic: "profiles", Key: []byte(key)}
	if value != nil {
		r.Value = []byte(*value)
	}
	if err := w.cl.ProduceSync(ctx, r).FirstErr(); err != nil {
		t.Fatalf("produce %s: %v", key, err)
	}
	// A batch header, a record's fixed fields, its key and value.
	w.written += 61 + 8 + int64(len(r.Key)+len(r.Value))
}

// logBytes sums the segment files of a partition directory.
func logBytes(t *testing.T, dir string) int64 {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

// consumeAll reads the partition from its start to its high watermark.
func consumeAll(ctx context.Context, t *testing.T, addr, topic string) []*kgo.Record {
	t.Helper()
	adm := kadm.NewClient(mustClient(t, kgo.SeedBrokers(addr)))
	defer adm.Close()
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	end, _ := ends.Lookup(topic, 0)
	cl := mustClient(t, kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	defer cl.Close()
	var out []*kgo.Record
	next := int64(0)
	for next < end.Offset {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumed up to %d of %d: %v", next, end.Offset, err)
		}
		fs.EachError(func(_ string, _ int32, err error) { t.Fatalf("fetch: %v", err) })
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r); next = r.Offset + 1 })
	}
	return out
}

func mustClient(t *testing.T, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// checkLatest reports an error unless the records are exactly one per
// key, the latest, in offset order; a tombstoned key may be missing, or
// present as its tombstone when tombstonesMayStay.
func checkLatest(got []*kgo.Record, latest map[string]*string, tombstonesMayStay bool) error {
	seen := map[string]bool{}
	for _, r := range got {
		k := string(r.Key)
		if k == fillerKey {
			continue
		}
		if seen[k] {
			return fmt.Errorf("key %s read twice", k)
		}
		seen[k] = true
		want, ok := latest[k]
		switch {
		case !ok:
			return fmt.Errorf("unknown key %s", k)
		case want == nil && (r.Value != nil || !tombstonesMayStay):
			return fmt.Errorf("key %s: read %q at %d, want it gone", k, r.Value, r.Offset)
		case want != nil && string(r.Value) != *want:
			return fmt.Errorf("key %s: read %q, latest written %q", k, r.Value, *want)
		}
	}
	for k, v := range latest {
		if v != nil && !seen[k] {
			return fmt.Errorf("key %s lost", k)
		}
	}
	return nil
}

// TestConsumerOffsetsCompacted commits a group's offsets many times:
// __consumer_offsets is compacted down to the latest commit of each
// partition, and the group's offsets read after a restart are the last
// ones committed.
func TestConsumerOffsetsCompacted(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: cleanerProps})
	cl := b.Client()
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if resp, err := adm.CreateTopic(ctx, 3, 1, nil, "orders"); err != nil || resp.Err != nil {
		t.Fatalf("create topic: %v %v", err, resp.Err)
	}
	const commits = 1500
	for i := range commits {
		offs := kadm.Offsets{}
		for p := range int32(3) {
			offs.Add(kadm.Offset{Topic: "orders", Partition: p, At: int64(i*3) + int64(p), LeaderEpoch: -1})
		}
		if err := adm.CommitAllOffsets(ctx, "billing", offs); err != nil {
			t.Fatalf("commit %d: %v", i, err)
		}
	}
	dir := filepath.Join(b.DataDir, "logs", "__consumer_offsets-0")
	written := int64(0)
	harness.Eventually(t, 60*time.Second, "__consumer_offsets to shrink", func() error {
		n, leo := logBytes(t, dir), endOffset(ctx, t, adm, "__consumer_offsets")
		written = leo * 74 // measured without the cleaner: 334,500 bytes for these 4,500 records
		// What is left: the cleaned records, at most one closed segment
		// the cleaner has not reached yet, and the active segment.
		if n > written/10 || n > 3*16384 {
			return fmt.Errorf("%d bytes of segments for %d records", n, leo)
		}
		return nil
	})

	t.Logf("__consumer_offsets-0: %d records committed (about %d bytes), %d bytes on disk after cleaning", endOffset(ctx, t, adm, "__consumer_offsets"), written, logBytes(t, dir))

	if err := b.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	b.Start()
	adm2 := b.Admin()
	defer adm2.Close()
	harness.Eventually(t, 30*time.Second, "the last commits after the restart", func() error {
		offs, err := adm2.FetchOffsets(ctx, "billing")
		if err != nil {
			return err
		}
		for p := range int32(3) {
			o, ok := offs.Lookup("orders", p)
			if want := int64((commits-1)*3) + int64(p); !ok || o.At != want {
				return fmt.Errorf("partition %d: committed %d (%v), want %d", p, o.At, ok, want)
			}
		}
		return nil
	})
}

func endOffset(ctx context.Context, t *testing.T, adm *kadm.Client, topic string) int64 {
	t.Helper()
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
	return n
}
