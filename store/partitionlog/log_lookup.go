package partitionlog

import (
	"fmt"
	"io"

	"github.com/kqhq/kq/store/recordbatch"
)

// OffsetForTimestamp answers ListOffsets for a timestamp >= 0: the first
// offset at or after the log start whose record timestamp is >= ts, with
// that record's timestamp. ok is false when no record qualifies (Kafka then
// answers offset -1). The first segment whose largest timestamp reaches ts is
// searched; its .timeindex skips the batches that cannot qualify, then
// records are read (decompressed if needed) from there.
func (l *Log) OffsetForTimestamp(ts int64) (offset, timestamp int64, ok bool, err error) {
	if err := l.usable(); err != nil {
		return -1, -1, false, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	start := l.logStart.Load()
	for _, seg := range l.segs {
		if seg.maxTs.Load() < ts || seg.next.Load() <= start {
			continue
		}
		offset, timestamp, ok, err = seg.findTimestamp(ts, start)
		if err != nil {
			return -1, -1, false, l.readFailed(err)
		}
		if ok {
			return offset, timestamp, true, nil
		}
	}
	return -1, -1, false, nil
}

// MaxTimestamp answers ListOffsets MAX_TIMESTAMP (-3) as Kafka 3.9: the
// largest timestamp in the log and the offset of the first record carrying
// it; (-1, -1) when no record has a timestamp.
func (l *Log) MaxTimestamp() (timestamp, offset int64, err error) {
	if err := l.usable(); err != nil {
		return -1, -1, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	var best *segment
	for _, seg := range l.segs {
		if best == nil || seg.maxTs.Load() > best.maxTs.Load() {
			best = seg
		}
	}
	if best == nil || best.maxTs.Load() < 0 {
		return -1, -1, nil
	}
	ts := best.maxTs.Load()
	// The time index leads the search close to the batch holding ts; the
	// record offset within it is what Kafka 3.9 answers.
	offset, _, ok, err := best.findTimestamp(ts, l.logStart.Load())
	if err != nil {
		return -1, -1, l.readFailed(err)
	}
	if !ok {
		return ts, best.maxTsOffset.Load(), nil
	}
	return ts, offset, nil
}

// findTimestamp searches the segment for the first record with offset >=
// from and timestamp >= ts.
func (s *segment) findTimestamp(ts, from int64) (offset, timestamp int64, ok bool, err error) {
	startRel := max(from-s.base, 0)
	if rel, found := s.times.lookupBefore(ts); found {
		startRel = max(startRel, int64(rel))
	}
	sc := newHeaderScanner(s.log, s.offsets.lookup(startRel), s.size.Load())
	defer sc.release()
	for pos, h, more := sc.next(); more; pos, h, more = sc.next() {
		if h.MaxTimestamp() < ts || h.LastOffset() < from {
			continue
		}
		offset, timestamp, ok, err = s.searchBatch(pos, h.Size(), ts, from)
		if err != nil || ok {
			return offset, timestamp, ok, err
		}
	}
	return -1, -1, false, sc.err
}

// searchBatch reads the batch at pos and walks its records.
func (s *segment) searchBatch(pos, size, ts, from int64) (int64, int64, bool, error) {
	buf := make([]byte, size)
	if _, err := s.log.ReadAt(buf, pos); err != nil && err != io.EOF {
		return 0, 0, false, fmt.Errorf("read batch at %d of %s: %w", pos, s.log.Name(), err)
	}
	h := header(buf)
	it, err := openRecords(h, recordbatch.StoredLimit)
	if err != nil {
		return 0, 0, false, fmt.Errorf("batch at %d of %s: %w: %w", pos, s.log.Name(), ErrCorruptLog, err)
	}
	defer it.close()
	for range h.RecordCount() {
		r, err := it.next()
		if err != nil {
			return 0, 0, false, fmt.Errorf("batch at %d of %s: %w: %w", pos, s.log.Name(), ErrCorruptLog, err)
		}
		recTs := h.BaseTimestamp() + r.TimestampDelta64
		if h.LogAppendTime() {
			recTs = h.MaxTimestamp()
		}
		if off := h.BaseOffset() + int64(r.OffsetDelta); recTs >= ts && off >= from {
			return off, recTs, true, nil
		}
	}
	return 0, 0, false, nil
}
