package diskfaults

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

// load writes unique values round-robin to some partitions of a topic,
// acks=all and idempotent, and remembers per partition when each
// acknowledgement came. Each group of partitions has a producer (and so
// connections) of its own.
type load struct {
	clients map[int32]*kgo.Client // by partition
	topic   string
	parts   []int32

	mu      sync.Mutex
	acked   map[int32][]ack
	sent    int
	failed  int
	history checker.History // every send's outcome, for test/checker
}

type ack struct {
	value string
	at    time.Time
}

func newLoad(c *cluster, topic string, groups ...[]int32) *load {
	l := &load{clients: map[int32]*kgo.Client{}, topic: topic, acked: map[int32][]ack{}}
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
			l.mu.Lock()
			l.sent++
			l.mu.Unlock()
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
	l.mu.Lock()
	defer l.mu.Unlock()
	l.history.Sends = append(l.history.Sends, checker.Send{Value: string(r.Value), Partition: r.Partition, Offset: r.Offset, Err: err, At: time.Now()})
	if err != nil {
		l.failed++
		return
	}
	l.acked[r.Partition] = append(l.acked[r.Partition], ack{value: string(r.Value), at: time.Now()})
}

func (l *load) count(p int32) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked[p])
}

// waitAcked waits until every partition has n more acknowledgements than
// now.
func (l *load) waitAcked(n int, within time.Duration) error { return l.waitAckedOn(l.parts, n, within) }

// waitAckedOn waits until each of parts has n more acknowledgements than
// now.
func (l *load) waitAckedOn(parts []int32, n int, within time.Duration) error {
	start := map[int32]int{}
	for _, p := range parts {
		start[p] = l.count(p)
	}
	deadline := time.Now().Add(within)
	for {
		done := true
		for _, p := range parts {
			done = done && l.count(p) >= start[p]+n
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

// gap returns the longest time without an acknowledgement on partition
// between from and to.
func (l *load) gap(p int32, from, to time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	last := from
	var longest time.Duration
	for _, a := range l.acked[p] {
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

// fault is one injected failure, the partitions it hit, and when the
// cluster was whole again.
type fault struct {
	what       string
	parts      []int32
	start, end time.Time
}

// verdict stops the load, waits for what is in flight, reads every
// partition back and reports the acknowledged records against it (none
// may be lost, duplicated or out of order), then stops the brokers and
// compares their logs byte for byte up to the high watermark.
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
	total, lost, dups, disorder := 0, 0, 0, 0
	var final []checker.Poll
	for _, p := range l.parts {
		polls := consumeAll(t, c, l.topic, p)
		final = append(final, polls...)
		got := make([]string, len(polls))
		for i, r := range polls {
			got[i] = r.Value
		}
		first := map[string]int{}
		for i, v := range got {
			if at, seen := first[v]; seen {
				dups++
				if dups <= 5 {
					t.Errorf("partition %d: %q at positions %d and %d", p, v, at, i)
				}
				continue
			}
			first[v] = i
		}
		l.mu.Lock()
		acked := l.acked[p]
		l.mu.Unlock()
		total += len(acked)
		prev := -1
		for _, a := range acked {
			at, ok := first[a.value]
			switch {
			case !ok:
				lost++
				t.Errorf("partition %d: acknowledged %q is missing", p, a.value)
			case at < prev:
				disorder++
				t.Errorf("partition %d: acknowledged %q at position %d, before an earlier acknowledgement at %d", p, a.value, at, prev)
			default:
				prev = at
			}
		}
	}
	if dups > 0 {
		t.Errorf("%d duplicates from an idempotent producer", dups)
	}
	l.check(t, scenario, final)
	t.Logf("fault injection: %s: %d records sent, %d acknowledged, %d lost, %d duplicated, %d out of order, %d failed",
		scenario, l.sent, total, lost, dups, disorder, l.failed)
	for _, f := range faults {
		for _, p := range f.parts {
			t.Logf("  %-44s partition %d unavailable (longest gap between acks) %v", f.what, p, l.gap(p, f.start, f.end).Round(time.Millisecond))
		}
	}
	harness.StopAll(c.t, c.brokers)
	brokers := []*harness.Broker{c.brokers[1], c.brokers[2], c.brokers[3]}
	for _, p := range l.parts {
		harness.CheckReplicasAgree(t, brokers, l.topic, p)
	}
}

// consumeAll reads a partition from its start to its high watermark.
func consumeAll(t *testing.T, c *cluster, topic string, p int32) []checker.Poll {
	t.Helper()
	adm := kadm.NewClient(c.client())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatalf("end offsets of %s: %v", topic, err)
	}
	end, _ := ends.Lookup(topic, p)
	cl := c.client(kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {p: kgo.NewOffset().AtStart()}}))
	var out []checker.Poll
	for next := int64(0); next < end.Offset; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consume %s-%d: at %d of %d after 30s", topic, p, next, end.Offset)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if r.Offset < end.Offset {
				out = append(out, checker.Poll{Consumer: "final", Partition: p, Offset: r.Offset, Value: string(r.Value)})
			}
			next = r.Offset + 1
		})
	}
	return out
}

// check runs test/checker on the sends and the final read of every
// partition, logs its table and fails the test on an anomaly.
func (l *load) check(t *testing.T, scenario string, final []checker.Poll) {
	t.Helper()
	l.mu.Lock()
	h := checker.History{Sends: slices.Clone(l.history.Sends), Polls: final, Final: []string{"final"}, Idempotent: true}
	l.mu.Unlock()
	r := checker.Check(h)
	t.Logf("%s", r.Table(scenario))
	if err := r.Err(); err != nil {
		t.Errorf("checker: %v", err)
	}
}
