package partitionlog

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

// Suffixes of a cleaning in progress, as Kafka names them: a cleaned
// segment is written as <base>.log.cleaned (.index.cleaned,
// .timeindex.cleaned), renamed .swap once complete, and loses the suffix
// once the segments it replaces are renamed .deleted.
const (
	cleanedSuffix = ".cleaned"
	swapSuffix    = ".swap"
)

// The .log goes first (recovery goes by it) and the .txnindex before the
// offset and time indexes: a swap interrupted before those two are renamed
// loses them, so the segment is recovered, which writes its .txnindex
// again; one interrupted later has all three.
var segmentFileSuffixes = []string{logSuffix, txnIndexSuffix, indexSuffix, timeIndexSuffix}

// createCleanedSegment makes an empty segment at base whose files carry the
// .cleaned suffix, with preallocated indexes. Stale .cleaned files are
// replaced.
func createCleanedSegment(fsys vfs.FS, dir string, base int64, indexBytes int32) (*segment, error) {
	s := &segment{base: base, dir: dir, fs: fsys, rollBaseTs: -1}
	for _, suffix := range []string{indexSuffix, timeIndexSuffix, txnIndexSuffix} {
		if err := fsys.Remove(s.path(suffix) + cleanedSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("create cleaned segment %d: %w", base, err)
		}
	}
	f, err := fsys.Create(s.path(logSuffix) + cleanedSuffix)
	if err != nil {
		return nil, fmt.Errorf("create cleaned segment: %w", err)
	}
	s.log = f
	off, _, err := openIndexFile(fsys, s.path(indexSuffix)+cleanedSuffix, offsetIndexEntrySize, int(indexBytes))
	if err != nil {
		f.Close()
		return nil, err
	}
	tim, _, err := openIndexFile(fsys, s.path(timeIndexSuffix)+cleanedSuffix, timeIndexEntrySize, int(indexBytes))
	if err != nil {
		off.close()
		f.Close()
		return nil, err
	}
	s.offsets, s.times = offsetIndex{off}, timeIndex{tim}
	s.next.Store(base)
	s.maxTs.Store(-1)
	s.maxTsOffset.Store(base)
	if err := s.activate(); err != nil {
		// The caller removes the .cleaned files only of a segment it got.
		err = errors.Join(err, s.close())
		removeSuffixed(s, cleanedSuffix)
		return nil, err
	}
	return s, nil
}

// cleanedWriter buffers the batches a cleaning keeps and appends them to
// the cleaned segment when the buffer passes flushAt, indexing them with
// the live rule so the indexes equal what recovery would rebuild.
type cleanedWriter struct {
	seg      *segment
	interval int32
	flushAt  int
	buf      []byte
	infos    []batchInfo
}

func (w *cleanedWriter) start(seg *segment, interval int32) {
	w.seg, w.interval = seg, interval
	w.buf, w.infos = w.buf[:0], w.infos[:0]
}

// added records the batch appended to buf at pos.
func (w *cleanedWriter) added(pos int) error {
	h := header(w.buf[pos:])
	w.infos = append(w.infos, batchInfo{
		pos: pos, size: len(w.buf) - pos, baseOffset: h.BaseOffset(), lastDelta: h.LastOffsetDelta(),
		records: h.RecordCount(), maxTimestamp: h.MaxTimestamp(),
	})
	if len(w.buf) >= w.flushAt {
		return w.flush()
	}
	return nil
}

func (w *cleanedWriter) flush() error {
	if len(w.infos) == 0 {
		return nil
	}
	if w.seg.size.Load()+int64(len(w.buf)) > math.MaxInt32 {
		return fmt.Errorf("cleaned segment %d would pass 2 GiB", w.seg.base)
	}
	if err := w.seg.append(w.buf, w.infos, w.interval); err != nil {
		return err
	}
	w.buf, w.infos = w.buf[:0], w.infos[:0]
	return nil
}

// finish writes what is buffered, ends the segment as a roll would (final
// time index entry, trimmed indexes), makes it durable and closes it. The
// file takes the modification time mtimeNs (when >= 0).
func (w *cleanedWriter) finish(mtimeNs int64) error {
	s := w.seg
	if err := w.flush(); err != nil {
		return err
	}
	if err := s.deactivate(); err != nil {
		return err
	}
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.close(); err != nil {
		return fmt.Errorf("close cleaned segment %d: %w", s.base, err)
	}
	if mtimeNs >= 0 {
		t := time.Unix(0, mtimeNs)
		if err := s.fs.Chtimes(s.path(logSuffix)+cleanedSuffix, t, t); err != nil {
			return fmt.Errorf("cleaned segment %d: %w", s.base, err)
		}
	}
	return nil
}
