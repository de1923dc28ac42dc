package replica_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

// fakeIsrStore is a state znode per partition with compare-and-set.
type fakeIsrStore struct {
	mu       sync.Mutex
	version  int32
	isr      []int32
	fail     error // returned by the next UpdateIsr, then cleared
	writes   int
	notified []partitionlog.TopicPartition
}

func (s *fakeIsrStore) UpdateIsr(_ context.Context, _ string, _ int32, st replica.State) (int32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail; err != nil {
		s.fail = nil
		return 0, err
	}
	if st.ZkVersion != s.version {
		return 0, fmt.Errorf("version %d, znode at %d: %w", st.ZkVersion, s.version, replica.ErrIsrConflict)
	}
	s.version++
	s.isr = slices.Clone(st.ISR)
	s.writes++
	return s.version, nil
}

func (s *fakeIsrStore) NotifyIsrChanged(_ context.Context, parts []partitionlog.TopicPartition) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notified = append(s.notified, parts...)
	return nil
}

func (s *fakeIsrStore) snapshot() (isr []int32, writes, notified int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.isr), s.writes, len(s.notified)
}

// fakeClock is a settable time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const lagMax = 10 * time.Second

// newIsrManager is newManager with an ISR store, a fake clock, and the
// writer running until the test ends.
func newIsrManager(t *testing.T, store replica.IsrStore, opts ...replica.Option) (*replica.Manager, *fakeClock) {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	logs, err := partitionlog.OpenManager([]string{t.TempDir()}, partitionlog.ManagerOptions{Logger: logger, FileDeleteDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: time.Unix(1000, 0)}
	m := replica.NewManager(self, logs, logConfigs{}, logger, append([]replica.Option{
		replica.WithIsrStore(store), replica.WithLagTimeMax(lagMax), replica.WithClock(clock.Now)}, opts...)...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if err := logs.Close(); err != nil {
			t.Errorf("close logs: %v", err)
		}
	})
	return m, clock
}

func fetchAs(t *testing.T, p *replica.Partition, id int32, offset int64) {
	t.Helper()
	if _, err := p.Read(replica.FetchParams{Offset: offset, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: id, LastFetchedEpoch: -1}); err != nil {
		t.Fatalf("fetch by %d at %d: %v", id, offset, err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond) // polling a condition, not waiting for time
	}
}

func isrOf(p *replica.Partition) []int32 { return p.State().ISR }

func TestIsrExpandsWhenFollowerReachesHighWatermark(t *testing.T) {
	tests := []struct {
		name   string
		fetch  int64
		expand bool
	}{
		{name: "below the high watermark", fetch: 2, expand: false},
		{name: "at the high watermark", fetch: 5, expand: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := &fakeIsrStore{isr: []int32{1}}
			m, _ := newIsrManager(t, store)
			p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1}})
			mustAppend(t, p, 5)
			fetchAs(t, p, 2, tc.fetch)
			if tc.expand {
				waitFor(t, "ISR {1,2}", func() bool { return slices.Equal(isrOf(p), []int32{1, 2}) })
				waitFor(t, "notification", func() bool { _, _, n := store.snapshot(); return n == 1 })
				if got := p.State().ZkVersion; got != 1 {
					t.Fatalf("zk version %d after one write, want 1", got)
				}
				return
			}
			m.ShrinkLaggingIsrs() // any pass of the writer is done by now
			if _, writes, _ := store.snapshot(); writes != 0 || len(isrOf(p)) != 1 {
				t.Fatalf("ISR %v after %d writes, want {1} and no write", isrOf(p), writes)
			}
		})
	}
}

// A fetch answered after the follower's broker left the cluster (or while
// the metadata does not know it alive) does not bring it into the ISR.
// Broker 3's caught-up fetch follows broker 2's: had 2 been proposed, the
// ISR would hold 2 (and 3 only if its fetch came after the write).
func TestIsrExpandsOnlyWithLiveBrokers(t *testing.T) {
	var alive atomic.Bool
	store := &fakeIsrStore{isr: []int32{1}}
	m, _ := newIsrManager(t, store, replica.WithIsrEligible(func(id int32) bool { return id != 2 || alive.Load() }))
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2, 3}, ISR: []int32{1}})
	mustAppend(t, p, 5)
	fetchAs(t, p, 2, 5)
	fetchAs(t, p, 3, 5)
	waitFor(t, "a first ISR write", func() bool { _, writes, _ := store.snapshot(); return writes == 1 })
	if isr, _, _ := store.snapshot(); !slices.Equal(isr, []int32{1, 3}) {
		t.Fatalf("ISR written %v with broker 2 not alive, want [1 3]", isr)
	}
	alive.Store(true)
	fetchAs(t, p, 2, 5)
	waitFor(t, "ISR {1,3,2} once broker 2 is alive", func() bool { return slices.Equal(isrOf(p), []int32{1, 3, 2}) })
}

