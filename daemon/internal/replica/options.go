package replica

import (
	"context"
	"sync"
	"time"
)

// Option configures a Manager.
type Option func(*Manager)

// WithIsrStore lets the manager change the ISR of partitions it leads,
// recording each change in store. Without one the ISR is only what
// LeaderAndIsr says.
func WithIsrStore(store IsrStore) Option { return func(m *Manager) { m.isrStore = store } }

// WithLagTimeMax sets replica.lag.time.max.ms.
func WithLagTimeMax(d time.Duration) Option { return func(m *Manager) { m.lagTimeMax = d } }

// WithClock replaces time.Now, for tests of lag.
func WithClock(now func() time.Time) Option { return func(m *Manager) { m.now = now } }

// WithIsrEligible sets which brokers a leader may add to an ISR: those the
// metadata cache knows alive (Kafka's isReplicaIsrEligible). A follower's
// fetch answered after its broker left the cluster must not bring a dead
// broker back into the ISR, where nothing would remove it until
// replica.lag.time.max.ms passed and acks=all writes would wait for it.
func WithIsrEligible(eligible func(broker int32) bool) Option {
	return func(m *Manager) { m.isrEligible = eligible }
}

// WithFetchers hands followed partitions to the follower fetchers.
func WithFetchers(f Fetchers) Option { return func(m *Manager) { m.fetchers = f } }

// Fetchers replicate the partitions this broker follows (package fetcher).
// The manager calls them after a partition's state changed, so a fetch
// answered for an older state is refused by the partition itself.
type Fetchers interface {
	// Follow starts (or moves) fetching p from leader at leaderEpoch.
	Follow(p *Partition, leader, leaderEpoch int32)
	// Unfollow stops fetching p.
	Unfollow(p *Partition)
}

type noFetchers struct{}

func (noFetchers) Follow(*Partition, int32, int32) {}
func (noFetchers) Unfollow(*Partition)             {}

// Run writes ISR changes and checks follower lag until ctx ends. Without
// an ISR store there is nothing to do.
func (m *Manager) Run(ctx context.Context) {
	if m.isrStore == nil {
		<-ctx.Done()
		return
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); m.runIsrWriter(ctx) }()
	go func() { defer wg.Done(); m.runLagCheck(ctx) }()
	wg.Wait()
}

// defaultLagTimeMax is replica.lag.time.max.ms's default.
const defaultLagTimeMax = 30 * time.Second
