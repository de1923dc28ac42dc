package partitionlog

// locate finds the first batch whose last offset is >= offset: the index
// gives a boundary at or before it, a header scan from there finds it.
// found is false when every batch of the segment ends before offset.
func (s *segment) locate(offset int64) (batchPos, bool, error) {
	return s.locateFrom(offset, s.offsets.lookup(offset-s.base), s.size.Load())
}

func (s *segment) locateFrom(offset, from, limit int64) (batchPos, bool, error) {
	sc := newHeaderScanner(s.log, from, limit)
	defer sc.release()
	for pos, h, ok := sc.next(); ok; pos, h, ok = sc.next() {
		if h.LastOffset() >= offset {
			return batchPos{pos: pos, size: h.Size(), base: h.BaseOffset(), last: h.LastOffset(), maxTs: h.MaxTimestamp()}, true, nil
		}
	}
	return batchPos{}, false, sc.err
}

// endBefore returns the end of the last batch that ends at or before limit,
// scanning from the boundary from (which is known to end at or before it,
// and to follow offset fromNext), and the offset after that batch.
func (s *segment) endBefore(limit, from, fromNext int64) (end, next int64, err error) {
	start := max(from, s.offsets.floorPosition(limit))
	sc := newHeaderScanner(s.log, start, s.size.Load())
	defer sc.release()
	end, next = start, fromNext
	for pos, h, ok := sc.next(); ok; pos, h, ok = sc.next() {
		if pos+h.Size() > limit {
			break
		}
		end, next = pos+h.Size(), h.LastOffset()+1
	}
	return end, next, sc.err
}

// region is the byte range [start, end) of whole batches to return for a
// read starting at offset, bounded by maxBytes and by maxOffset (exclusive:
// a batch is included only when its last offset is below it), and next,
// the offset after the returned batches (or the base of the batch that
// follows them). ok is false when no batch of the segment reaches offset.
func (s *segment) region(offset int64, maxBytes int32, maxOffset int64, minOneBatch bool) (first batchPos, end, next int64, ok bool, err error) {
	first, ok, err = s.locate(offset)
	if err != nil || !ok {
		return first, 0, 0, ok, err
	}
	if first.last >= maxOffset {
		return first, first.pos, first.base, true, nil
	}
	// size before next: the writer publishes next first, so next is never
	// below the end of the bytes seen (it may pass them: a bound on
	// aborted transactions can be generous, never short).
	end = s.size.Load()
	next = s.next.Load()
	if maxOffset < next {
		stop, found, err := s.locate(maxOffset)
		if err != nil {
			return first, 0, 0, true, err
		}
		if found {
			end, next = stop.pos, stop.base
		}
	}
	limit := first.pos + int64(maxBytes)
	switch {
	case limit >= end:
	case first.pos+first.size > limit:
		end, next = first.pos, first.base
		if minOneBatch {
			end, next = first.pos+first.size, first.last+1 // Kafka's rule: the first batch goes whole
		}
	default:
		if end, next, err = s.endBefore(limit, first.pos+first.size, first.last+1); err != nil {
			return first, 0, 0, true, err
		}
	}
	return first, end, next, true, nil
}
