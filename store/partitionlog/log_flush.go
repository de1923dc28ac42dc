package partitionlog

import "fmt"

// Flush fsyncs every segment from the one holding the recovery point to the
// active one, then moves the recovery point to the log end offset read
// before the fsyncs. Appends continue meanwhile.
func (l *Log) Flush() error {
	if err := l.usable(); err != nil {
		return err
	}
	return l.flush(nowMs(l.clock))
}

func (l *Log) flush(now int64) error {
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	to := l.leo.Load()
	if to <= l.recoveryPoint.Load() {
		l.lastFlushMs.Store(now)
		return nil
	}
	for _, seg := range l.segmentsFrom(l.recoveryPoint.Load()) {
		if err := seg.flush(); err != nil {
			return l.ioFailed(fmt.Errorf("flush: %w", err))
		}
	}
	l.advanceRecoveryPoint(to)
	l.lastFlushMs.Store(now)
	return nil
}

// segmentsFrom returns the segments holding offset and after.
func (l *Log) segmentsFrom(offset int64) []*segment {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return append([]*segment(nil), l.segs[max(l.floorSegment(offset), 0):]...)
}

// flushIfDue runs the flush.ms policy: flush when unflushed data exists and
// the last flush is older than flush.ms.
func (l *Log) flushIfDue(now int64) error {
	if l.usable() != nil || l.leo.Load() <= l.recoveryPoint.Load() {
		return nil
	}
	if now-l.lastFlushMs.Load() < l.Config().FlushMs {
		return nil
	}
	return l.flush(now)
}