func TestIsrShrinksLaggingFollower(t *testing.T) {
	store := &fakeIsrStore{isr: []int32{1, 2, 3}}
	m, clock := newIsrManager(t, store)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2, 3}, ISR: []int32{1, 2, 3}})
	mustAppend(t, p, 5)
	clock.Advance(lagMax / 2)
	fetchAs(t, p, 2, 5) // caught up
	fetchAs(t, p, 3, 1) // behind
	clock.Advance(lagMax/2 + time.Second)
	m.ShrinkLaggingIsrs()
	waitFor(t, "ISR {1,2}", func() bool { return slices.Equal(isrOf(p), []int32{1, 2}) })
	if isr, _, _ := store.snapshot(); !slices.Equal(isr, []int32{1, 2}) {
		t.Fatalf("store has ISR %v, want [1 2]", isr)
	}
	// With 3 gone the high watermark follows 2 alone.
	if _, hw, _ := p.Offsets(); hw != 5 {
		t.Fatalf("high watermark %d, want 5", hw)
	}
}

func TestCaughtUpFollowerIsNeverShrunk(t *testing.T) {
	store := &fakeIsrStore{isr: []int32{1, 2}}
	m, clock := newIsrManager(t, store)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	mustAppend(t, p, 3)
	fetchAs(t, p, 2, 3)
	clock.Advance(10 * lagMax) // idle partition: no fetch needed to stay in sync
	m.ShrinkLaggingIsrs()
	m.ShrinkLaggingIsrs()
	if _, writes, _ := store.snapshot(); writes != 0 {
		t.Fatalf("%d ISR writes for a caught-up follower", writes)
	}
}

func TestPendingShrinkHoldsHighWatermark(t *testing.T) {
	// The store is slow: while the shrink is unwritten, the dropped
	// follower still bounds the high watermark.
	store := &blockingIsrStore{fakeIsrStore: fakeIsrStore{isr: []int32{1, 2}}, release: make(chan struct{})}
	m, clock := newIsrManager(t, store)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	mustAppend(t, p, 4)
	clock.Advance(2 * lagMax)
	m.ShrinkLaggingIsrs()
	mustAppend(t, p, 1)
	if _, hw, _ := p.Offsets(); hw != 0 {
		t.Fatalf("high watermark %d while the shrink is unwritten, want 0", hw)
	}
	if done, _, err := p.Replicated(5, 1); done || err != nil {
		t.Fatalf("acks=all done=%v err=%v before the shrink is written", done, err)
	}
	close(store.release)
	waitFor(t, "high watermark 5", func() bool { _, hw, _ := p.Offsets(); return hw == 5 })
}

type blockingIsrStore struct {
	fakeIsrStore
	release chan struct{}
}

