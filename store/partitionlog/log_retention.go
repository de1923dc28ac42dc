package partitionlog

import (
	"fmt"
)

// AdvanceLogStartOffset moves the log start offset forward (DeleteRecords;
// the caller checks offset <= high watermark). Offsets below it become
// unreadable at once; segments wholly below it are deleted right away
// rather than at the next retention check.
func (l *Log) AdvanceLogStartOffset(offset int64) error {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	if leo := l.leo.Load(); offset > leo {
		return fmt.Errorf("%s: log start %d past log end %d: %w", l.tp, offset, leo, ErrOffsetOutOfRange)
	}
	if offset <= l.logStart.Load() {
		return nil
	}
	l.logStart.Store(offset)
	l.hw.Store(max(l.hw.Load(), offset))
	l.advanceRecoveryPoint(offset)
	l.changes.notify()
	if err := l.epochs.truncateFromStart(offset); err != nil {
		return l.ioFailed(err)
	}
	_, err := l.deletePrefix(logStartBreached(offset), "log start offset", nowMs(l.clock))
	return err
}

// deleteOldSegments is one retention pass over the partition, Kafka's
// deleteOldSegments: segments past retention.ms, then past retention.bytes,
// then wholly below the log start offset. It returns how many went.
func (l *Log) deleteOldSegments(now int64) (int, error) {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if err := l.usable(); err != nil {
		return 0, err
	}
	cfg := l.Config()
	// Each rule is built when its turn comes: the size and log start it
	// reads are those left by the rules before it.
	rules := []struct {
		why  string
		pred func() deletePredicate
	}{
		{"retention.ms", func() deletePredicate { return retentionMsBreached(cfg.RetentionMs, now) }},
		{"retention.bytes", func() deletePredicate { return l.retentionBytesBreached(cfg.RetentionBytes) }},
		{"log start offset", func() deletePredicate { return logStartBreached(l.logStart.Load()) }},
	}
	total := 0
	for _, rule := range rules {
		n, err := l.deletePrefix(rule.pred(), rule.why, now)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// deletePredicate says whether seg (followed by next, nil for the active
// segment) may go. It is asked for a prefix of the segments, in order.
type deletePredicate func(seg, next *segment) bool

func retentionMsBreached(retentionMs, now int64) deletePredicate {
	return func(seg, _ *segment) bool {
		return retentionMs >= 0 && now-seg.largestTimestamp() > retentionMs
	}
}

// retentionBytesBreached deletes the oldest segments while the log stays
// at or above retention.bytes without them.
func (l *Log) retentionBytesBreached(retentionBytes int64) deletePredicate {
	excess := l.Size() - retentionBytes
	return func(seg, _ *segment) bool {
		if retentionBytes < 0 || excess-seg.size.Load() < 0 {
			return false
		}
		excess -= seg.size.Load()
		return true
	}
}

func logStartBreached(logStart int64) deletePredicate {
	return func(_, next *segment) bool { return next != nil && next.base <= logStart }
}

// deletePrefix deletes the longest prefix of segments that pred accepts and
// that lies wholly below the high watermark, as Kafka's deletableSegments.
// When every segment goes, a new empty one is rolled first, so the log keeps
// its end offset.
func (l *Log) deletePrefix(pred deletePredicate, why string, now int64) (int, error) {
	hw, n := l.hw.Load(), 0
	for ; n < len(l.segs); n++ {
		seg, next, upper := l.segs[n], (*segment)(nil), l.leo.Load()
		if n+1 < len(l.segs) {
			next, upper = l.segs[n+1], l.segs[n+1].base
		}
		if hw < upper || (next == nil && seg.empty()) || !pred(seg, next) {
			break
		}
	}
	if n == 0 {
		return 0, nil
	}
	if n == len(l.segs) {
		if _, err := l.roll(l.leo.Load(), l.Config(), now); err != nil {
			return 0, err
		}
	}
	l.flushMu.Lock()
	err := l.removeSegments(0, n, why)
	l.flushMu.Unlock()
	if err != nil {
		return n, l.ioFailed(err)
	}
	if err := l.producersAfterPrefixDeletion(); err != nil {
		return n, l.ioFailed(err)
	}
	if first := l.segs[0].base; first > l.logStart.Load() {
		l.logStart.Store(first)
		l.changes.notify()
		if err := l.epochs.truncateFromStart(first); err != nil {
			return n, l.ioFailed(err)
		}
	}
	return n, nil
}
