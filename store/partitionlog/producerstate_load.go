package partitionlog

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/kqhq/kq/store/vfs"
)

// DefaultProducerIDExpirationMs is producer.id.expiration.ms: a producer
// idle this long (measured from its last batch's timestamp) is forgotten.
const DefaultProducerIDExpirationMs = 86_400_000

// The producer state's life with the log. The caller holds writeMu in
// every method below (or owns the log exclusively, while opening it).
//
//   - open: the newest snapshot at or below the log end, then the batch
//     headers after it (no snapshot: every segment that may hold an
//     unexpired producer);
//   - roll: a snapshot at the new segment's base offset;
//   - clean close: a snapshot at the log end, fsynced;
//   - truncation: later batches forgotten, or a rebuild as at open when
//     a producer would be left without any batch; snapshots above the new
//     end deleted;
//   - segments deleted by retention or a log start move: their snapshots
//     go with them, the in-memory state stays (Kafka 3.9 keeps producers
//     until they expire, so a producer survives the deletion of its data).

// loadProducerState builds the state when the log is opened.
func (l *Log) loadProducerState() error {
	offsets, err := listSnapshots(l.fs, l.Dir())
	if err != nil {
		return err
	}
	l.snapshots = offsets
	if err := l.dropSnapshots(func(o int64) bool { return o < l.segs[0].base }); err != nil {
		return err
	}
	indexFrom := l.txnRebuildFrom
	l.txnRebuildFrom = -1
	return l.rebuildProducerStateIndexing(indexFrom)
}

// rebuildProducerState forgets the state and reads it back from the newest
// usable snapshot and the log after it.
func (l *Log) rebuildProducerState() error { return l.rebuildProducerStateIndexing(-1) }

// rebuildProducerStateIndexing rebuilds the state and, when indexFrom is
// not -1, the transaction indexes of the segments from indexFrom on (they
// were recovered): the replay then starts at a snapshot at or below
// indexFrom, so it sees every transaction ongoing there.
func (l *Log) rebuildProducerStateIndexing(indexFrom int64) error {
	leo, now := l.leo.Load(), l.expiryClock.Now().UnixMilli()
	if err := l.dropSnapshots(func(o int64) bool { return o > leo }); err != nil {
		return err
	}
	limit := leo
	if indexFrom >= 0 {
		limit = indexFrom
	}
	from, err := l.loadNewestSnapshot(limit)
	if err != nil {
		return err
	}
	l.resetTxns()
	if from < 0 {
		from = l.firstUnexpiredSegmentBase(now)
		if indexFrom >= 0 {
			from = l.segs[0].base // an earlier segment may open a transaction the recovered ones end
		}
	}
	if err := l.replayProducers(max(from, l.segs[0].base)); err != nil {
		return err
	}
	l.producers.expire(now, l.producerIDExpirationMs)
	return nil
}

// loadNewestSnapshot loads the newest snapshot at or below limit that
// decodes, deleting the ones that do not, and returns its offset; -1 (with
// an empty state) when none is left.
func (l *Log) loadNewestSnapshot(limit int64) (int64, error) {
	for {
		i, found := slices.BinarySearch(l.snapshots, limit)
		if found {
			i++
		}
		if i == 0 {
			break
		}
		offset := l.snapshots[i-1]
		data, err := vfs.ReadFile(l.fs, snapshotPath(l.Dir(), offset))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, fmt.Errorf("read producer snapshot: %w", err)
		}
		m, derr := decodeProducerSnapshot(data)
		if err == nil && derr == nil {
			l.producers = m
			return offset, nil
		}
		l.logger.Warn("ignoring an unreadable producer snapshot", "partition", l.tp.String(), "offset", offset, "err", errors.Join(err, derr))
		if err := l.dropSnapshots(func(o int64) bool { return o == offset }); err != nil {
			return 0, err
		}
	}
	l.producers = producerMap{}
	return -1, nil
}

