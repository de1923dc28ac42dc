package partitionlog

import (
	"fmt"
	"time"
)

// TruncateTo removes every offset >= offset (replication: a follower cutting
// its divergent tail). Batches go whole, so the log end offset becomes the
// end of the last batch that ends below offset (equal to offset when it is a
// batch boundary, which is what replication asks for). Segments starting
// after offset are deleted; the high watermark, recovery point and epoch
// cache follow. Offset at or past the log end is a no-op; offset before the
// first segment empties the log and starts it at offset, as Kafka does.
func (l *Log) TruncateTo(offset int64) error {
	if offset < 0 {
		return fmt.Errorf("%s: truncate to %d: %w", l.tp, offset, ErrOffsetOutOfRange)
	}
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	if offset >= l.leo.Load() {
		return nil
	}
	if offset < l.segs[0].base {
		return l.truncateFullyLocked(offset)
	}
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	keep := l.floorSegment(offset) + 1
	l.removeSegments(keep, len(l.segs), "truncation")
	active := l.active()
	if _, err := active.truncateTo(offset); err != nil {
		return l.readFailed(fmt.Errorf("truncate: %w", err))
	}
	if err := active.truncateAborted(active.next.Load()); err != nil {
		return l.ioFailed(err)
	}
	if err := active.activate(); err != nil {
		return l.ioFailed(err)
	}
	leo := active.next.Load()
	l.leo.Store(leo)
	l.logStart.Store(min(l.logStart.Load(), offset, leo))
	l.afterTruncation(leo)
	if err := l.epochs.truncateFromEnd(leo); err != nil {
		return l.ioFailed(err)
	}
	if err := l.producersAfterTruncation(leo); err != nil {
		return l.ioFailed(err)
	}
	return nil
}

// TruncateFullyAndStartAt deletes every segment and starts an empty log at
// offset (a follower whose leader's log start passed its log end).
func (l *Log) TruncateFullyAndStartAt(offset int64) error {
	if offset < 0 {
		return fmt.Errorf("%s: start at %d: %w", l.tp, offset, ErrOffsetOutOfRange)
	}
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	return l.truncateFullyLocked(offset)
}

func (l *Log) truncateFullyLocked(offset int64) error {
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	cfg, now := l.Config(), nowMs(l.clock)
	old := l.segs
	seg, err := createSegment(l.fs, l.Dir(), offset, cfg.SegmentIndexBytes, now)
	if err != nil {
		return l.ioFailed(err)
	}
	l.mu.Lock()
	l.segs = append(l.segs, seg) // briefly: the old ones are removed next
	l.mu.Unlock()
	l.removeSegments(0, len(old), "full truncation")
	l.leo.Store(offset)
	l.logStart.Store(offset)
	l.afterTruncation(offset)
	if err := l.epochs.clear(); err != nil {
		return l.ioFailed(err)
	}
	if err := l.producersAfterFullTruncation(); err != nil {
		return l.ioFailed(err)
	}
	return nil
}

// afterTruncation pulls the high watermark and recovery point down to the
// new log end and wakes waiters.
func (l *Log) afterTruncation(leo int64) {
	l.hw.Store(min(max(l.hw.Load(), l.logStart.Load()), leo))
	if l.recoveryPoint.Load() > leo {
		l.recoveryPoint.Store(leo)
	}
	l.cleaning.truncated(leo) // a cleaning in progress must not swap in what it read before
	l.changes.notify()
}

// removeSegments takes segs[from:to] out of the list, renames their files
// *.deleted and schedules their removal after file.delete.delay.ms. The
// caller holds writeMu and flushMu.
func (l *Log) removeSegments(from, to int, why string) {
	if from >= to {
		return
	}
	l.mu.Lock()
	gone := append([]*segment(nil), l.segs[from:to]...)
	l.segs = append(l.segs[:from:from], l.segs[to:]...)
	l.mu.Unlock()
	delay := time.Duration(l.Config().FileDeleteDelayMs) * time.Millisecond
	for _, seg := range gone {
		l.logger.Info("deleting segment", "partition", l.tp.String(), "base_offset", seg.base, "reason", why)
		if err := seg.markDeleted(); err != nil {
			l.logger.Warn("renaming segment for deletion failed", "partition", l.tp.String(), "base_offset", seg.base, "err", err)
		}
		l.deleter.schedule(delay, seg.path(logSuffix), seg.removeDeleted)
	}
}
