package replication

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

// ack is one acknowledged record.
type ack struct {
	value string
	at    time.Time
}

// chaosProducer writes unique values round-robin to a topic's partitions
// at a steady rate, acks=all, and remembers per partition what was
// acknowledged, in the order the acknowledgements came.
type chaosProducer struct {
	cl         *kgo.Client
	topic      string
	partitions int32

	// idempotent producers must leave no duplicate (report checks it).
	idempotent bool
	// c, when set, is the cluster a consumer reads throughout (start), so
	// the checker sees reads during the faults too.
	c *cluster

	mu     sync.Mutex
	acked  map[int32][]ack
	failed int
	sent   int
	// history is every send's outcome and every record the live consumer
	// read, for test/checker.
	history checker.History
}

func newChaosProducer(c *cluster, topic string, partitions int32) *chaosProducer {
	cl := c.producer(kgo.ProduceRequestTimeout(3 * time.Second))
	return &chaosProducer{cl: cl, topic: topic, partitions: partitions, acked: map[int32][]ack{}, c: c}
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
		p.mu.Lock()
		p.sent++
		p.mu.Unlock()
		p.cl.Produce(context.Background(), r, p.onAck)
	}
}

func (p *chaosProducer) onAck(r *kgo.Record, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.history.Sends = append(p.history.Sends, checker.Send{Value: string(r.Value), Partition: r.Partition, Offset: r.Offset, Err: err, At: time.Now()})
	if err != nil {
		p.failed++
		return
	}
	p.acked[r.Partition] = append(p.acked[r.Partition], ack{value: string(r.Value), at: time.Now()})
}

// flush waits for every record in flight to be acknowledged or fail.
func (p *chaosProducer) flush(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return p.cl.Flush(ctx)
}

// count returns how many records were acknowledged on partition.
func (p *chaosProducer) count(partition int32) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.acked[partition])
}

// gap returns the longest time without an acknowledgement on partition
// between from and to: how long it was unavailable around a fault.
func (p *chaosProducer) gap(partition int32, from, to time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	last := from
	var longest time.Duration
	for _, a := range p.acked[partition] {
		if a.at.Before(from) {
			continue
		}
		if a.at.After(to) {
			break
		}
		longest = max(longest, a.at.Sub(last))
		last = a.at
	}
	return max(longest, to.Sub(last))
}

// waitAcked polls until every partition has n more acknowledgements than
// now, or the deadline passes.
func (p *chaosProducer) waitAcked(n int, within time.Duration) error {
	start := make(map[int32]int)
	for part := range p.partitions {
		start[part] = p.count(part)
	}
	deadline := time.Now().Add(within)
	for {
		done := true
		for part := range p.partitions {
			done = done && p.count(part) >= start[part]+n
		}
		if done {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("fewer than %d new acknowledgements per partition within %v", n, within)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition
	}
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
		p.mu.Lock()
		p.history.Polls = append(p.history.Polls, polls...)
		p.mu.Unlock()
	}
}

// check runs test/checker on the history with the final read of every
// partition, logs its table and fails the test on an anomaly.
func (p *chaosProducer) check(t *testing.T, final []checker.Poll) {
	t.Helper()
	p.mu.Lock()
	h := p.history
	h.Polls = append(slices.Clone(h.Polls), final...)
	p.mu.Unlock()
	h.Final, h.Idempotent = []string{"final"}, p.idempotent
	r := checker.Check(h)
	t.Logf("%s", r.Table(t.Name()))
	if err := r.Err(); err != nil {
		t.Errorf("checker: %v", err)
	}
}

// consumeRecords reads a partition from the start to its high watermark,
// as the checker's consumer "final".
func (c *cluster) consumeRecords(topic string, p int32) []checker.Poll {
	c.t.Helper()
	end := c.highWatermark(topic, p)
	cl := c.clientFor(c.addrs()[0])
	defer cl.Close()
	cl.AddConsumePartitions(map[string]map[int32]kgo.Offset{topic: {p: kgo.NewOffset().AtStart()}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []checker.Poll
	for next := int64(0); next < end; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			c.t.Fatalf("consume %s-%d: at %d of %d after 30s", topic, p, next, end)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if r.Offset < end {
				out = append(out, checker.Poll{Consumer: "final", Partition: p, Offset: r.Offset, Value: string(r.Value)})
			}
			next = r.Offset + 1
		})
	}
	return out
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
	report(t, c, p, topic, partitions, faults)
	harness.StopAll(c.t, c.brokers)
	for part := range partitions {
		checkReplicasAgree(t, c, topic, part)
	}
}
