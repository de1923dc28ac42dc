package partitionlog

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/kqhq/kq/store/vfs"
	"github.com/kqhq/kq/store/wallclock"
)

// ManagerOptions configures a Manager. Zero fields take the defaults named.
type ManagerOptions struct {
	Logger *slog.Logger // default slog.Default()
	Clock  Clock        // default the system clock

	// FS is the filesystem every log.dir and partition file is reached
	// through; default the real one (vfs.OS). Tests put faults under the
	// logs with vfs.WithFaults.
	FS vfs.FS

	// Config returns a partition's effective settings when it is opened at
	// startup; nil means DefaultConfig for all.
	Config func(TopicPartition) Config

	RecoveryThreadsPerDataDir       int           // num.recovery.threads.per.data.dir; default 1
	RetentionCheckInterval          time.Duration // log.retention.check.interval.ms; default 5 min
	FlushCheckInterval              time.Duration // how often flush.ms is checked; default 1 s
	CheckpointInterval              time.Duration // log.flush.offset.checkpoint.interval.ms (recovery point, log start); default 60 s
	HighWatermarkCheckpointInterval time.Duration // replica.high.watermark.checkpoint.interval.ms; default 5 s
	FileDeleteDelay                 time.Duration // log.segment.delete.delay.ms for deleted partitions; default 60 s

	ProducerIDExpiration              time.Duration // producer.id.expiration.ms; default 24 h
	ProducerIDExpirationCheckInterval time.Duration // producer.id.expiration.check.interval.ms; default 10 min

	// Meta, when set, is compared with every log.dir's meta.properties
	// (a mismatch fails OpenManager with ErrInconsistentMeta) and written
	// where the file is missing.
	Meta *MetaProperties

	// OnDirOffline is called once per directory taken offline after an I/O
	// error, from the goroutine that hit it; it must not block.
	OnDirOffline func(dir string, err error)

	// Cleaner configures the log cleaner Run starts (log.cleaner.*).
	Cleaner CleanerOptions
}

func (o ManagerOptions) withDefaults() ManagerOptions {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = wallclock.System{}
	}
	if o.FS == nil {
		o.FS = vfs.OS{}
	}
	if o.Config == nil {
		o.Config = func(TopicPartition) Config { return DefaultConfig() }
	}
	o.RecoveryThreadsPerDataDir = max(o.RecoveryThreadsPerDataDir, 1)
	setDuration(&o.RetentionCheckInterval, 5*time.Minute)
	setDuration(&o.FlushCheckInterval, time.Second)
	setDuration(&o.CheckpointInterval, time.Minute)
	setDuration(&o.HighWatermarkCheckpointInterval, 5*time.Second)
	setDuration(&o.FileDeleteDelay, time.Duration(DefaultFileDeleteDelayMs)*time.Millisecond)
	o.Cleaner = o.Cleaner.withDefaults()
	setDuration(&o.ProducerIDExpiration, DefaultProducerIDExpirationMs*time.Millisecond)
	setDuration(&o.ProducerIDExpirationCheckInterval, 10*time.Minute)
	return o
}

func setDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// Manager owns every partition log over the broker's log.dirs, the
// directory-level files (checkpoints, meta.properties, clean-shutdown
// marker, lock), the background work (retention, flush.ms, checkpoints),
// and the offline state of directories.
//
// Locking rule: m.mu guards the maps only; no Log method is called while it
// is held, so a Log reporting an I/O error can always take it.
type Manager struct {
	opts    ManagerOptions
	deleter *deleter // removes deleted partition directories after the delay
	// guard is the clock of retention, tombstone removal and producer-id
	// expiration: the wall clock without its sudden forward steps.
	guard  *wallclock.Guard
	passMu sync.Mutex

	mu     sync.RWMutex
	dirs   []*logDir
	logs   map[TopicPartition]*Log
	where  map[TopicPartition]*logDir
	closed bool
}

// Get returns the partition's log.
func (m *Manager) Get(tp TopicPartition) (*Log, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	l, ok := m.logs[tp]
	return l, ok
}

// All returns every open log.
func (m *Manager) All() []*Log {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]*Log, 0, len(m.logs))
	for _, l := range m.logs {
		out = append(out, l)
	}
	return out
}

// SetConfig applies changed topic settings to a partition (a no-op for an
// unknown one); they take effect from the next append, roll or retention
// check.
func (m *Manager) SetConfig(tp TopicPartition, cfg Config) {
	if l, ok := m.Get(tp); ok {
		l.SetConfig(cfg)
	}
}

// Dirs returns the configured log.dirs in order.
func (m *Manager) Dirs() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, len(m.dirs))
	for i, d := range m.dirs {
		out[i] = d.path
	}
	return out
}

// OfflineDirs returns the log.dirs taken offline.
func (m *Manager) OfflineDirs() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []string
	for _, d := range m.dirs {
		if d.offline.Load() {
			out = append(out, d.path)
		}
	}
	return out
}

