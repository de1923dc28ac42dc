package partitionlog

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

// logOptions carries what the manager knows about a partition when it opens
// or creates its log.
type logOptions struct {
	fs    vfs.FS // nil: the OS filesystem
	dir   string
	tp    TopicPartition
	cfg   Config
	clock Clock
	// expiryClock is what producer-id expiration reads; nil: clock. The
	// manager passes its guard, which does not take wall-clock steps at
	// once.
	expiryClock   interface{ Now() time.Time }
	logger        *slog.Logger
	clean         bool  // the log.dir had a clean-shutdown marker
	recoveryPoint int64 // checkpointed; 0 when absent
	logStart      int64 // checkpointed; 0 when absent
	hw            int64 // checkpointed; 0 when absent
	fail          func(error)

	producerIDExpirationMs int64 // 0: DefaultProducerIDExpirationMs
}

func newLog(o logOptions) *Log {
	cfg := o.cfg.normalized()
	l := &Log{tp: o.tp, dir: o.dir, fs: o.fs, clock: o.clock, expiryClock: o.expiryClock, logger: o.logger, fail: o.fail, deleter: newDeleter(o.logger)}
	if l.expiryClock == nil {
		l.expiryClock = o.clock
	}
	l.cfg.Store(&cfg)
	l.lastFlushMs.Store(nowMs(o.clock))
	l.producers, l.producerIDExpirationMs = producerMap{}, o.producerIDExpirationMs
	l.txns.init()
	l.txnRebuildFrom = -1
	if l.producerIDExpirationMs <= 0 {
		l.producerIDExpirationMs = DefaultProducerIDExpirationMs
	}
	return l
}

// createLog makes a new partition directory with an empty segment at 0.
func createLog(o logOptions, topicID [16]byte) (*Log, error) {
	o = o.withDefaults()
	if err := o.fs.MkdirAll(o.dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", o.dir, err)
	}
	if err := writePartitionMetadata(o.fs, o.dir, topicID); err != nil {
		return nil, err
	}
	if err := o.fs.SyncDir(filepath.Dir(o.dir)); err != nil {
		return nil, fmt.Errorf("create %s: %w", o.dir, err)
	}
	o.clean, o.recoveryPoint, o.logStart, o.hw = true, 0, 0, 0
	return openLog(o)
}

// openLog opens a partition directory: it cleans leftovers, opens every
// segment, recovers what an unclean shutdown may have damaged (every segment
// from the one holding the recovery point, plus any segment whose indexes are
// missing or inconsistent), and settles the offsets.
func openLog(o logOptions) (*Log, error) {
	o = o.withDefaults()
	l := newLog(o)
	if err := l.load(o); err != nil {
		for _, s := range l.segs {
			s.close()
		}
		return nil, fmt.Errorf("open log %s: %w", o.dir, err)
	}
	return l, nil
}

// withDefaults fills what callers (tests, mostly) may leave out.
func (o logOptions) withDefaults() logOptions {
	if o.fs == nil {
		o.fs = vfs.OS{}
	}
	return o
}

func (l *Log) load(o logOptions) error {
	id, _, err := readPartitionMetadata(l.fs, o.dir)
	if err != nil {
		return err
	}
	l.topicID = id
	if l.epochs, err = loadLeaderEpochCache(l.fs, o.dir); err != nil {
		return err
	}
	if err := finishInterruptedSwaps(l.fs, o.dir, l.logger); err != nil {
		return err
	}
	bases, err := scanPartitionDir(l.fs, o.dir)
	if err != nil {
		return err
	}
	if err := l.openSegments(bases, o); err != nil {
		return err
	}
	if err := l.settle(o); err != nil {
		return err
	}
	return l.loadProducerState()
}

// scanPartitionDir removes what a crash or a pending deletion left (files
// renamed .deleted, checkpoint .tmp files, indexes without a .log) and
// returns the segment base offsets in order.
func scanPartitionDir(fsys vfs.FS, dir string) ([]int64, error) {
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var bases []int64
	logs := map[string]bool{}
	for _, e := range entries {
		if base, ok := parseSegmentName(e.Name()); ok {
			bases = append(bases, base)
			logs[strings.TrimSuffix(e.Name(), logSuffix)] = true
		}
	}
	for _, e := range entries {
		name := e.Name()
		stem := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, indexSuffix), timeIndexSuffix), txnIndexSuffix)
		orphan := stem != name && !logs[stem]
		if strings.HasSuffix(name, deletedSuffix) || strings.HasSuffix(name, ".tmp") || orphan {
			if err := fsys.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("remove leftover %s: %w", name, err)
			}
		}
	}
	slices.Sort(bases)
	return bases, nil
}

// openSegments opens the segments in order and recovers those that need it.
// When recovery cuts a segment, every later segment is deleted: the log
// keeps exactly the valid prefix.
func (l *Log) openSegments(bases []int64, o logOptions) error {
	cfg, now := l.Config(), nowMs(l.clock)
	recoverFrom := len(bases)
	if !o.clean {
		// Kafka recovers the segment holding the recovery point and after.
		recoverFrom = max(0, sort64(bases, o.recoveryPoint))
	}
	for i, base := range bases {
		seg, indexesOK, err := openSegment(l.fs, o.dir, base, cfg.SegmentIndexBytes, now)
		if err != nil {
			return err
		}
		l.segs = append(l.segs, seg)
		last := i == len(bases)-1
		txnIndexOK := l.openTxnIndex(seg)
		if i >= recoverFrom || !indexesOK || !txnIndexOK || !seg.consistent(last) {
			cut, err := l.recoverSegment(seg, cfg)
			if err != nil {
				return err
			}
			if cut {
				return l.dropSegmentsAfter(i, bases, o.dir)
			}
		}
	}
	return nil
}

