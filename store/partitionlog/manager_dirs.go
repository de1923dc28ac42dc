package partitionlog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/kqhq/kq/store/vfs"
)

// logDir is one entry of log.dirs.
type logDir struct {
	path    string
	lock    io.Closer
	offline atomic.Bool
	ckptMu  sync.Mutex // one checkpoint writer per directory at a time
}

// lockDir takes the log.dir's lock, as Kafka does, so two brokers never
// share a directory. The lock lives until closed.
func lockDir(fsys vfs.FS, dir string) (io.Closer, error) {
	lock, err := fsys.Lock(filepath.Join(dir, lockFile))
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, fmt.Errorf("lock %s (another broker using it?): %w", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return lock, nil
}

func (d *logDir) unlock() error {
	if d.lock == nil {
		return nil
	}
	err := d.lock.Close()
	d.lock = nil
	return err
}

// markCleanShutdown writes the marker that lets the next start skip
// recovery. Kafka 3.9 writes a small JSON document; its presence is what
// counts.
func (d *logDir) markCleanShutdown(fsys vfs.FS) error {
	return writeFileAtomic(fsys, filepath.Join(d.path, cleanShutdownFile), []byte(`{"version":0,"brokerEpoch":-1}`))
}

// takeCleanShutdown reports whether the marker was there and removes it,
// so a crash from now on is seen as unclean.
func (d *logDir) takeCleanShutdown(fsys vfs.FS) (bool, error) {
	err := fsys.Remove(filepath.Join(d.path, cleanShutdownFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("remove clean-shutdown marker in %s: %w", d.path, err)
	}
	return true, fsys.SyncDir(d.path)
}

// checkpoints are the dir-level offset files, read at open.
type checkpoints struct {
	recoveryPoint, logStart, hw, cleaner map[TopicPartition]int64
}

type checkpointKind int

const (
	ckptRecovery checkpointKind = 1 << iota
	ckptLogStart
	ckptHW
	ckptCleaner    // cleaner-offset-checkpoint, written after each cleaning
	allCheckpoints = ckptRecovery | ckptLogStart | ckptHW | ckptCleaner
)

func (d *logDir) readCheckpoints(fsys vfs.FS) (checkpoints, error) {
	var c checkpoints
	var errs [4]error
	c.recoveryPoint, errs[0] = readOffsetCheckpoint(fsys, filepath.Join(d.path, recoveryPointFile))
	c.logStart, errs[1] = readOffsetCheckpoint(fsys, filepath.Join(d.path, logStartOffsetFile))
	c.hw, errs[2] = readOffsetCheckpoint(fsys, filepath.Join(d.path, replicationOffsetFile))
	c.cleaner, errs[3] = readOffsetCheckpoint(fsys, filepath.Join(d.path, cleanerOffsetFile))
	return c, errors.Join(errs[:]...)
}

// writeCheckpoints writes the chosen checkpoint files of d from its logs'
// current offsets. A write failure takes the directory offline.
func (m *Manager) writeCheckpoints(d *logDir, kinds checkpointKind) error {
	if d.offline.Load() {
		return nil
	}
	d.ckptMu.Lock()
	defer d.ckptMu.Unlock()
	rp, ls, hw, cl := map[TopicPartition]int64{}, map[TopicPartition]int64{}, map[TopicPartition]int64{}, map[TopicPartition]int64{}
	for _, l := range m.logsIn(d) {
		rp[l.tp], ls[l.tp], hw[l.tp] = l.RecoveryPoint(), l.LogStartOffset(), l.HighWatermark()
		if off, ok := l.cleaning.checkpoint(); ok {
			cl[l.tp] = off
		}
	}
	files := []struct {
		kind    checkpointKind
		name    string
		offsets map[TopicPartition]int64
	}{{ckptRecovery, recoveryPointFile, rp}, {ckptLogStart, logStartOffsetFile, ls}, {ckptHW, replicationOffsetFile, hw},
		{ckptCleaner, cleanerOffsetFile, cl}}
	for _, f := range files {
		if kinds&f.kind == 0 {
			continue
		}
		if err := writeOffsetCheckpoint(m.opts.FS, filepath.Join(d.path, f.name), f.offsets); err != nil {
			m.markOffline(d, err)
			return fmt.Errorf("%w: %w", ErrLogDirOffline, err)
		}
	}
	return nil
}

// partitionDirs lists the partition directories of a log.dir, removing the
// ones renamed for deletion before a restart.
func (m *Manager) partitionDirs(d *logDir) (map[TopicPartition]string, error) {
	entries, err := m.opts.FS.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", d.path, err)
	}
	out := map[TopicPartition]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		path := filepath.Join(d.path, e.Name())
		if strings.HasSuffix(e.Name(), dirDeleteSuffix) {
			m.removeStray(path)
			continue
		}
		tp, ok := parseDirName(e.Name())
		if !ok {
			// Hidden ones (the embedded metadata store's .kq-metadata) are
			// expected; a topic named ".x" still parses as a partition.
			if !strings.HasPrefix(e.Name(), ".") {
				m.opts.Logger.Warn("ignoring a directory that is not a partition", "dir", path)
			}
			continue
		}
		out[tp] = path
	}
	return out, nil
}
