package partitionlog

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// syncer is a log's group commit under flush.mode=group-commit. Appends ask
// it for an fsync; one goroutine, started when asked and gone when idle,
// notes the log end, fsyncs every segment holding offsets the last fsync
// did not cover (and the partition directory once a segment was created
// since), publishes the end it noted as the durable offset, wakes the
// waiters, and starts over while appends arrived meanwhile. So every batch
// appended while one fsync runs is covered by the next one, however many
// producers there are.
//
// The durable offset is kept apart from the recovery point: the syncer
// fsyncs only the segments' record files, which is all an acknowledgement
// needs, while the recovery point (which lets a restart skip recovering a
// segment, so its indexes must be on disk too) still moves only with
// Kafka's flushes.
type syncer struct {
	mu      sync.Mutex
	pending bool // an fsync was asked for since the running one noted the log end
	running bool // the goroutine exists
	stopped bool // the log closed: no goroutine starts again
	done    sync.WaitGroup

	durable atomic.Int64 // every offset below is fsynced (guarded by flushMu for writes)
	// dirSynced is the active segment when the partition directory was
	// last fsynced: a newer one means a segment file was created since,
	// whose name must reach the disk with its bytes. Guarded by flushMu.
	dirSynced *segment
	synced    notifier               // closed when the durable offset moves or the log stops
	hook      atomic.Pointer[func()] // OnDurable's callback
}

// DurableEnd is the offset below which appends count as stored under the
// log's flush.mode: the log end offset under pagecache; under group-commit
// the end of what an fsync covers. When the fsync lags the log end it asks
// for one, so whoever waits on the offset is woken when it lands.
func (l *Log) DurableEnd() int64 {
	leo := l.leo.Load()
	if l.cfg.Load().FlushMode != FlushGroupCommit {
		return leo
	}
	end := min(l.syncedEnd(), leo)
	if end < leo && l.usable() == nil {
		l.requestSync()
	}
	return end
}

// Durable reports whether every offset below end counts as stored (see
// DurableEnd). When not yet, wake is closed at the next fsync or when the
// log stops taking appends; a log that stopped (offline after an I/O error,
// or closed) before storing end answers with its error, never success.
func (l *Log) Durable(end int64) (done bool, wake <-chan struct{}, err error) {
	// Taken first, so an fsync landing between the checks still closes it.
	wake = l.syncer.synced.wait()
	if l.DurableEnd() >= end {
		return true, nil, nil
	}
	if err := l.usable(); err != nil {
		return true, nil, err
	}
	return false, wake, nil
}

// OnDurable sets fn to be called whenever the durable offset moved or the
// log stopped taking appends, so a partition can advance its high
// watermark and wake its waiters. fn runs on the syncer's goroutine,
// holding no lock of the log; Close waits for it.
func (l *Log) OnDurable(fn func()) { l.syncer.hook.Store(&fn) }

// syncedEnd is the end of what is known fsynced: by the syncer, or by a
// Kafka flush (the recovery point).
func (l *Log) syncedEnd() int64 {
	return max(l.syncer.durable.Load(), l.recoveryPoint.Load())
}

// requestSync asks for an fsync of everything appended so far, starting
// the syncer's goroutine unless it runs.
func (l *Log) requestSync() {
	s := &l.syncer
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = true
	if s.running || s.stopped {
		return
	}
	s.running = true
	s.done.Add(1)
	go l.runSyncer()
}

func (l *Log) runSyncer() {
	defer l.syncer.done.Done()
	for l.syncer.next() {
		if err := l.syncDurable(); err != nil && l.logger != nil {
			l.logger.Debug("group commit stopped", "partition", l.tp.String(), "err", err)
		}
		l.durableMoved()
	}
}

// next claims the pending request, or retires the goroutine when there is
// none.
func (s *syncer) next() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pending {
		s.running = false
		return false
	}
	s.pending = false
	return true
}

// syncDurable fsyncs what lies between the durable offset and the log end
// noted first, then publishes that end. An fsync that fails takes the
// directory offline, as every I/O error of the log does.
func (l *Log) syncDurable() error {
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	to, from := l.leo.Load(), l.syncedEnd()
	if to <= from {
		return nil
	}
	segs := l.segmentsFrom(from)
	for _, seg := range segs {
		if err := seg.log.Sync(); err != nil {
			return l.ioFailed(fmt.Errorf("group commit: fsync %s: %w", seg.log.Name(), err))
		}
	}
	if active := segs[len(segs)-1]; active != l.syncer.dirSynced {
		if err := l.fs.SyncDir(l.Dir()); err != nil {
			return l.ioFailed(fmt.Errorf("group commit: fsync directory: %w", err))
		}
		l.syncer.dirSynced = active
	}
	l.syncer.durable.Store(to)
	return nil
}

// durableMoved wakes the log's waiters and the partition's.
func (l *Log) durableMoved() {
	l.syncer.synced.notify()
	if fn := l.syncer.hook.Load(); fn != nil {
		(*fn)()
	}
}

// truncated pulls the durable offset down to a truncated log's end; the
// caller holds flushMu.
func (s *syncer) truncated(leo int64) {
	if s.durable.Load() > leo {
		s.durable.Store(leo)
	}
}

// stopSyncer lets the syncer's goroutine finish and wakes the waiters a
// last time; Close calls it once the log is closed and writeMu released
// (the callback may be waiting for a partition whose append waits for
// writeMu).
func (l *Log) stopSyncer() {
	l.syncer.mu.Lock()
	l.syncer.stopped = true
	l.syncer.mu.Unlock()
	l.syncer.done.Wait()
	l.durableMoved()
}