// sort64 returns the index of the last base <= offset, or -1.
func sort64(bases []int64, offset int64) int {
	i, found := slices.BinarySearch(bases, offset)
	if found {
		return i
	}
	return i - 1
}

// consistent is the cheap check run on segments that are not recovered:
// the tail scan from the last index entry must reach the file end cleanly,
// index entries must point inside the file, and the active segment's
// indexes are checked entry by entry.
func (s *segment) consistent(active bool) bool {
	if _, pos, ok := s.offsets.last(); ok && int64(pos) >= s.size.Load() {
		return false
	}
	if s.loadTail() != nil {
		return false
	}
	if _, rel, ok := s.times.last(); ok && s.base+int64(rel) >= s.next.Load() {
		return false
	}
	return !active || (s.offsets.sane(s.size.Load()) && s.times.sane(s.next.Load()-s.base))
}

// recoverSegment validates and re-indexes one segment; cut reports whether
// damaged bytes were removed.
func (l *Log) recoverSegment(seg *segment, cfg Config) (cut bool, err error) {
	before := seg.size.Load()
	// Its aborted transactions are written again by the producer state
	// replay (loadProducerState), which knows the transactions ongoing
	// when the segment began.
	if err := seg.resetAborted(); err != nil {
		return false, fmt.Errorf("recover segment %d: %w", seg.base, err)
	}
	seg.txnRebuild = true
	if l.txnRebuildFrom < 0 {
		l.txnRebuildFrom = seg.base
	}
	damage, err := seg.recover(cfg.IndexIntervalBytes, func(h header) {
		if latest, ok := l.epochs.LatestEpoch(); !ok || h.LeaderEpoch() > latest {
			l.epochs.assignUnflushed(h.LeaderEpoch(), h.BaseOffset())
		}
	})
	if err != nil {
		return false, fmt.Errorf("recover segment %d: %w", seg.base, err)
	}
	if damage != nil {
		l.logger.Warn("recovery truncated a damaged segment", "partition", l.tp.String(), "base_offset", seg.base,
			"kept_bytes", seg.size.Load(), "removed_bytes", before-seg.size.Load(), "damage", damage)
	}
	return damage != nil, nil
}

// openTxnIndex loads the segment's aborted transaction index and reports
// false when it does not decode: the segment is then recovered.
func (l *Log) openTxnIndex(seg *segment) bool {
	if err := seg.loadTxnIndex(); err != nil {
		l.logger.Warn("rebuilding an unreadable transaction index", "partition", l.tp.String(), "base_offset", seg.base, "err", err)
		return false
	}
	return true
}

// dropSegmentsAfter deletes the segment files after bases[i] at once (no
// reader exists yet).
func (l *Log) dropSegmentsAfter(i int, bases []int64, dir string) error {
	for _, base := range bases[i+1:] {
		s := &segment{base: base, dir: dir, fs: l.fs}
		l.logger.Warn("recovery deleted a segment after the damage", "partition", l.tp.String(), "base_offset", base)
		if err := removeSegmentFiles(s); err != nil {
			return err
		}
	}
	return nil
}

// settle fixes the offsets once the segments are known: an empty segment
// list (or one ending below the checkpointed log start, which Kafka treats
// as files deleted by hand) restarts at the log start; closed segments get
// trimmed indexes, the active one preallocated ones.
func (l *Log) settle(o logOptions) error {
	cfg, now := l.Config(), nowMs(l.clock)
	if n := len(l.segs); n > 0 && l.segs[n-1].next.Load() < o.logStart {
		l.logger.Warn("log ends before its checkpointed start; deleting all segments",
			"partition", l.tp.String(), "log_end", l.segs[n-1].next.Load(), "log_start", o.logStart)
		if err := l.discardAll(); err != nil {
			return err
		}
	}
	if len(l.segs) == 0 {
		seg, err := createSegment(l.fs, o.dir, o.logStart, cfg.SegmentIndexBytes, now)
		if err != nil {
			return err
		}
		l.segs = []*segment{seg}
	}
	for _, s := range l.segs[:len(l.segs)-1] {
		if err := s.deactivate(); err != nil {
			return err
		}
	}
	if err := l.active().activate(); err != nil {
		return err
	}
	leo := l.active().next.Load()
	start := max(o.logStart, l.segs[0].base)
	l.leo.Store(leo)
	l.logStart.Store(start)
	l.recoveryPoint.Store(min(max(o.recoveryPoint, 0), leo))
	l.hw.Store(min(max(o.hw, start), leo))
	return errors.Join(l.epochs.truncateFromEnd(leo), l.epochs.truncateFromStart(start), l.epochs.flushIfDirty())
}

func (l *Log) discardAll() error {
	var errs []error
	for _, s := range l.segs {
		errs = append(errs, s.close(), removeSegmentFiles(s))
	}
	l.segs = nil
	return errors.Join(append(errs, l.epochs.clear())...)
}
