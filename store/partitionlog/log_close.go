package partitionlog

import (
	"errors"
	"fmt"
)

// Close flushes the log, trims the active segment's indexes and releases
// every file. Pending segment deletions run now. An offline log is only
// released. Close is idempotent.
func (l *Log) Close() error {
	defer l.stopSyncer() // after writeMu is released
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	prev := l.state.Swap(logClosed)
	if prev == logClosed {
		return nil
	}
	l.background.Wait()
	var errs []error
	if prev == logOpen {
		errs = append(errs, l.flushForClose())
	}
	return errors.Join(append(errs, l.release())...)
}

func (l *Log) flushForClose() error {
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	for _, seg := range l.segs[max(l.floorSegment(l.recoveryPoint.Load()), 0):] {
		if err := seg.flush(); err != nil {
			return fmt.Errorf("%s: close: %w", l.tp, err)
		}
	}
	l.recoveryPoint.Store(l.leo.Load())
	if err := l.takeProducerSnapshot(l.leo.Load(), true); err != nil {
		return fmt.Errorf("%s: close: %w", l.tp, err)
	}
	if err := l.active().deactivate(); err != nil {
		return fmt.Errorf("%s: close: %w", l.tp, err)
	}
	return nil
}

// release closes every file and mapping; the caller holds writeMu.
func (l *Log) release() error {
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	errs := []error{l.deleter.close()}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, seg := range l.segs {
		errs = append(errs, seg.close())
	}
	l.segs = nil
	l.changes.notify()
	return errors.Join(errs...)
}

// markForDeletion is the first step of deleting the partition (Kafka's
// asyncDelete): the log stops taking operations and its directory is renamed
// to <topic>-<partition>.<uuid>-delete. The files stay open so fetches in
// flight finish; the manager calls release and removes the directory after
// the delete delay.
func (l *Log) markForDeletion(newDir string) error {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if l.state.Swap(logClosed) == logClosed {
		return fmt.Errorf("%s: delete: %w", l.tp, ErrClosed)
	}
	l.background.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.fs.Rename(l.dir, newDir); err != nil {
		return fmt.Errorf("%s: rename for deletion: %w", l.tp, err)
	}
	l.dir = newDir
	for _, seg := range l.segs {
		seg.dir = newDir
	}
	l.changes.notify()
	return nil
}

// releaseAndRemove closes the files and removes the renamed directory.
func (l *Log) releaseAndRemove() error {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	err := l.release()
	return errors.Join(err, l.fs.RemoveAll(l.Dir()))
}
