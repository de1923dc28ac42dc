package partitionlog

import (
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

// Log is one partition's log: an ordered list of segments in one directory.
//
// Concurrency: writeMu admits one mutating operation at a time (append,
// truncation, roll, retention, log start changes, close). flushMu keeps
// fsyncs (which run without writeMu, so a flush does not stall appends)
// apart from whatever removes, trims or closes segment files. mu guards the
// segment list: readers hold it shared while they look up positions; the
// writer takes it exclusively only to change the list, never for an ordinary
// append, so reads and appends run side by side. Offsets and sizes readers
// need are atomics published after the bytes they describe are written.
// Lock order: writeMu, flushMu, mu.
type Log struct {
	tp      TopicPartition
	topicID [16]byte
	fs      vfs.FS // every file operation goes through it
	clock   Clock
	// expiryClock is the clock of producer-id expiration (logOptions).
	expiryClock interface{ Now() time.Time }
	logger      *slog.Logger
	cfg         atomic.Pointer[Config]
	epochs      *LeaderEpochCache
	changes     notifier
	fail        func(error) // reports an I/O error to the manager

	writeMu sync.Mutex
	flushMu sync.Mutex // held while fsyncing, and to remove, trim or close segment files
	mu      sync.RWMutex
	dir     string     // guarded by mu (changes on Delete's rename)
	segs    []*segment // sorted by base offset; the last is active

	logStart      atomic.Int64
	leo           atomic.Int64
	hw            atomic.Int64
	recoveryPoint atomic.Int64
	lastFlushMs   atomic.Int64
	state         atomic.Int32 // logOpen, logOffline, logClosed
	deleter       *deleter
	background    sync.WaitGroup // asynchronous flushes of rolled segments
	cleaning      cleanState     // the log cleaner's checkpoint and claims (cleaner_state.go)
	syncer        syncer         // group commit under flush.mode=group-commit (log_sync.go)

	// Idempotent producers' state and its snapshot files (producerstate*.go),
	// guarded by writeMu.
	producers              producerMap
	snapshots              []int64 // offsets of the .snapshot files, ascending
	producerIDExpirationMs int64
	// txns tracks the transactions the last stable offset depends on
	// (txn_tracker.go); txnRebuildFrom is, while the log loads, the base
	// of the first recovered segment, whose transaction indexes the
	// producer state replay writes again (-1: none).
	txns           txnTracker
	txnRebuildFrom int64
}

const (
	logOpen int32 = iota
	logOffline
	logClosed
)

// AppendInfo reports what an append wrote.
type AppendInfo struct {
	FirstOffset          int64 // offset of the first record written (-1 if none)
	LastOffset           int64 // offset of the last record written (-1 if none)
	LogAppendTime        int64 // the stamp used with LogAppendTime, else -1
	MaxTimestamp         int64 // largest record timestamp written (-1 if none)
	OffsetOfMaxTimestamp int64 // offset of the record holding it
	RecordCount          int64
	Batches              int
	Bytes                int64
	LogStartOffset       int64
	// Duplicate is set when an idempotent producer resent batches the log
	// already holds: nothing was written and the offsets (and LogAppendTime,
	// the batch's max timestamp, as Kafka answers) are the original ones.
	Duplicate bool
}

// Dir returns the partition directory.
func (l *Log) Dir() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.dir
}

// TopicPartition names the partition this log holds.
func (l *Log) TopicPartition() TopicPartition { return l.tp }

// TopicID is the topic id recorded in partition.metadata (zero when none).
func (l *Log) TopicID() [16]byte { return l.topicID }

// Config returns the log's current configuration (SetConfig replaces it).
func (l *Log) Config() Config { return *l.cfg.Load() }

// SetConfig replaces the partition's settings; they apply from the next
// append, roll or retention check.
func (l *Log) SetConfig(cfg Config) {
	c := cfg.normalized()
	if old := l.cfg.Swap(&c); old.FlushMode != c.FlushMode {
		l.requestSync() // waiters of the old mode are woken to judge by the new one
	}
}

// LogEndOffset is the offset the next appended record will get.
func (l *Log) LogEndOffset() int64 { return l.leo.Load() }

// LogStartOffset is the first offset a reader may ask for.
func (l *Log) LogStartOffset() int64 { return l.logStart.Load() }

// HighWatermark is the value last set by SetHighWatermark, kept within
// [log start, log end].
func (l *Log) HighWatermark() int64 { return l.hw.Load() }

// RecoveryPoint is the offset below which everything is fsynced; recovery
// after a crash starts at the segment holding it.
func (l *Log) RecoveryPoint() int64 { return l.recoveryPoint.Load() }

// LeaderEpochs returns the partition's leader epoch cache.
func (l *Log) LeaderEpochs() *LeaderEpochCache { return l.epochs }

// SetHighWatermark sets the high watermark, clamped to [log start, log
// end] as Kafka's updateHighWatermark does, and returns the value kept.
func (l *Log) SetHighWatermark(hw int64) int64 {
	hw = min(max(hw, l.logStart.Load()), l.leo.Load())
	if old := l.hw.Swap(hw); old != hw {
		l.txns.replicated(hw) // may move the last stable offset
		l.changes.notify()
	}
	return hw
}

// Changed returns a channel closed at the next change of the log end
// offset, high watermark (so of the last stable offset) or log start
// offset (including truncation). A
// long-poll fetch takes the channel, checks whether it can answer, and if
// not waits on it; a change between the two steps still closes the channel
// it holds, so no wake-up is lost.
func (l *Log) Changed() <-chan struct{} { return l.changes.wait() }

// Size returns the bytes of all segments.
func (l *Log) Size() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var n int64
	for _, s := range l.segs {
		n += s.size.Load()
	}
	return n
}

// NumSegments returns how many segments the log has.
func (l *Log) NumSegments() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.segs)
}

func (l *Log) active() *segment { return l.segs[len(l.segs)-1] }

// floorSegment returns the index of the last segment with base <= offset,
// or -1. Binary search: a log of thousands of segments costs a dozen
// comparisons.
func (l *Log) floorSegment(offset int64) int {
	return sort.Search(len(l.segs), func(i int) bool { return l.segs[i].base > offset }) - 1
}

// Offline reports whether the log's directory was taken offline after an
// I/O error: the log refuses every operation with ErrLogDirOffline.
func (l *Log) Offline() bool { return l.state.Load() == logOffline }

// usable returns an error unless the log accepts operations.
func (l *Log) usable() error {
	switch l.state.Load() {
	case logOffline:
		return fmt.Errorf("%s: %w", l.tp, ErrLogDirOffline)
	case logClosed:
		return fmt.Errorf("%s: %w", l.tp, ErrClosed)
	}
	return nil
}

// ioFailed turns an I/O error into ErrLogDirOffline and reports it, so the
// manager takes the whole directory offline as Kafka does.
func (l *Log) ioFailed(err error) error {
	if l.state.CompareAndSwap(logOpen, logOffline) {
		l.requestSync() // so appends waiting for an fsync fail now
		if l.fail != nil {
			l.fail(err)
		}
	}
	return fmt.Errorf("%s: %w: %w", l.tp, ErrLogDirOffline, err)
}

// notifier hands out a channel that is closed on the next change.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

func (n *notifier) notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil // the next waiter gets a fresh one; no waiter, no allocation
	}
}
