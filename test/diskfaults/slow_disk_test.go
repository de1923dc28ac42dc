package diskfaults

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
)

// stall is how long each fsync on the slow log dir takes while it is slow.
const stall = 2 * time.Second

// A disk whose fsyncs stall does not stall the partitions of other disks:
// broker 1 keeps its partitions in two log dirs, and every fsync in one
// of them takes two seconds for a while (the kqfaults build's injector).
// The topic uses flush.mode=group-commit, so an acknowledgement waits for
// the leader's fsync: the slow dir's partitions are acknowledged about
// once per stall, while the partitions of the other dir, on the same
// broker, keep being acknowledged and fetched (each from a producer and a
// consumer of their own, since a connection answers its requests in
// order, as Kafka's) with gaps well below the stall.
func TestSlowFsyncIsolated(t *testing.T) {
	if testing.Short() {
		t.Skip("the slow-disk scenario takes about a minute")
	}
	control := filepath.Join(t.TempDir(), "faults")
	t.Setenv("KQ_FAULTS_FILE", control)
	dirs := []string{filepath.Join(t.TempDir(), "slow"), filepath.Join(t.TempDir(), "fast")}
	c := startCluster(t, dirs, nil)
	const topic, partitions = "fsync", int32(4)
	c.createTopic(topic, partitions, map[string]string{"flush.mode": "group-commit"})
	slow, fast := c.inDir(dirs[0], topic, partitions), c.inDir(dirs[1], topic, partitions)
	if len(slow) == 0 || len(fast) == 0 {
		t.Fatalf("broker 1 keeps partitions %v on the slow dir and %v on the other: want both used", slow, fast)
	}
	l := newLoad(c, topic, slow, fast)
	stop := l.start(t)
	reads := startReader(t, c, topic, fast)

	f := fault{what: fmt.Sprintf("fsyncs of broker 1's dir stall %v", stall), parts: append(append([]int32{}, fast...), slow...), start: time.Now()}
	rules := fmt.Sprintf("sync,syncdir %s/* delay=%v\nsync,syncdir %s/*/* delay=%v\n", dirs[0], stall, dirs[0], stall)
	if err := os.WriteFile(control, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	// Long enough for several stalled fsyncs in a row.
	if err := l.rec.WaitAcked(fast, 2000, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := l.rec.WaitAcked(slow, 3, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	during := time.Now()
	if err := os.Remove(control); err != nil {
		t.Fatal(err)
	}
	if err := l.waitAcked(50, 30*time.Second); err != nil {
		t.Fatalf("after the disk is fast again: %v", err)
	}
	f.end = time.Now()
	for _, p := range slow {
		if g := l.rec.Unavailable(p, f.start, during); g < stall/2 {
			t.Errorf("slow dir's partition %d: longest gap %v, the stall did not happen", p, g)
		}
	}
	for _, p := range fast {
		if g := l.rec.Unavailable(p, f.start, during); g > stall/2 {
			t.Errorf("other dir's partition %d: acknowledgements stalled %v (the stall is %v)", p, g, stall)
		}
		if g := reads.gap(p, f.start, during); g > stall/2 {
			t.Errorf("other dir's partition %d: fetches stalled %v (the stall is %v)", p, g, stall)
		}
		t.Logf("other dir's partition %d: longest gap between acknowledgements %v, between fetched records %v",
			p, l.rec.Unavailable(p, f.start, during).Round(time.Millisecond), reads.gap(p, f.start, during).Round(time.Millisecond))
	}
	verdict(t, c, l, stop, "slow fsync", f)
}

// reader consumes partitions from their end and notes when each record
// arrives.
type reader struct {
	mu    sync.Mutex
	times map[int32][]time.Time
}

func startReader(t *testing.T, c *cluster, topic string, parts []int32) *reader {
	t.Helper()
	offsets := map[int32]kgo.Offset{}
	for _, p := range parts {
		offsets[p] = kgo.NewOffset().AtEnd()
	}
	cl := c.client(kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: offsets}), kgo.FetchMaxWait(100*time.Millisecond))
	r := &reader{times: map[int32][]time.Time{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			now := time.Now()
			r.mu.Lock()
			fs.EachRecord(func(rec *kgo.Record) { r.times[rec.Partition] = append(r.times[rec.Partition], now) })
			r.mu.Unlock()
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return r
}

// gap is the longest time between from and to without a record fetched.
func (r *reader) gap(p int32, from, to time.Time) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return checker.LongestGap(r.times[p], from, to)
}
