package partitionlog

import (
	"fmt"
	"slices"
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
	if err := l.removeSegments(keep, len(l.segs), "truncation"); err != nil {
		return l.ioFailed(err)
	}
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
	if err := l.removeSegments(0, len(old), "full truncation"); err != nil {
		return l.ioFailed(err)
	}
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
	l.syncer.truncated(leo)
	l.cleaning.truncated(leo) // a cleaning in progress must not swap in what it read before
	l.changes.notify()
}

// removeSegments takes segs[from:to] out of the list, renames their files
// *.deleted and schedules their removal after file.delete.delay.ms. The
// caller holds writeMu and flushMu, and takes the directory offline on an
// error: a segment left under its live name comes back at the next open.
//
// Renames go from the end of the log when it loses its tail (from > 0) and
// from the start otherwise, and stop at the first failure, so the segments
// left under live names always form one run: the next open finds the log
// as it was, or shortened at the end that was going, never with a hole.
func (l *Log) removeSegments(from, to int, why string) error {
	if from >= to {
		return nil
	}
	l.mu.Lock()
	gone := append([]*segment(nil), l.segs[from:to]...)
	l.segs = append(l.segs[:from:from], l.segs[to:]...)
	l.mu.Unlock()
	if from > 0 {
		slices.Reverse(gone)
	}
	delay := time.Duration(l.Config().FileDeleteDelayMs) * time.Millisecond
	var err error
	for _, seg := range gone {
		if err != nil || l.baseTaken(seg.base) {
			// Not renamed (a rename before it failed, or a full truncation
			// created the new segment under its names, which are the new
			// one's now): only its descriptors go, after the delay.
			l.deleter.schedule(delay, seg.path(logSuffix), seg.close)
			continue
		}
		l.logger.Info("deleting segment", "partition", l.tp.String(), "base_offset", seg.base, "reason", why)
		if err = seg.markDeleted(); err != nil {
			err = fmt.Errorf("rename segment %d for deletion (%s): %w", seg.base, why, err)
		}
		l.deleter.schedule(delay, seg.path(logSuffix), seg.removeDeleted)
	}
	return err
}

// baseTaken reports whether a segment of the list has this base offset.
// The caller holds writeMu.
func (l *Log) baseTaken(base int64) bool {
	i := l.floorSegment(base)
	return i >= 0 && l.segs[i].base == base
}
