package fetcher

import (
	"context"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/daemon/internal/replica"
)

// Config configures the fetchers (Kafka's replica.fetch.* settings).
type Config struct {
	BrokerID int32
	// Address returns a broker's endpoint on the inter-broker listener,
	// false while the metadata cache does not know it yet.
	Address func(broker int32) (string, bool)
	Dial    Dialer

	MaxBytes         int32         // replica.fetch.max.bytes, per partition
	ResponseMaxBytes int32         // replica.fetch.response.max.bytes
	MinBytes         int32         // replica.fetch.min.bytes
	MaxWait          time.Duration // replica.fetch.wait.max.ms
	Backoff          time.Duration // replica.fetch.backoff.ms
	RequestTimeout   time.Duration // replica.socket.timeout.ms
	// PerSource is num.replica.fetchers: how many fetchers share the
	// partitions led by one source broker (1 when unset).
	PerSource int
	// Throttle is the follower side of the replication throttle
	// (throttle.go); nil throttles nothing.
	Throttle *quota.Replication
	Logger   *slog.Logger
}

// Manager keeps up to num.replica.fetchers fetchers per source broker. It
// implements replica.Fetchers.
type Manager struct {
	cfg Config
	wg  sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	fetchers map[fetcherKey]*fetcher
}

// fetcherKey names one fetcher: its source broker and its index among
// that broker's fetchers.
type fetcherKey struct {
	source, index int32
}

// keyFor spreads a source's partitions over its fetchers as Kafka does
// (31 * topic hash + partition, modulo num.replica.fetchers), so one
// partition always lands on the same fetcher while its leader stays.
func (m *Manager) keyFor(p *replica.Partition, source int32) fetcherKey {
	n := int32(m.cfg.PerSource)
	if n <= 1 {
		return fetcherKey{source: source}
	}
	h := fnv.New32a()
	h.Write([]byte(p.Topic))
	sum := int32(h.Sum32()&0x7fffffff)*31 + p.Index
	return fetcherKey{source: source, index: (sum & 0x7fffffff) % n}
}

// New returns a manager with no fetchers; they start on Follow.
func New(cfg Config) *Manager {
	if cfg.Dial == nil {
		cfg.Dial = DirectDialer(cfg.BrokerID, -1, nil)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	cfg.Logger = cfg.Logger.With("component", "replica-fetcher")
	return &Manager{cfg: cfg, fetchers: map[fetcherKey]*fetcher{}}
}

// Follow fetches p from leader at leaderEpoch, moving it off the fetcher
// of its previous leader.
func (m *Manager) Follow(p *replica.Partition, leader, leaderEpoch int32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	key := m.keyFor(p, leader)
	m.removeLocked(p, key)
	f, ok := m.fetchers[key]
	if !ok {
		f = m.startLocked(key)
	}
	f.add(p, leaderEpoch)
}

// Unfollow stops fetching p.
func (m *Manager) Unfollow(p *replica.Partition) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.removeLocked(p, fetcherKey{source: -1})
}

// removeLocked takes p off every fetcher but keep, stopping fetchers left
// without partitions.
func (m *Manager) removeLocked(p *replica.Partition, keep fetcherKey) {
	for id, f := range m.fetchers {
		if id == keep {
			continue
		}
		if f.remove(p) == 0 {
			f.stop()
			delete(m.fetchers, id)
		}
	}
}

func (m *Manager) startLocked(key fetcherKey) *fetcher {
	ctx, cancel := context.WithCancel(context.Background())
	f := newFetcher(m.cfg, key.source, cancel)
	if m.cfg.PerSource > 1 {
		f.log = f.log.With("fetcher", key.index)
	}
	m.fetchers[key] = f
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		f.run(ctx)
	}()
	return f
}

// Close stops every fetcher and waits for them.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	for id, f := range m.fetchers {
		f.stop()
		delete(m.fetchers, id)
	}
	m.mu.Unlock()
	m.wg.Wait()
}

// Sources returns, per source broker, how many partitions it serves.
func (m *Manager) Sources() map[int32]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[int32]int, len(m.fetchers))
	for key, f := range m.fetchers {
		out[key.source] += f.size()
	}
	return out
}

var _ replica.Fetchers = (*Manager)(nil)