// Create opens a new partition log in the online directory holding the
// fewest partitions (ties: the first listed), writing partition.metadata.
// An existing partition with the same topic ID is returned as is.
func (m *Manager) Create(tp TopicPartition, topicID [16]byte, cfg Config) (*Log, error) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil, fmt.Errorf("create %s: %w", tp, ErrClosed)
	}
	if l, ok := m.logs[tp]; ok {
		m.mu.Unlock()
		if l.topicID != topicID {
			return nil, fmt.Errorf("create %s: exists with topic id %s: %w", tp, TopicIDString(l.topicID), ErrInconsistentTopicID)
		}
		return l, nil
	}
	d := m.emptiestDirLocked()
	if d == nil {
		m.mu.Unlock()
		return nil, fmt.Errorf("create %s: every log.dir is offline: %w", tp, ErrLogDirOffline)
	}
	l, err := createLog(m.logOptions(d, tp, cfg), topicID)
	if err == nil {
		m.logs[tp], m.where[tp] = l, d
	}
	m.mu.Unlock()
	if err != nil {
		// Not the caller's fault: the directory failed under us.
		m.markOffline(d, err)
		return nil, fmt.Errorf("create %s: %w: %w", tp, ErrLogDirOffline, err)
	}
	return l, nil
}

func (m *Manager) emptiestDirLocked() *logDir {
	counts := map[*logDir]int{}
	for _, d := range m.where {
		counts[d]++
	}
	var best *logDir
	for _, d := range m.dirs {
		if !d.offline.Load() && (best == nil || counts[d] < counts[best]) {
			best = d
		}
	}
	return best
}

func (m *Manager) logOptions(d *logDir, tp TopicPartition, cfg Config) logOptions {
	return logOptions{
		fs: m.opts.FS, dir: filepath.Join(d.path, tp.dirName()), tp: tp, cfg: cfg,
		clock: m.opts.Clock, expiryClock: m.guard, logger: m.opts.Logger,
		fail:                   func(err error) { m.markOffline(d, err) },
		producerIDExpirationMs: m.opts.ProducerIDExpiration.Milliseconds(),
	}
}

// Delete removes a partition the way Kafka does: its directory is renamed
// <topic>-<partition>.<random hex>-delete at once (so a re-created
// partition starts clean) and removed after the file delete delay, which
// lets fetches already holding its files finish.
func (m *Manager) Delete(tp TopicPartition) error {
	m.mu.Lock()
	l, ok := m.logs[tp]
	d := m.where[tp]
	delete(m.logs, tp)
	delete(m.where, tp)
	m.mu.Unlock()
	if !ok {
		return nil
	}
	newDir := filepath.Join(d.path, fmt.Sprintf("%s.%s%s", tp.dirName(), randomHex(), dirDeleteSuffix))
	if err := l.markForDeletion(newDir); err != nil {
		m.markOffline(d, err)
		return fmt.Errorf("delete %s: %w: %w", tp, ErrLogDirOffline, err)
	}
	m.deleter.schedule(m.opts.FileDeleteDelay, newDir, l.releaseAndRemove)
	return m.writeCheckpoints(d, allCheckpoints)
}

func randomHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported systems
	return hex.EncodeToString(b[:])
}

// Close flushes and closes every log, writes the checkpoints, runs pending
// deletions and leaves the clean-shutdown marker in every directory whose
// logs all closed cleanly, so the next start skips recovery.
func (m *Manager) Close() error {
	m.passMu.Lock() // wait for a background pass in progress
	defer m.passMu.Unlock()
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	dirs := slices.Clone(m.dirs)
	m.mu.Unlock()
	errs := []error{m.deleter.close()}
	for _, d := range dirs {
		errs = append(errs, m.closeDir(d))
	}
	return errors.Join(errs...)
}

func (m *Manager) closeDir(d *logDir) error {
	var errs []error
	for _, l := range m.logsIn(d) {
		errs = append(errs, l.Close())
	}
	if d.offline.Load() {
		return errors.Join(append(errs, d.unlock())...)
	}
	errs = append(errs, m.writeCheckpoints(d, allCheckpoints))
	if err := errors.Join(errs...); err == nil {
		errs = append(errs, d.markCleanShutdown(m.opts.FS))
	}
	return errors.Join(append(errs, d.unlock())...)
}

// logsIn returns the logs of one directory.
func (m *Manager) logsIn(d *logDir) []*Log {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []*Log
	for tp, l := range m.logs {
		if m.where[tp] == d {
			out = append(out, l)
		}
	}
	return out
}

// markOffline takes a directory offline after an I/O error: every log in
// it refuses further operations with ErrLogDirOffline. Only atomics of the
// logs are touched, so a log may call this while holding its own locks.
func (m *Manager) markOffline(d *logDir, err error) {
	if !d.offline.CompareAndSwap(false, true) {
		return
	}
	m.opts.Logger.Error("log directory offline after an I/O error; its partitions stop serving", "dir", d.path, "err", err)
	for _, l := range m.logsIn(d) {
		l.state.CompareAndSwap(logOpen, logOffline)
	}
	if m.opts.OnDirOffline != nil {
		m.opts.OnDirOffline(d.path, err)
	}
}

// removeStray deletes a partition directory renamed for deletion before a
// restart.
func (m *Manager) removeStray(path string) {
	m.opts.Logger.Info("removing partition directory left for deletion", "dir", path)
	if err := m.opts.FS.RemoveAll(path); err != nil {
		m.opts.Logger.Warn("removing deleted partition directory failed", "dir", path, "err", err)
	}
}
