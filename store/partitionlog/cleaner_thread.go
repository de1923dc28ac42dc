package partitionlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kqhq/kq/store/recordbatch"
)

// errMapTooSmall: the dedupe buffer cannot hold the keys of the first
// dirty batch, so no cleaning can make progress (a configuration problem).
var errMapTooSmall = errors.New("log.cleaner.dedupe.buffer.size too small for one batch of the dirty section")

// cleanerBuffers sizes one thread's memory: its share of the dedupe buffer
// and of the I/O buffer (half for reading, half for writing, as Kafka
// splits it).
type cleanerBuffers struct {
	dedupeBytes int64
	ioBytes     int
	loadFactor  float64
}

// cleanerThread is one cleaner thread's working set (Kafka's Cleaner): the
// offset map, read and write buffers and compressors are reused from one
// cleaning to the next.
type cleanerThread struct {
	offsets  *offsetMap
	reader   *batchReader
	filter   batchFilter
	out      cleanedWriter
	throttle *throttler

	// crash, when set (tests), is asked at each step of a swap whether to
	// stop there as a crash would, leaving the files as they are.
	crash func(event string) bool
}

func newCleanerThread(b cleanerBuffers, throttle *throttler) *cleanerThread {
	t := &cleanerThread{
		offsets:  newOffsetMap(b.dedupeBytes, b.loadFactor),
		reader:   newBatchReader(b.ioBytes / 2),
		throttle: throttle,
	}
	t.filter.offsets = t.offsets
	t.out.flushAt = max(b.ioBytes/2, 4096)
	return t
}

// clean runs one cleaning of plan.log (Kafka's Cleaner.doClean): map the
// dirty section, then rewrite every closed segment up to the end of what
// was mapped, group by group.
func (t *cleanerThread) clean(ctx context.Context, plan cleanPlan, now int64) (cleanResult, error) {
	start := time.Now()
	res := cleanResult{firstDirty: plan.firstDirty, endOffset: plan.firstDirty}
	if err := t.buildOffsetMap(ctx, plan, &res); err != nil {
		return res, t.classify(ctx, plan, plan.segs[:len(plan.segs)-1], err)
	}
	if t.offsets.latest < plan.firstDirty {
		return res, fmt.Errorf("%s: %w", plan.log.tp, errMapTooSmall)
	}
	res.endOffset, res.mapped = t.offsets.latest+1, t.offsets.entries
	cfg := plan.log.Config()
	t.filter.now, t.filter.deleteRetention = now, cfg.DeleteRetentionMs
	t.filter.producers = plan.log.producerLastOffsets()
	groups := groupSegments(closedBelow(plan.segs, res.endOffset), cfg.SegmentBytes, cfg.SegmentIndexBytes)
	for i, group := range groups {
		if err := t.cleanGroup(ctx, plan, group, cfg, &res); err != nil {
			// The groups before i left the log by this cleaning's own
			// swaps; only the segments still to be rewritten must be there.
			return res, t.classify(ctx, plan, slices.Concat(groups[i:]...), err)
		}
		res.groups++
	}
	res.took = time.Since(start)
	return res, nil
}

// classify turns a failure caused by the log changing under the cleaner
// (truncation, deletion, close, retention removing one of the segments
// pending, those it was still to read or rewrite) or by shutdown into
// errCleaningAborted. Any other failure (a full disk, corrupt data) stays
// what it is, so the log is not picked again in a loop.
func (t *cleanerThread) classify(ctx context.Context, plan cleanPlan, pending []*segment, err error) error {
	if errors.Is(err, errCleaningAborted) || errors.Is(err, errSimulatedCrash) {
		return err
	}
	l := plan.log
	if ctx.Err() != nil || l.usable() != nil || l.cleaning.gen() != plan.gen || !l.holdsAll(pending) {
		return fmt.Errorf("%w: %w", errCleaningAborted, err)
	}
	return err
}

// holdsAll reports whether every one of segs is still in the log.
func (l *Log) holdsAll(segs []*segment) bool {
	for _, s := range segs {
		if !l.holds(s) {
			return false
		}
	}
	return true
}

// buildOffsetMap maps the keys of the batches lying wholly in
// [firstDirty, firstUncleanable) to their last offset, until the map is
// full (Kafka's buildOffsetMap). offsets.latest ends at the last batch
// mapped whole.
func (t *cleanerThread) buildOffsetMap(ctx context.Context, plan cleanPlan, res *cleanResult) error {
	t.offsets.reset()
	for _, seg := range dirtyClosedSegments(plan.segs, plan.firstDirty) {
		if seg.base >= plan.firstUncleanable {
			return nil
		}
		stop, err := t.mapSegment(ctx, plan, seg, res)
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// mapSegment maps one segment's dirty batches; stop reports that the map
// is full or the uncleanable offset was reached.
func (t *cleanerThread) mapSegment(ctx context.Context, plan cleanPlan, seg *segment, res *cleanResult) (stop bool, err error) {
	from, ok := plan.log.cleanerReadStart(seg, plan.firstDirty)
	if !ok {
		return true, errCleaningAborted
	}
	t.reader.reset(seg, from, seg.size.Load())
	for {
		if err := ctx.Err(); err != nil {
			return true, fmt.Errorf("%w: %w", errCleaningAborted, err)
		}
		_, h, err := t.reader.next()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return true, err
		}
		if h.LastOffset() < plan.firstDirty {
			continue
		}
		if h.LastOffset() >= plan.firstUncleanable {
			return true, nil
		}
		res.bytesRead += int64(len(h))
		t.throttle.wait(ctx, len(h))
		full, err := t.mapBatch(h, plan.firstDirty)
		if err != nil || full {
			return true, err
		}
		t.offsets.latest = h.LastOffset()
	}
}

// mapBatch puts the keys of one batch in the map; full reports that a new
// key did not fit. Transactional and control batches are not mapped: kq
// cannot tell aborted records from committed ones, so they supersede
// nothing.
func (t *cleanerThread) mapBatch(h header, firstDirty int64) (full bool, err error) {
	if h.Attributes()&(recordbatch.AttrTransactional|recordbatch.AttrControl) != 0 {
		return false, nil
	}
	it, err := openRecords(h, recordbatch.StoredLimit)
	if err != nil {
		return false, fmt.Errorf("batch at offset %d: %w", h.BaseOffset(), err)
	}
	defer it.close()
	for i := range h.RecordCount() {
		r, err := it.next()
		if err != nil {
			return false, fmt.Errorf("record %d of the batch at offset %d: %w", i, h.BaseOffset(), err)
		}
		off := h.BaseOffset() + int64(r.OffsetDelta)
		if r.Key == nil || off < firstDirty {
			continue
		}
		if !t.offsets.put(r.Key, off) {
			return true, nil
		}
	}
	return false, nil
}

// cleanerReadStart returns where to start reading seg for offset, looked
// up under the log's read lock so the index cannot be unmapped meanwhile;
// ok is false when seg is no longer in the log.
func (l *Log) cleanerReadStart(seg *segment, offset int64) (int64, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if i := l.floorSegment(seg.base); i < 0 || l.segs[i] != seg {
		return 0, false
	}
	return seg.offsets.lookup(offset - seg.base), true
}

// closedBelow returns the closed segments starting below end.
func closedBelow(segs []*segment, end int64) []*segment {
	closed := segs[:len(segs)-1]
	i := 0
	for i < len(closed) && closed[i].base < end {
		i++
	}
	return closed[:i]
}
