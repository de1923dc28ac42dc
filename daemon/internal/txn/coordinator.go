package txn

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/group"
)

// Clock gives the coordinator time and timers (the group coordinator's
// contract), so tests drive timeouts and expiry without sleeping.
type Clock = group.Clock

// Options configure a Coordinator. Log, Markers and ProducerIDs are
// required.
type Options struct {
	Config Config
	// Log reads and appends the __transaction_state partitions this
	// broker leads (group.ReplicaLog with Topic: TopicName).
	Log Log
	// Markers sends WriteTxnMarkers to partition leaders.
	Markers MarkerWriter
	// ProducerIDs hands out producer ids for new transactional ids and
	// for exhausted epochs.
	ProducerIDs ProducerIDs
	Clock       Clock // group.SystemClock{} when nil
	Logger      *slog.Logger
}

// Coordinator is the transaction coordinator of one broker: it serves
// the transactional ids whose __transaction_state partition this broker
// leads.
//
// Wiring: New, then BecameLeader / BecameFollower from the replica
// manager's leadership changes of __transaction_state, Start once the
// broker serves requests (the abort and expiry timers), Close at shutdown.
type Coordinator struct {
	cfg     Config
	log     Log
	markers MarkerWriter
	pids    ProducerIDs
	clock   Clock
	logger  *slog.Logger
	shards  []*shard

	ctx    context.Context // ends at Close: marker jobs, id allocation
	cancel context.CancelFunc
	// badTransitions counts state changes Kafka forbids and loadErrors
	// the records loading skipped; tests assert on both.
	badTransitions atomic.Int64
	loadErrors     atomic.Int64
	loads          sync.WaitGroup
	timersMu       sync.Mutex
	timers         []group.Timer
	closed         bool
}

// New returns a coordinator that owns no partition yet.
func New(opts Options) *Coordinator {
	if opts.Clock == nil {
		opts.Clock = group.SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &Coordinator{
		cfg: opts.Config.withDefaults(), log: opts.Log, markers: opts.Markers, pids: opts.ProducerIDs,
		clock: opts.Clock, logger: opts.Logger, ctx: ctx, cancel: cancel,
	}
	for p := range c.cfg.Partitions {
		c.shards = append(c.shards, &shard{c: c, partition: p, txns: map[string]*txnMeta{}})
	}
	return c
}

// Partitions is the number of __transaction_state partitions
// (transaction.state.log.num.partitions).
func (c *Coordinator) Partitions() int32 { return c.cfg.Partitions }

// PartitionFor returns the __transaction_state partition of a
// transactional id, abs(javaHash(id)) % partitions as Kafka computes it.
func (c *Coordinator) PartitionFor(transactionalID string) int32 {
	return group.PartitionFor(transactionalID, c.cfg.Partitions)
}

// Start arms the periodic abort of timed-out transactions and the expiry
// of idle transactional ids.
func (c *Coordinator) Start() {
	c.every(c.cfg.AbortTimedOutInterval, c.abortTimedOut)
	c.every(c.cfg.RemoveExpiredInterval, c.expireIDs)
}

// every runs fn every d until Close.
func (c *Coordinator) every(d time.Duration, fn func()) {
	c.timersMu.Lock()
	defer c.timersMu.Unlock()
	if c.closed {
		return
	}
	slot := len(c.timers)
	var tick func()
	tick = func() {
		fn()
		c.timersMu.Lock()
		defer c.timersMu.Unlock()
		if !c.closed {
			c.timers[slot] = c.clock.AfterFunc(d, tick)
		}
	}
	c.timers = append(c.timers, c.clock.AfterFunc(d, tick))
}

// Close stops timers, loading and marker jobs; the coordinator serves
// nothing after.
func (c *Coordinator) Close() {
	c.timersMu.Lock()
	c.closed = true
	for _, t := range c.timers {
		t.Stop()
	}
	c.timersMu.Unlock()
	c.cancel()
	c.loads.Wait()
	for _, s := range c.shards {
		s.mu.Lock()
		s.unloadLocked()
		s.mu.Unlock()
	}
}

func (c *Coordinator) nowMs() int64 { return c.clock.Now().UnixMilli() }

// instant is one moment on both clocks: ms on the wall clock, written to
// __transaction_state as Kafka does, and mono on the monotonic clock,
// which timeouts are measured on. Kafka measures transaction.timeout.ms
// and transactional.id.expiration.ms on the wall clock, so a clock stepped
// forward aborts every open transaction (fencing its producer) and expires
// idle ids, and one stepped back leaves transactions open, holding the
// last stable offset, for as long as the step.
type instant struct {
	ms   int64
	mono time.Duration
}

func (c *Coordinator) now() instant {
	return instant{ms: c.clock.Now().UnixMilli(), mono: c.clock.Monotonic()}
}

// sinceWall places a wall-clock time read from __transaction_state on the
// monotonic clock when a partition loads: as long ago as the wall clock
// says, but never in the future (a step back, or another broker's clock
// ahead, would otherwise stretch a timeout).
func (c *Coordinator) sinceWall(ms int64, now instant) time.Duration {
	age := max(time.Duration(now.ms-ms)*time.Millisecond, 0)
	return now.mono - age
}

// lockShard locks and returns the shard serving a transactional id, or
// the error a client must hear: NOT_COORDINATOR when this broker does not
// lead its partition, COORDINATOR_LOAD_IN_PROGRESS while loading it.
func (c *Coordinator) lockShard(transactionalID string) (*shard, error) {
	s := c.shards[c.PartitionFor(transactionalID)]
	s.mu.Lock()
	switch s.status {
	case loaded:
		return s, nil
	case loading:
		s.mu.Unlock()
		return nil, kerr.CoordinatorLoadInProgress
	default:
		s.mu.Unlock()
		return nil, kerr.NotCoordinator
	}
}

// LoadErrors counts the __transaction_state records loading skipped
// because they could not be read (each one is logged).
func (c *Coordinator) LoadErrors() int64 { return c.loadErrors.Load() }

// IsCoordinatorFor reports the error a request for the transactional id
// gets before anything else: nil when this broker serves it.
func (c *Coordinator) IsCoordinatorFor(transactionalID string) error {
	s, err := c.lockShard(transactionalID)
	if err == nil {
		s.mu.Unlock()
	}
	return err
}