// firstUnexpiredSegmentBase bounds a scan without snapshot: a segment
// whose newest batch is older than producer.id.expiration.ms can only hold
// producers that are expired, or whose later batches are in later
// segments.
func (l *Log) firstUnexpiredSegmentBase(now int64) int64 {
	for _, seg := range l.segs {
		if seg.largestTimestamp() >= now-l.producerIDExpirationMs {
			return seg.base
		}
	}
	return l.active().base
}

// replayProducers adds the batches from offset from to the log end,
// reading only their headers (and the few bytes of control batches). The
// aborts of recovered segments (txnRebuild) are written to their
// transaction indexes again.
func (l *Log) replayProducers(from int64) error {
	for _, seg := range l.segs[max(l.floorSegment(from), 0):] {
		var index *segment
		if seg.txnRebuild {
			index, seg.txnRebuild = seg, false
		}
		if err := l.replaySegment(seg, from, index); err != nil {
			return fmt.Errorf("rebuild producer state from segment %d: %w", seg.base, err)
		}
	}
	return nil
}

func (l *Log) replaySegment(seg *segment, from int64, index *segment) error {
	start := int64(0)
	if from > seg.base {
		start = seg.offsets.lookup(from - seg.base)
	}
	sc := newHeaderScanner(seg.log, start, seg.size.Load())
	defer sc.release()
	for pos, h, ok := sc.next(); ok; pos, h, ok = sc.next() {
		if h.BaseOffset() < from || !idempotent(h) {
			continue
		}
		size := h.Size()
		whole := func() (header, error) { return seg.readBatchAt(pos, size) }
		if err := l.replayBatch(h, whole, index); err != nil {
			return err
		}
	}
	return sc.err
}

// takeProducerSnapshot writes the state as of offset (the log end, or the
// base of the segment being rolled).
func (l *Log) takeProducerSnapshot(offset int64, sync bool) error {
	if err := writeSnapshotFile(l.fs, snapshotPath(l.Dir(), offset), encodeProducerSnapshot(l.producers), sync); err != nil {
		return err
	}
	if i, found := slices.BinarySearch(l.snapshots, offset); !found {
		l.snapshots = slices.Insert(l.snapshots, i, offset)
	}
	return nil
}

// dropSnapshots deletes the snapshot files whose offset matches.
func (l *Log) dropSnapshots(match func(int64) bool) error {
	var errs []error
	l.snapshots = slices.DeleteFunc(l.snapshots, func(o int64) bool {
		if !match(o) {
			return false
		}
		errs = append(errs, removeSnapshotFile(l.fs, l.Dir(), o))
		return true
	})
	return errors.Join(errs...)
}

// producersAfterTruncation makes the state describe the log below the new
// log end offset.
func (l *Log) producersAfterTruncation(leo int64) error {
	if err := l.dropSnapshots(func(o int64) bool { return o > leo }); err != nil {
		return err
	}
	if l.producers.truncateTo(leo) {
		return nil
	}
	return l.rebuildProducerState()
}

// producersAfterFullTruncation empties the state with the log.
func (l *Log) producersAfterFullTruncation() error {
	l.producers = producerMap{}
	l.txns.reset()
	return l.dropSnapshots(func(int64) bool { return true })
}

// producersAfterPrefixDeletion deletes the snapshots of segments removed
// from the front of the log.
func (l *Log) producersAfterPrefixDeletion() error {
	first := l.segs[0].base
	return l.dropSnapshots(func(o int64) bool { return o < first })
}

// ExpireProducers forgets the producers idle for producer.id.expiration.ms
// and returns how many went; the manager calls it every
// producer.id.expiration.check.interval.ms.
func (l *Log) ExpireProducers() int {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if l.usable() != nil {
		return 0
	}
	return l.producers.expire(l.expiryClock.Now().UnixMilli(), l.producerIDExpirationMs)
}
