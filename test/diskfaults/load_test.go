package diskfaults

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

// load writes unique values round-robin to some partitions of a topic,
// acks=all and idempotent, into a checker.Recorder: every send's outcome
// with when it came. Each group of partitions has a producer (and so
// connections) of its own.
type load struct {
	clients map[int32]*kgo.Client // by partition
	topic   string
	parts   []int32
	rec     *checker.Recorder
}

func newLoad(c *cluster, topic string, groups ...[]int32) *load {
	l := &load{clients: map[int32]*kgo.Client{}, topic: topic, rec: checker.NewRecorder(true)}
	for _, g := range groups {
		cl := c.client(
			kgo.RequiredAcks(kgo.AllISRAcks()), // idempotent: franz-go's default with acks=all
			kgo.ProducerBatchCompression(kgo.NoCompression()),
			kgo.RecordPartitioner(kgo.ManualPartitioner()),
			kgo.ProduceRequestTimeout(5*time.Second),
			kgo.RequestTimeoutOverhead(time.Second),
			kgo.RetryBackoffFn(func(int) time.Duration { return 50 * time.Millisecond }),
			kgo.MetadataMinAge(50*time.Millisecond),
		)
		for _, p := range g {
			l.clients[p] = cl
			l.parts = append(l.parts, p)
		}
	}
	return l
}

// start produces in the background, one record every 2 ms, until the
// returned stop is called (also at cleanup), and waits for the first
// acknowledgements on every partition.
func (l *load) start(t *testing.T) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ctx.Err() == nil; i++ {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
			p := l.parts[i%len(l.parts)]
			l.clients[p].Produce(context.Background(), &kgo.Record{Topic: l.topic, Partition: p, Value: []byte(fmt.Sprintf("p%d-%d", p, i))}, l.onAck)
		}
	}()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	if err := l.waitAcked(20, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	return stop
}

func (l *load) onAck(r *kgo.Record, err error) {
	l.rec.Ack(string(r.Value), r.Partition, r.Offset, err)
}

// waitAcked waits until every partition has n more acknowledgements than
// now.
func (l *load) waitAcked(n int, within time.Duration) error {
	return l.rec.WaitAcked(l.parts, n, within)
}

// fault is one injected failure, the partitions it hit, and when the
// cluster was whole again.
type fault struct {
	what       string
	parts      []int32
	start, end time.Time
}

// verdict stops the load, waits for what is in flight, reads every
// partition back and holds the acknowledged records against it with
// test/checker (none may be lost, duplicated, at another offset than
// acknowledged or out of the order acknowledged), then stops the brokers and compares their logs byte for
// byte up to the high watermark.
func verdict(t *testing.T, c *cluster, l *load, stop func(), scenario string, faults ...fault) {
	t.Helper()
	stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, cl := range l.clients {
		if err := cl.Flush(ctx); err != nil {
			t.Fatalf("flush: %v", err)
		}
	}
	l.rec.Polled(consumeAll(t, c, l.topic, l.parts)...)
	h := l.rec.History()
	// Each partition has one idempotent producer: its records keep the
	// order they were acknowledged in.
	h.Final, h.Ordered = []string{"final"}, true
	r := checker.Check(h)
	t.Logf("%s", r.Table(scenario))
	if err := r.Err(); err != nil {
		t.Errorf("checker: %v", err)
	}
	for _, f := range faults {
		for _, p := range f.parts {
			t.Logf("  %-44s partition %d unavailable (longest gap between acks) %v", f.what, p,
				checker.UnavailableBetween(h, p, f.start, f.end).Round(time.Millisecond))
		}
	}
	harness.StopAll(c.t, c.brokers)
	brokers := []*harness.Broker{c.brokers[1], c.brokers[2], c.brokers[3]}
	for _, p := range l.parts {
		harness.CheckReplicasAgree(t, brokers, l.topic, p)
	}
}

// consumeAll reads parts from their start to their high watermarks, as
// the checker's consumer "final".
func consumeAll(t *testing.T, c *cluster, topic string, parts []int32) []checker.Poll {
	t.Helper()
	adm := kadm.NewClient(c.client())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	listed, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatalf("end offsets of %s: %v", topic, err)
	}
	ends, offsets := map[int32]int64{}, map[int32]kgo.Offset{}
	for _, p := range parts {
		end, _ := listed.Lookup(topic, p)
		ends[p], offsets[p] = end.Offset, kgo.NewOffset().AtStart()
	}
	cl := c.client(kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: offsets}))
	return harness.ReadToEnd(t, cl, topic, ends, 30*time.Second)
}
