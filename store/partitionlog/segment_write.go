package partitionlog

import (
	"errors"
	"fmt"
)

// append writes buf (whole batches, already validated and patched) at the
// end of the segment with one pwrite, indexes the batches, then publishes
// the new end. Readers see the batches only after that last step.
func (s *segment) append(buf []byte, infos []batchInfo, interval int32) error {
	pos := s.size.Load()
	if _, err := s.log.WriteAt(buf, pos); err != nil {
		return fmt.Errorf("write %s at %d: %w", s.log.Name(), pos, err)
	}
	if pos == 0 && len(infos) > 0 {
		s.rollBaseTs = infos[0].maxTimestamp
	}
	for _, b := range infos {
		if err := s.indexBatch(pos+int64(b.pos), b.lastOffset(), b.maxTimestamp, interval); err != nil {
			return err
		}
	}
	s.next.Store(infos[len(infos)-1].lastOffset() + 1)
	s.size.Store(pos + int64(len(buf)))
	return nil
}

// indexBatch records one batch in the segment's running state and, once
// more than interval bytes passed since the last entry, in both indexes. The
// rule is Kafka's, and recovery applies the same one, so a rebuilt index is
// identical to the one written live.
// It fails only when the disk has no room for the indexes' next entries.
func (s *segment) indexBatch(pos, last, maxTs int64, interval int32) error {
	if maxTs > s.maxTs.Load() {
		s.maxTs.Store(maxTs)
		s.maxTsOffset.Store(last)
	}
	if pos-s.lastIndexedPos <= int64(interval) || s.offsets.full() {
		return nil
	}
	if err := errors.Join(s.offsets.reserve(1), s.times.reserve(1)); err != nil {
		return err
	}
	s.offsets.append(s.relative(last), int32(pos))
	s.times.maybeAppend(s.maxTs.Load(), s.relative(s.maxTsOffset.Load()))
	s.lastIndexedPos = pos
	return nil
}

// truncateTo removes every batch whose last offset is >= offset, and the
// index entries for them; a batch straddling offset goes whole, as in Kafka.
// It returns the bytes removed.
func (s *segment) truncateTo(offset int64) (int64, error) {
	b, found, err := s.locate(offset)
	if err != nil || !found {
		return 0, err
	}
	s.offsets.truncateTo(offset - s.base)
	s.times.truncateTo(offset - s.base)
	if err := s.log.Truncate(b.pos); err != nil {
		return 0, fmt.Errorf("truncate %s to %d: %w", s.log.Name(), b.pos, err)
	}
	removed := s.size.Load() - b.pos
	s.size.Store(b.pos)
	return removed, s.loadTail()
}

// loadTail rebuilds the running state (next offset, largest timestamp, last
// index position) from the indexes and a scan of the batches after the last
// .index entry. It fails when that scan finds a torn or corrupt header.
func (s *segment) loadTail() error {
	from := int64(0)
	if _, pos, ok := s.offsets.last(); ok {
		from = int64(pos)
	}
	s.lastIndexedPos = from
	s.next.Store(s.base)
	s.maxTs.Store(-1)
	s.maxTsOffset.Store(s.base)
	if ts, rel, ok := s.times.last(); ok {
		s.maxTs.Store(ts)
		s.maxTsOffset.Store(s.base + int64(rel))
	}
	if last, _, ok := s.offsets.last(); ok {
		s.next.Store(s.base + int64(last) + 1)
	}
	sc := newHeaderScanner(s.log, from, s.size.Load())
	defer sc.release()
	for _, h, ok := sc.next(); ok; _, h, ok = sc.next() {
		s.next.Store(h.LastOffset() + 1)
		if h.MaxTimestamp() > s.maxTs.Load() {
			s.maxTs.Store(h.MaxTimestamp())
			s.maxTsOffset.Store(h.LastOffset())
		}
	}
	if s.size.Load() == 0 {
		s.rollBaseTs = -1
	}
	return sc.err
}

// loadRollBase reads the first batch's max timestamp, which segment.ms
// counts from (Kafka's rollingBasedTimestamp), when it is not yet known.
func (s *segment) loadRollBase() {
	if s.rollBaseTs >= 0 || s.empty() {
		return
	}
	sc := newHeaderScanner(s.log, 0, s.size.Load())
	defer sc.release()
	if _, h, ok := sc.next(); ok {
		s.rollBaseTs = h.MaxTimestamp()
	}
}
