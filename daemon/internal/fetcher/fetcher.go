package fetcher

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/kqhq/kq/daemon/internal/replica"
)

// fetcher replicates the partitions led by one source broker.
type fetcher struct {
	cfg    Config
	source int32
	log    *slog.Logger
	cancel context.CancelFunc
	wake   chan struct{}

	mu    sync.Mutex
	parts map[*replica.Partition]*fetchState

	// client and addr belong to the run goroutine.
	client Client
	addr   string
}

// fetchState is one partition on a fetcher.
type fetchState struct {
	epoch   int32     // the leader epoch followed
	retryAt time.Time // backing off until then
	stalled bool      // fenced: wait for the next Follow
}

func newFetcher(cfg Config, source int32, cancel context.CancelFunc) *fetcher {
	return &fetcher{
		cfg: cfg, source: source, cancel: cancel,
		log:   cfg.Logger.With("source_broker", source),
		wake:  make(chan struct{}, 1),
		parts: map[*replica.Partition]*fetchState{},
	}
}

func (f *fetcher) add(p *replica.Partition, epoch int32) {
	f.mu.Lock()
	if st, ok := f.parts[p]; !ok || st.epoch != epoch || st.stalled {
		f.parts[p] = &fetchState{epoch: epoch}
	}
	f.mu.Unlock()
	f.poke()
}

// remove drops p and returns how many partitions are left.
func (f *fetcher) remove(p *replica.Partition) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.parts, p)
	return len(f.parts)
}

func (f *fetcher) size() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.parts)
}

func (f *fetcher) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

func (f *fetcher) stop() { f.cancel() }

// run fetches until ctx ends.
func (f *fetcher) run(ctx context.Context) {
	defer f.disconnect()
	for ctx.Err() == nil {
		batch, next := f.ready(time.Now())
		if len(batch) == 0 {
			f.idle(ctx, next)
			continue
		}
		f.round(ctx, batch)
	}
}

// idle waits for a new partition, the end of the earliest backoff, or ctx.
func (f *fetcher) idle(ctx context.Context, next time.Time) {
	var timer <-chan time.Time
	if !next.IsZero() {
		t := time.NewTimer(time.Until(next))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-f.wake:
	case <-timer:
	case <-ctx.Done():
	}
}

// ready returns the partitions to fetch now, and the earliest time a
// backing-off one becomes ready (zero when none).
func (f *fetcher) ready(now time.Time) ([]entry, time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []entry
	var next time.Time
	for p, st := range f.parts {
		switch {
		case st.stalled:
		case st.retryAt.After(now):
			if next.IsZero() || st.retryAt.Before(next) {
				next = st.retryAt
			}
		default:
			out = append(out, entry{p: p, st: st, epoch: st.epoch})
		}
	}
	return out, next
}

// current reports whether e is still the partition's state on this
// fetcher (no Follow or Unfollow happened since the request was built).
func (f *fetcher) current(e entry) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.parts[e.p] == e.st
}

func (f *fetcher) backoff(e entry) { f.retryIn(e, f.cfg.Backoff) }

func (f *fetcher) retryIn(e entry, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.parts[e.p] == e.st {
		e.st.retryAt = time.Now().Add(d)
	}
}

// unknownAddressRetry is how soon a fetcher looks again for a leader
// endpoint its metadata cache did not have.
const unknownAddressRetry = 50 * time.Millisecond

func (f *fetcher) stall(e entry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.parts[e.p] == e.st {
		e.st.stalled = true
	}
}

// connect returns a client for the source broker's current address.
func (f *fetcher) connect() (Client, bool) {
	addr, ok := f.cfg.Address(f.source)
	if !ok {
		// The controller sends LeaderAndIsr before the UpdateMetadata that
		// names the leader's endpoint: look again soon, not after a
		// whole backoff.
		return nil, false
	}
	if f.client != nil && addr == f.addr {
		return f.client, true
	}
	f.disconnect()
	cl, err := f.cfg.Dial(addr)
	if err != nil {
		f.log.Warn("cannot connect to leader", "addr", addr, "err", err)
		return nil, false
	}
	f.client, f.addr = cl, addr
	return cl, true
}

func (f *fetcher) disconnect() {
	if f.client != nil {
		f.client.Close()
		f.client, f.addr = nil, ""
	}
}
