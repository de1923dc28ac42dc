package partitionlog

import (
	"fmt"
	"slices"
)

// cleanPlan is one log's cleaning as the cleaner sees it when picking:
// Kafka's LogToClean.
type cleanPlan struct {
	log  *Log
	gen  int64      // truncation generation when planned
	segs []*segment // the segments when planned; the last is the active one

	firstDirty       int64 // the cleaner checkpoint, clamped to the log
	firstUncleanable int64 // nothing at or past it is cleaned
	cleanBytes       int64 // bytes of the batches below firstDirty
	cleanableBytes   int64 // bytes of the batches in [firstDirty, firstUncleanable)
	minRatio         float64
	forced           bool // a dirty segment passed max.compaction.lag.ms
}

// ratio is Kafka's cleanableRatio: dirty bytes over clean plus dirty.
func (p cleanPlan) ratio() float64 {
	total := p.cleanBytes + p.cleanableBytes
	if total == 0 {
		return 0
	}
	return float64(p.cleanableBytes) / float64(total)
}

// eligible is Kafka's rule: something to clean, and either the dirty
// ratio passes min.cleanable.dirty.ratio or max.compaction.lag.ms forces.
func (p cleanPlan) eligible() bool {
	return p.cleanableBytes > 0 && (p.forced || p.ratio() > p.minRatio)
}

// planCleaning measures l for the cleaner (Kafka's cleanableOffsets and
// LogToClean). It reads batch headers under the log's read lock, as fetches
// do.
func planCleaning(l *Log, now int64) (cleanPlan, error) {
	cfg := l.Config()
	p := cleanPlan{log: l, gen: l.cleaning.gen(), minRatio: cfg.MinCleanableDirtyRatio}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if len(l.segs) == 0 {
		return p, fmt.Errorf("%s: %w", l.tp, ErrClosed)
	}
	p.segs = slices.Clone(l.segs)
	p.firstDirty = l.firstDirtyOffset()
	p.firstUncleanable = max(p.firstDirty, firstUncleanableOffset(p.segs, p.firstDirty, l.hw.Load(), cfg.MinCompactionLagMs, now))
	clean, err := bytesBelow(p.segs, p.firstDirty)
	if err != nil {
		return p, err
	}
	dirtyEnd, err := bytesBelow(p.segs, p.firstUncleanable)
	if err != nil {
		return p, err
	}
	p.cleanBytes, p.cleanableBytes = clean, dirtyEnd-clean
	p.forced = maxCompactionLagPassed(p.segs, p.firstDirty, cfg.MaxCompactionLagMs, now)
	return p, nil
}

// firstDirtyOffset is the cleaner checkpoint, or the log start when there
// is none or it lies outside the log (retention moved the start past it,
// or the log lost its tail), as Kafka resets it.
func (l *Log) firstDirtyOffset() int64 {
	start, leo := l.logStart.Load(), l.leo.Load()
	off, ok := l.cleaning.checkpoint()
	if !ok || off < start || off > leo {
		return start
	}
	return off
}

// firstUncleanableOffset is the lowest of the high watermark (Kafka's last
// stable offset: kq has no open transactions), the active segment's base,
// and the base of the first dirty segment with a record younger than
// min.compaction.lag.ms.
func firstUncleanableOffset(segs []*segment, firstDirty, hw, minLagMs, now int64) int64 {
	active := segs[len(segs)-1]
	limit := min(hw, active.base)
	if minLagMs <= 0 {
		return limit
	}
	for _, s := range dirtyClosedSegments(segs, firstDirty) {
		if s.largestTimestamp() > now-minLagMs {
			return min(limit, s.base)
		}
	}
	return limit
}

// dirtyClosedSegments returns the closed segments holding firstDirty and
// after.
func dirtyClosedSegments(segs []*segment, firstDirty int64) []*segment {
	closed := segs[:len(segs)-1]
	i := 0
	for i < len(closed) && closed[i].next.Load() <= firstDirty {
		i++
	}
	return closed[i:]
}

// bytesBelow counts the bytes of the batches that end before offset.
func bytesBelow(segs []*segment, offset int64) (int64, error) {
	var n int64
	for _, s := range segs {
		if s.next.Load() <= offset {
			n += s.size.Load()
			continue
		}
		b, found, err := s.locate(offset)
		if err != nil {
			return 0, fmt.Errorf("measure segment %d: %w", s.base, err)
		}
		if found {
			return n + b.pos, nil
		}
		return n + s.size.Load(), nil
	}
	return n, nil
}

// maxCompactionLagPassed reports whether a dirty closed segment's first
// batch is older than max.compaction.lag.ms (Kafka's maxCompactionDelay;
// batches without a timestamp do not count).
func maxCompactionLagPassed(segs []*segment, firstDirty, maxLagMs, now int64) bool {
	if maxLagMs <= 0 || maxLagMs >= unlimited {
		return false
	}
	for _, s := range dirtyClosedSegments(segs, firstDirty) {
		if ts := firstBatchTimestamp(s); ts > 0 && ts < now-maxLagMs {
			return true
		}
	}
	return false
}

// firstBatchTimestamp reads the max timestamp of the segment's first
// batch, -1 when it cannot.
func firstBatchTimestamp(s *segment) int64 {
	sc := newHeaderScanner(s.log, 0, s.size.Load())
	defer sc.release()
	if _, h, ok := sc.next(); ok {
		return h.MaxTimestamp()
	}
	return -1
}
