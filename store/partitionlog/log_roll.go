package partitionlog

import (
	"errors"
	"fmt"
)

// maybeRoll returns the segment an append of size bytes with offsets
// first..last must go to, rolling a new one first when Kafka would: the
// segment would pass segment.bytes, it is older than segment.ms, an index is
// full, or last does not fit a relative offset.
func (l *Log) maybeRoll(size, first, last, maxTs int64, cfg Config, now int64) (*segment, error) {
	seg := l.active()
	if !shouldRoll(seg, size, last, maxTs, cfg, now) {
		return seg, nil
	}
	return l.roll(max(first, l.leo.Load()), cfg, now)
}

func shouldRoll(seg *segment, size, last, maxTs int64, cfg Config, now int64) bool {
	if !seg.fits(last) {
		return true
	}
	if seg.empty() {
		return false
	}
	return seg.size.Load()+size > cfg.SegmentBytes ||
		seg.offsets.full() || seg.times.nearlyFull() ||
		waitedForRoll(seg, maxTs, now) > cfg.SegmentMs
}

// waitedForRoll is Kafka's timeWaitedForRoll: with timestamps, the incoming
// batches' max timestamp minus the segment's first batch timestamp;
// without, wall time since the segment was created or opened.
func waitedForRoll(seg *segment, maxTs, now int64) int64 {
	seg.loadRollBase()
	if seg.rollBaseTs >= 0 && maxTs >= 0 {
		return maxTs - seg.rollBaseTs
	}
	return now - seg.createdMs
}

// roll closes the active segment for appends and starts one at base. The
// old segment is fsynced in the background (Kafka does it on its scheduler)
// and the recovery point moves to base once that is done.
func (l *Log) roll(base int64, cfg Config, now int64) (*segment, error) {
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	// Producer state as of the new segment's start (Kafka snapshots at
	// every roll), so a reopen or a truncation replays at most one segment.
	if err := l.takeProducerSnapshot(base, false); err != nil {
		return nil, l.ioFailed(err)
	}
	old := l.active()
	if old.empty() {
		// An empty active segment is replaced rather than kept: it holds
		// nothing, and it may even carry the same base offset.
		return l.replaceEmptyActive(base, cfg, now)
	}
	seg, err := createSegment(l.fs, l.Dir(), base, cfg.SegmentIndexBytes, now)
	if err != nil {
		return nil, l.ioFailed(err)
	}
	if err := old.deactivate(); err != nil {
		seg.close()
		return nil, l.ioFailed(err)
	}
	l.mu.Lock()
	l.segs = append(l.segs, seg)
	l.mu.Unlock()
	l.background.Add(1)
	go l.flushRolled(old, base)
	return seg, nil
}

func (l *Log) replaceEmptyActive(base int64, cfg Config, now int64) (*segment, error) {
	old := l.active()
	// With the same base, creating truncates and replaces old's files; its
	// descriptor and mappings stay valid until closed below.
	seg, err := createSegment(l.fs, l.Dir(), base, cfg.SegmentIndexBytes, now)
	if err != nil {
		return nil, l.ioFailed(err)
	}
	l.mu.Lock()
	l.segs[len(l.segs)-1] = seg
	l.mu.Unlock()
	err = old.close()
	if old.base != base {
		err = errors.Join(err, removeSegmentFiles(old))
	}
	if err != nil {
		return nil, l.ioFailed(err)
	}
	return seg, nil
}

func (l *Log) flushRolled(old *segment, upTo int64) {
	defer l.background.Done()
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	if l.state.Load() != logOpen || !l.holds(old) {
		return // closed, offline, or the segment is gone already
	}
	if err := old.flush(); err != nil {
		l.ioFailed(fmt.Errorf("flush rolled segment: %w", err))
		return
	}
	l.advanceRecoveryPoint(upTo)
}

// holds reports whether seg is still in the segment list.
func (l *Log) holds(seg *segment) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i := l.floorSegment(seg.base)
	return i >= 0 && l.segs[i] == seg
}

func (l *Log) advanceRecoveryPoint(to int64) {
	for {
		old := l.recoveryPoint.Load()
		if to <= old || l.recoveryPoint.CompareAndSwap(old, to) {
			return
		}
	}
}
