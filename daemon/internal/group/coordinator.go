package group

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/store/wallclock"
)

// TopicName is Kafka's internal topic of committed offsets and group
// metadata.
const TopicName = "__consumer_offsets"

// Log is the coordinator's access to the __consumer_offsets partitions
// this broker leads.
type Log interface {
	// Append writes one uncompressed record batch to a partition this
	// broker leads at the given leader epoch and returns its base offset.
	// done is then called exactly once, never from inside Append, when
	// the batch is committed (nil) or cannot be (a *kerr.Error: a write
	// acknowledged by all in-sync replicas or an error, as acks=all).
	Append(partition, epoch int32, batch []byte, done func(error)) (int64, error)
	// Read returns whole record batches starting with the one that holds
	// offset, about maxBytes of them (at least one), up to the log end.
	Read(partition int32, offset int64, maxBytes int32) ([]byte, error)
	// Bounds returns the log start and log end offsets.
	Bounds(partition int32) (start, end int64, err error)
}

// Options configure a Coordinator.
type Options struct {
	Config Config
	Log    Log
	Clock  Clock
	Logger *slog.Logger
	// NewID returns a fresh unique suffix for member ids (a UUID).
	NewID func() string
}

// Coordinator is the classic group coordinator of one broker: it serves
// the groups whose __consumer_offsets partition this broker leads.
type Coordinator struct {
	cfg   Config
	log   Log
	clock Clock
	// expiryClock is the wall clock offsets expire by, without sudden
	// forward steps: a clock stepped forward past offsets.retention.minutes
	// would otherwise drop every empty group's offsets at the next check.
	expiryClock *wallclock.Guard
	logger      *slog.Logger
	newID       func() string
	shards      []*shard

	// badTransitions counts state changes Kafka's state machine forbids;
	// tests assert it stays zero.
	badTransitions atomic.Int64
	loads          sync.WaitGroup
	stop           chan struct{}
	stopOnce       sync.Once
}

// New returns a coordinator that owns no partition yet.
func New(opts Options) *Coordinator {
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.NewID == nil {
		opts.NewID = randomUUID
	}
	if opts.Config.Partitions <= 0 {
		opts.Config.Partitions = DefaultConfig().Partitions
	}
	c := &Coordinator{cfg: opts.Config, log: opts.Log, clock: opts.Clock, logger: opts.Logger, newID: opts.NewID, stop: make(chan struct{})}
	c.expiryClock = &wallclock.Guard{Clock: opts.Clock, Logger: opts.Logger, What: "offsets.retention.minutes"}
	for p := range opts.Config.Partitions {
		c.shards = append(c.shards, &shard{c: c, partition: p, groups: map[string]*group{}})
	}
	return c
}

// Partitions is the number of __consumer_offsets partitions groups are
// spread over.
func (c *Coordinator) Partitions() int32 { return c.cfg.Partitions }

// PartitionFor returns the __consumer_offsets partition of a group.
func (c *Coordinator) PartitionFor(groupID string) int32 {
	return PartitionFor(groupID, c.cfg.Partitions)
}

// Close ends loading and timers; the coordinator serves nothing after.
func (c *Coordinator) Close() {
	c.stopOnce.Do(func() { close(c.stop) })
	c.loads.Wait()
	for _, s := range c.shards {
		s.mu.Lock()
		s.unloadLocked()
		s.mu.Unlock()
	}
}

func (c *Coordinator) now() time.Time { return c.clock.Now() }

// lockShard locks and returns the shard serving a group, or the error a
// client must hear: NOT_COORDINATOR when this broker does not lead the
// group's partition, COORDINATOR_LOAD_IN_PROGRESS while it loads it.
func (c *Coordinator) lockShard(groupID string) (*shard, error) {
	s := c.shards[c.PartitionFor(groupID)]
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

// IsCoordinatorFor reports the error a request for the group gets before
// anything else is looked at: nil when this broker serves it.
func (c *Coordinator) IsCoordinatorFor(groupID string) error {
	s, err := c.lockShard(groupID)
	if err == nil {
		s.mu.Unlock()
	}
	return err
}
