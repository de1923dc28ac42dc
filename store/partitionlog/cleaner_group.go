package partitionlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
)

// groupSegments splits consecutive closed segments into the groups one
// cleaned segment replaces, as Kafka's groupSegmentsBySize: a group's
// segments together fit segment.bytes, their index entries fit
// segment.index.bytes, and their offsets fit one segment's 32-bit relative
// offsets. Sizes before cleaning bound those after.
func groupSegments(segs []*segment, maxBytes int64, maxIndexBytes int32) [][]*segment {
	var groups [][]*segment
	for len(segs) > 0 {
		n := 1
		size := segs[0].size.Load()
		offIdx, timeIdx := indexBytes(segs[0])
		for ; n < len(segs); n++ {
			s := segs[n]
			o, ti := indexBytes(s)
			if size+s.size.Load() > maxBytes || offIdx+o > int64(maxIndexBytes) || timeIdx+ti > int64(maxIndexBytes) ||
				s.next.Load()-1-segs[0].base > math.MaxInt32 {
				break
			}
			size, offIdx, timeIdx = size+s.size.Load(), offIdx+o, timeIdx+ti
		}
		groups = append(groups, segs[:n])
		segs = segs[n:]
	}
	return groups
}

func indexBytes(s *segment) (int64, int64) {
	return int64(s.offsets.entries()) * offsetIndexEntrySize, int64(s.times.entries()) * timeIndexEntrySize
}

// cleanGroup writes the cleaned copy of one group to .cleaned files and
// swaps it in. Whatever fails before the swap leaves the log as it was and
// removes the .cleaned files.
func (t *cleanerThread) cleanGroup(ctx context.Context, plan cleanPlan, group []*segment, cfg Config, res *cleanResult) (err error) {
	l := plan.log
	out, err := createCleanedSegment(l.fs, l.Dir(), group[0].base, cfg.SegmentIndexBytes)
	if err != nil {
		return err
	}
	t.out.start(out, cfg.IndexIntervalBytes)
	closed := false
	defer func() {
		if err != nil && !errors.Is(err, errSimulatedCrash) {
			if !closed {
				out.close()
			}
			removeSuffixed(out, cleanedSuffix)
		}
	}()
	for _, seg := range group {
		if err := t.cleanSegment(ctx, seg, res); err != nil {
			return fmt.Errorf("clean segment %d: %w", seg.base, err)
		}
	}
	if err := t.out.finish(lastModified(group[len(group)-1])); err != nil {
		return err
	}
	closed = true
	if err := writeCleanedTxnIndex(out, group); err != nil {
		return err
	}
	res.bytesWritten += out.size.Load()
	if t.crashAt("cleaned") {
		return errSimulatedCrash
	}
	return l.swapCleaned(group, out.base, plan.gen, cfg, t.crashAt)
}

// cleanSegment copies what the cleaning keeps of one segment to the
// cleaned segment. A batch emptied by the cleaning goes, unless it is the
// last of a producer the producer state still knows (Kafka's RETAIN_EMPTY:
// its sequence must survive); an emptied batch of plain records would be
// a batch of no records, which some clients (kafka-go) cannot step over.
func (t *cleanerThread) cleanSegment(ctx context.Context, seg *segment, res *cleanResult) error {
	t.reader.reset(seg, 0, seg.size.Load())
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w: %w", errCleaningAborted, err)
		}
		_, h, err := t.reader.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		res.bytesRead += int64(len(h))
		t.throttle.wait(ctx, len(h))
		keepEmpty := t.filter.lastOfProducer(h)
		n := len(t.out.buf)
		var sel selection
		if t.out.buf, sel, err = t.filter.appendCleaned(t.out.buf, h, keepEmpty); err != nil {
			return fmt.Errorf("batch at offset %d: %w", h.BaseOffset(), err)
		}
		res.recordsRead += int64(sel.total)
		res.recordsKept += int64(sel.kept)
		if len(t.out.buf) > n {
			t.throttle.wait(ctx, len(t.out.buf)-n)
			if err := t.out.added(n); err != nil {
				return err
			}
		}
	}
}

func (t *cleanerThread) crashAt(event string) bool { return t.crash != nil && t.crash(event) }

// errSimulatedCrash stops a cleaning where a test asked, leaving every file
// as a crash would.
var errSimulatedCrash = errors.New("simulated crash")

// lastModified returns the segment file's modification time; the cleaned
// segment takes it (Kafka does, and retention falls back to it for
// batches without timestamps).
func lastModified(s *segment) int64 {
	st, err := s.log.Stat()
	if err != nil {
		return -1
	}
	return st.ModTime().UnixNano()
}

// removeSuffixed removes a segment's three files with the given suffix
// after their usual names, ignoring the missing ones.
func removeSuffixed(s *segment, suffix string) {
	for _, base := range segmentFileSuffixes {
		_ = s.fs.Remove(s.path(base) + suffix) // best effort: recovery removes leftovers too
	}
}
