package partitionlog

import (
	"errors"
	"fmt"
)

// Read returns the file region to send for a fetch at offset: whole batches
// of one segment, starting with the batch containing offset, ending at a
// batch boundary, holding only batches whose last offset is below maxOffset
// (the high watermark for consumers, the last stable offset for
// read_committed ones, math.MaxInt64 for followers), and no
// more than maxBytes, except that with minOneBatch the first batch is
// returned whole even when larger (Kafka's rule, so a consumer can always
// progress).
//
// offset below the log start or above the log end offset is
// ErrOffsetOutOfRange; offset equal to the log end offset or at/above
// maxOffset gives an empty result. The region may start before offset when
// offset is inside a batch; consumers skip the leading records.
func (l *Log) Read(offset int64, maxBytes int32, maxOffset int64, minOneBatch bool) (ReadResult, error) {
	if err := l.usable(); err != nil {
		return emptyRead(), err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	start, end := l.logStart.Load(), l.leo.Load()
	if offset < start || offset > end {
		return emptyRead(), fmt.Errorf("%s: offset %d outside [%d, %d]: %w", l.tp, offset, start, end, ErrOffsetOutOfRange)
	}
	if offset == end || offset >= maxOffset {
		return emptyRead(), nil
	}
	// An offset may fall in a gap (after compaction upstream, or a follower
	// roll): then the next segment's first batch is the answer.
	for i := max(l.floorSegment(offset), 0); i < len(l.segs); i++ {
		seg := l.segs[i]
		first, stop, next, ok, err := seg.region(offset, max(maxBytes, 0), maxOffset, minOneBatch)
		if err != nil {
			return emptyRead(), l.readFailed(err)
		}
		if !ok {
			continue
		}
		if stop == first.pos {
			return emptyRead(), nil
		}
		return ReadResult{
			File: seg.log, Pos: first.pos, Len: int32(stop - first.pos), FirstOffset: first.base, NextOffset: next,
			OlderSegment: i < l.floorSegment(min(maxOffset, end)),
		}, nil
	}
	return emptyRead(), nil
}

// readFailed passes corruption through (the bytes are wrong, the disk may be
// fine) and treats anything else as an I/O failure of the directory.
func (l *Log) readFailed(err error) error {
	if errors.Is(err, ErrCorruptLog) {
		return fmt.Errorf("%s: %w", l.tp, err)
	}
	return l.ioFailed(err)
}
