package replication

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

// chaosProducer writes unique values round-robin to a topic's partitions
// at a steady rate, acks=all, into a checker.Recorder: every send's
// outcome, with when it came, and what the live consumer read.
type chaosProducer struct {
	cl         *kgo.Client
	topic      string
	partitions int32
	// c, when set, is the cluster a consumer reads throughout (start), so
	// the checker sees reads during the faults too.
	c   *cluster
	rec *checker.Recorder
}

func newChaosProducer(c *cluster, topic string, partitions int32) *chaosProducer {
	cl := c.producer(kgo.ProduceRequestTimeout(3 * time.Second))
	return &chaosProducer{cl: cl, topic: topic, partitions: partitions, c: c, rec: checker.NewRecorder(false)}
}

// run produces until ctx ends, one record every interval.
func (p *chaosProducer) run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
		part := int32(i) % p.partitions
		r := &kgo.Record{Topic: p.topic, Partition: part, Value: []byte(fmt.Sprintf("p%d-%d", part, i))}
		p.cl.Produce(context.Background(), r, p.onAck)
	}
}

func (p *chaosProducer) onAck(r *kgo.Record, err error) {
	p.rec.Ack(string(r.Value), r.Partition, r.Offset, err)
}

// flush waits for every record in flight to be acknowledged or fail.
func (p *chaosProducer) flush(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return p.cl.Flush(ctx)
}

// all lists the topic's partitions.
func (p *chaosProducer) all() []int32 {
	out := make([]int32, 0, p.partitions)
	for part := range p.partitions {
		out = append(out, part)
	}
	return out
}

// waitAcked polls until every partition has n more acknowledgements than
// now, or the deadline passes.
func (p *chaosProducer) waitAcked(n int, within time.Duration) error {
	return p.rec.WaitAcked(p.all(), n, within)
}

// start runs the producer in the background, one record every 2 ms, and
// waits for its first acknowledgements on every partition. The returned
// stop ends it and waits for it; it is safe to call twice and also runs at
// the test's cleanup.
func (p *chaosProducer) start(t *testing.T) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); p.run(ctx, 2*time.Millisecond) }()
	if p.c != nil {
		cl := p.c.client(kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{p.topic: allFromStart(p.partitions)}),
			kgo.FetchMaxWait(200*time.Millisecond), kgo.RequestTimeoutOverhead(time.Second))
		wg.Add(1)
		go func() { defer wg.Done(); p.watch(ctx, cl) }()
	}
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	if err := p.waitAcked(20, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	return stop
}

// allFromStart assigns partitions 0..n-1 from their start.
func allFromStart(n int32) map[int32]kgo.Offset {
	out := map[int32]kgo.Offset{}
	for p := range n {
		out[p] = kgo.NewOffset().AtStart()
	}
	return out
}

// watch records what a consumer reads until ctx ends: reads during the
// faults, which the checker holds against each other and the final read
// (two values at one offset, offsets going backwards).
func (p *chaosProducer) watch(ctx context.Context, cl *kgo.Client) {
	for ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		var polls []checker.Poll
		fs.EachRecord(func(r *kgo.Record) {
			polls = append(polls, checker.Poll{Consumer: "live", Partition: r.Partition, Offset: r.Offset, Value: string(r.Value)})
		})
		p.rec.Polled(polls...)
	}
}

// check runs test/checker on the history with the final read of every
// partition, logs its table and fails the test on an anomaly.
func (p *chaosProducer) check(t *testing.T, final []checker.Poll) checker.Result {
	t.Helper()
	p.rec.Polled(final...)
	h := p.rec.History()
	// One producer, idempotent or with one request in flight: its records
	// keep the order they were acknowledged in.
	h.Final, h.Ordered = []string{"final"}, true
	r := checker.Check(h)
	t.Logf("%s", r.Table(t.Name()))
	if err := r.Err(); err != nil {
		t.Errorf("checker: %v", err)
	}
	return r
}

// consumeRecords reads every partition of topic from the start to its
// high watermark, as the checker's consumer "final".
func (c *cluster) consumeRecords(topic string) []checker.Poll {
	c.t.Helper()
	ends := c.highWatermarks(topic)
	offsets := map[int32]kgo.Offset{}
	for p := range ends {
		offsets[p] = kgo.NewOffset().AtStart()
	}
	cl := c.clientFor(c.addrs()[0])
	defer cl.Close()
	cl.AddConsumePartitions(map[string]map[int32]kgo.Offset{topic: offsets})
	return harness.ReadToEnd(c.t, cl, topic, ends, 30*time.Second)
}

// verdict stops the producer, waits for what it has in flight, reports the
// acknowledged records against what the partitions hold, stops the brokers
// and compares their logs byte for byte up to the high watermark.
func verdict(t *testing.T, c *cluster, p *chaosProducer, stop func(), topic string, partitions int32, faults ...fault) {
	t.Helper()
	stop()
	if err := p.flush(30 * time.Second); err != nil {
		t.Fatalf("flush: %v", err)
	}
	report(t, c, p, topic, faults)
	harness.StopAll(c.t, c.brokers)
	for part := range partitions {
		checkReplicasAgree(t, c, topic, part)
	}
}