func (s *blockingIsrStore) UpdateIsr(ctx context.Context, topic string, p int32, st replica.State) (int32, error) {
	select {
	case <-s.release:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return s.fakeIsrStore.UpdateIsr(ctx, topic, p, st)
}

func TestIsrConflictFencesLeader(t *testing.T) {
	store := &fakeIsrStore{isr: []int32{1}, version: 7} // someone else wrote
	m, _ := newIsrManager(t, store)
	p := lead(t, m, replica.State{Leader: self, LeaderEpoch: 3, Replicas: []int32{1, 2}, ISR: []int32{1}, ZkVersion: 6})
	mustAppend(t, p, 2)
	fetchAs(t, p, 2, 2)
	waitFor(t, "fenced", func() bool { return p.CheckLeader(-1) != nil })
	if _, err := p.AppendAsLeader(records(1), -1, 1); !errors.Is(err, replica.ErrNotLeaderOrFollower) {
		t.Fatalf("append on a fenced leader: %v, want ErrNotLeaderOrFollower", err)
	}
	if _, _, err := p.Replicated(2, 1); !errors.Is(err, replica.ErrNotLeaderOrFollower) {
		t.Fatalf("acks on a fenced leader: %v, want ErrNotLeaderOrFollower", err)
	}
	// The next LeaderAndIsr (a newer epoch) lifts the fence.
	lead(t, m, replica.State{Leader: self, LeaderEpoch: 4, Replicas: []int32{1, 2}, ISR: []int32{1}, ZkVersion: 8})
	if err := p.CheckLeader(4); err != nil {
		t.Fatalf("leader after a new LeaderAndIsr: %v", err)
	}
}

func TestIsrWriteRetriedAfterStoreError(t *testing.T) {
	store := &fakeIsrStore{isr: []int32{1}, fail: errors.New("connection loss")}
	m, _ := newIsrManager(t, store)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1}})
	fetchAs(t, p, 2, 0)
	waitFor(t, "ISR {1,2} after a retry", func() bool { return slices.Equal(isrOf(p), []int32{1, 2}) })
}

func TestDivergingFetchDoesNotMoveHighWatermark(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, LeaderEpoch: 2, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	mustAppend(t, p, 5)
	// The follower claims 8 offsets of epoch 1, which this log never had:
	// it must truncate, and its offset says nothing about replication.
	res, err := p.Read(replica.FetchParams{Offset: 8, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: 2, LastFetchedEpoch: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.DivergingEpoch == nil {
		t.Fatal("no diverging epoch")
	}
	if _, hw, _ := p.Offsets(); hw != 0 {
		t.Fatalf("high watermark %d after a diverging fetch, want 0", hw)
	}
}

func TestStaleLeaderAndIsrKeepsNewerIsr(t *testing.T) {
	store := &fakeIsrStore{isr: []int32{1}}
	m, _ := newIsrManager(t, store)
	p := lead(t, m, replica.State{Leader: self, LeaderEpoch: 1, Replicas: []int32{1, 2}, ISR: []int32{1}})
	fetchAs(t, p, 2, 0)
	waitFor(t, "ISR {1,2}", func() bool { return slices.Equal(isrOf(p), []int32{1, 2}) })
	// The controller resends its cached state (same epoch, older version).
	lead(t, m, replica.State{Leader: self, LeaderEpoch: 1, Replicas: []int32{1, 2}, ISR: []int32{1}})
	if got := isrOf(p); !slices.Equal(got, []int32{1, 2}) {
		t.Fatalf("ISR %v after a stale resend, want [1 2]", got)
	}
}

func TestFollowerFetchReportsHighWatermarkNews(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	mustAppend(t, p, 3)
	steps := []struct {
		offset   int64
		hw       int64
		news     bool
		describe string
	}{
		{offset: 0, hw: 0, news: false, describe: "nothing committed yet"},
		{offset: 3, hw: 3, news: true, describe: "this fetch commits everything"},
		{offset: 3, hw: 3, news: false, describe: "already told"},
	}
	for _, s := range steps {
		res, err := p.Read(replica.FetchParams{Offset: s.offset, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: 2, LastFetchedEpoch: -1})
		if err != nil {
			t.Fatal(err)
		}
		if res.HighWatermark != s.hw || res.HighWatermarkNews != s.news {
			t.Fatalf("%s: high watermark %d news %v, want %d %v", s.describe, res.HighWatermark, res.HighWatermarkNews, s.hw, s.news)
		}
	}
}

func TestResentLeaderAndIsrKeepsIsrWriteInFlight(t *testing.T) {
	store := &blockingIsrStore{fakeIsrStore: fakeIsrStore{isr: []int32{1}}, release: make(chan struct{})}
	m, _ := newIsrManager(t, store)
	s := replica.State{Leader: self, LeaderEpoch: 2, Replicas: []int32{1, 2}, ISR: []int32{1}}
	p := lead(t, m, s)
	fetchAs(t, p, 2, 0) // proposes {1,2}; the write waits
	lead(t, m, s)       // the controller resends the same state meanwhile
	close(store.release)
	waitFor(t, "ISR {1,2} at version 1", func() bool {
		st := p.State()
		return slices.Equal(st.ISR, []int32{1, 2}) && st.ZkVersion == 1
	})
}
