package partitionlog

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/kqhq/kq/store/wallclock"
)

// errFatalDir marks directory problems that must stop the broker instead of
// taking one directory offline: a foreign meta.properties, a partition
// present in two directories.
var errFatalDir = errors.New("log.dirs inconsistent")

// OpenManager opens every log.dir: it takes the directory lock, checks or
// writes meta.properties, notes and removes the clean-shutdown marker, and
// opens every partition found, num.recovery.threads.per.data.dir at a time,
// recovering them when the shutdown was not clean. A directory that fails
// with an I/O error is taken offline and the others carry on; OpenManager
// fails when none is left, or on an inconsistency (ErrInconsistentMeta, a
// partition in two directories).
func OpenManager(dirs []string, opts ManagerOptions) (*Manager, error) {
	if len(dirs) == 0 {
		return nil, errors.New("open log manager: no log.dirs")
	}
	opts = opts.withDefaults()
	m := &Manager{
		opts: opts, deleter: newDeleter(opts.Logger),
		guard: &wallclock.Guard{Clock: opts.Clock, Logger: opts.Logger,
			What: "retention.ms, delete.retention.ms and producer-id expiration"},
		logs: map[TopicPartition]*Log{}, where: map[TopicPartition]*logDir{},
	}
	for _, path := range dirs {
		d := &logDir{path: filepath.Clean(path)}
		m.dirs = append(m.dirs, d)
		err := m.openDir(d)
		if errors.Is(err, ErrInconsistentMeta) || errors.Is(err, errFatalDir) {
			m.Close()
			return nil, fmt.Errorf("open log manager: %w", err)
		}
		if err != nil {
			d.unlock()
			m.markOffline(d, err)
		}
	}
	if len(m.OfflineDirs()) == len(m.dirs) {
		m.Close()
		return nil, fmt.Errorf("open log manager: every log.dir is offline: %w", ErrLogDirOffline)
	}
	return m, nil
}

func (m *Manager) openDir(d *logDir) error {
	if err := m.opts.FS.MkdirAll(d.path, 0o755); err != nil {
		return fmt.Errorf("create log.dir: %w", err)
	}
	lock, err := lockDir(m.opts.FS, d.path)
	if err != nil {
		return err
	}
	d.lock = lock
	if err := m.checkOrWriteMeta(d); err != nil {
		return err
	}
	clean, err := d.takeCleanShutdown(m.opts.FS)
	if err != nil {
		return err
	}
	ckpts, err := d.readCheckpoints(m.opts.FS)
	if err != nil {
		m.opts.Logger.Warn("unreadable checkpoint; recovering the whole directory", "dir", d.path, "err", err)
		clean = false
	}
	logs, err := m.loadDir(d, clean, ckpts)
	if err != nil {
		return err
	}
	return m.register(d, logs)
}

func (m *Manager) checkOrWriteMeta(d *logDir) error {
	if m.opts.Meta == nil {
		return nil
	}
	found, ok, err := readMetaProperties(m.opts.FS, d.path)
	if err != nil {
		return err
	}
	if ok {
		return checkMeta(d.path, found, *m.opts.Meta)
	}
	return writeMetaProperties(m.opts.FS, d.path, *m.opts.Meta)
}

// loadDir opens the directory's partitions with a pool of recovery threads.
func (m *Manager) loadDir(d *logDir, clean bool, c checkpoints) (map[TopicPartition]*Log, error) {
	parts, err := m.partitionDirs(d)
	if err != nil {
		return nil, err
	}
	if !clean && len(parts) > 0 {
		m.opts.Logger.Info("unclean shutdown: recovering partitions", "dir", d.path, "partitions", len(parts))
	}
	type result struct {
		tp  TopicPartition
		log *Log
		err error
	}
	work, results := make(chan TopicPartition), make(chan result, len(parts))
	var wg sync.WaitGroup
	for range m.opts.RecoveryThreadsPerDataDir {
		wg.Go(func() {
			for tp := range work {
				o := m.logOptions(d, tp, m.opts.Config(tp))
				o.clean, o.recoveryPoint, o.logStart, o.hw = clean, c.recoveryPoint[tp], c.logStart[tp], c.hw[tp]
				l, err := openLog(o)
				if off, ok := c.cleaner[tp]; ok && err == nil {
					l.cleaning.restore(off)
				}
				results <- result{tp, l, err}
			}
		})
	}
	for tp := range parts {
		work <- tp
	}
	close(work)
	wg.Wait()
	close(results)
	logs, errs := map[TopicPartition]*Log{}, []error(nil)
	for r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		logs[r.tp] = r.log
	}
	if err := errors.Join(errs...); err != nil {
		closeAll(logs)
		return nil, err
	}
	return logs, nil
}

func closeAll(logs map[TopicPartition]*Log) {
	for _, l := range logs {
		l.Close()
	}
}

func (m *Manager) register(d *logDir, logs map[TopicPartition]*Log) error {
	m.mu.Lock()
	for tp := range logs {
		if other, dup := m.where[tp]; dup {
			m.mu.Unlock()
			closeAll(logs)
			return fmt.Errorf("partition %s is in both %s and %s: %w", tp, other.path, d.path, errFatalDir)
		}
	}
	for tp, l := range logs {
		m.logs[tp], m.where[tp] = l, d
	}
	m.mu.Unlock()
	return nil
}
