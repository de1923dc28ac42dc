package partitionlog

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"sync/atomic"

	"github.com/kqhq/kq/store/vfs"
)

// segment is one .log file with its .index and .timeindex. Only the log's
// writer mutates it; readers go through the atomics, which the writer
// publishes after the bytes and index entries they cover are complete.
type segment struct {
	base    int64
	dir     string
	fs      vfs.FS
	log     vfs.File
	offsets offsetIndex
	times   timeIndex
	txns    txnIndex // aborted transactions (txnindex.go)

	size        atomic.Int64 // committed bytes: readers never look past it
	next        atomic.Int64 // offset after the last batch (base when empty)
	maxTs       atomic.Int64 // largest batch max timestamp, -1 when none
	maxTsOffset atomic.Int64 // last offset of the batch holding maxTs

	// Writer-only state.
	lastIndexedPos int64 // position of the last .index entry (0: none)
	rollBaseTs     int64 // first batch's max timestamp, -1 until known
	createdMs      int64 // when this process created or opened it
	txnRebuild     bool  // recovered: loading writes its transaction index again
}

// batchPos locates one batch in a segment file.
type batchPos struct {
	pos, size  int64
	base, last int64
	maxTs      int64
}

func (s *segment) path(suffix string) string { return segmentPath(s.dir, s.base, suffix) }

// createSegment makes a new empty segment with preallocated indexes. Stale
// files of the same name (left by a crash) are replaced.
func createSegment(fsys vfs.FS, dir string, base int64, indexBytes int32, nowMs int64) (*segment, error) {
	s := &segment{base: base, dir: dir, fs: fsys, rollBaseTs: -1, createdMs: nowMs}
	for _, suffix := range []string{indexSuffix, timeIndexSuffix, txnIndexSuffix} {
		if err := fsys.Remove(s.path(suffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("create segment %d: %w", base, err)
		}
	}
	f, err := fsys.Create(s.path(logSuffix))
	if err != nil {
		return nil, fmt.Errorf("create segment: %w", err)
	}
	s.log = f
	if _, err := s.openIndexes(indexBytes); err != nil {
		f.Close()
		return nil, err
	}
	s.next.Store(base)
	s.maxTs.Store(-1)
	s.maxTsOffset.Store(base)
	if err := s.activate(); err != nil {
		return nil, errors.Join(err, s.close()) // no descriptor or mapping outlives the failure
	}
	return s, nil
}

// openSegment opens an existing segment; indexesOK is false when an index
// file was missing or not a whole number of entries, so it must be rebuilt.
// The segment's state is not known until loadTail or recover runs.
func openSegment(fsys vfs.FS, dir string, base int64, indexBytes int32, nowMs int64) (s *segment, indexesOK bool, err error) {
	s = &segment{base: base, dir: dir, fs: fsys, rollBaseTs: -1, createdMs: nowMs}
	f, err := fsys.OpenReadWrite(s.path(logSuffix))
	if err != nil {
		return nil, false, fmt.Errorf("open segment: %w", err)
	}
	s.log = f
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, false, fmt.Errorf("stat segment: %w", err)
	}
	s.size.Store(st.Size())
	if indexesOK, err = s.openIndexes(indexBytes); err != nil {
		f.Close()
		return nil, false, err
	}
	s.offsets.dropZeroTail(0)
	s.times.dropZeroTail(0)
	return s, indexesOK, nil
}

func (s *segment) openIndexes(capacity int32) (bool, error) {
	_, errOff := s.fs.Stat(s.path(indexSuffix))
	_, errTime := s.fs.Stat(s.path(timeIndexSuffix))
	off, wholeOff, err := openIndexFile(s.fs, s.path(indexSuffix), offsetIndexEntrySize, int(capacity))
	if err != nil {
		return false, err
	}
	tim, wholeTime, err := openIndexFile(s.fs, s.path(timeIndexSuffix), timeIndexEntrySize, int(capacity))
	if err != nil {
		off.close()
		return false, err
	}
	s.offsets, s.times = offsetIndex{off}, timeIndex{tim}
	return errOff == nil && errTime == nil && wholeOff && wholeTime, nil
}

// activate preallocates the index files so the segment can take appends.
func (s *segment) activate() error {
	if err := s.offsets.preallocate(); err != nil {
		return err
	}
	return s.times.preallocate()
}

// deactivate ends the segment's active life on roll, as Kafka's
// onBecomeInactiveSegment: a final time index entry carrying the segment's
// largest timestamp, then both indexes trimmed to their entries.
func (s *segment) deactivate() error {
	if err := s.times.reserve(1); err != nil {
		return err
	}
	s.times.appendFinal(s.maxTs.Load(), s.relative(s.maxTsOffset.Load()))
	if err := s.offsets.trim(); err != nil {
		return err
	}
	return s.times.trim()
}

func (s *segment) relative(offset int64) int32 { return int32(offset - s.base) }

// fits reports whether offset can be stored relative to base (int32).
func (s *segment) fits(offset int64) bool { return offset-s.base <= math.MaxInt32 && offset >= s.base }

func (s *segment) empty() bool { return s.size.Load() == 0 }

// largestTimestamp is what retention compares: the largest batch timestamp,
// or the file's modification time when no batch carries one (Kafka does the
// same).
func (s *segment) largestTimestamp() int64 {
	if ts := s.maxTs.Load(); ts >= 0 {
		return ts
	}
	st, err := s.log.Stat()
	if err != nil {
		return math.MaxInt64 // unknown age: never expire on a guess
	}
	return st.ModTime().UnixMilli()
}

// flush makes the segment's bytes and index entries durable.
func (s *segment) flush() error {
	if err := s.log.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", s.log.Name(), err)
	}
	if err := s.offsets.sync(); err != nil {
		return err
	}
	if err := s.syncTxnIndex(); err != nil {
		return err
	}
	return s.times.sync()
}

// close releases the mappings and the file without touching the disk.
func (s *segment) close() error {
	return errors.Join(s.offsets.close(), s.times.close(), s.closeTxnIndex(), s.log.Close())
}
