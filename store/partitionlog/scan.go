package partitionlog

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/vfs"
)

// headerScanner walks the batch headers of a segment file from a batch
// boundary up to a limit without reading record bytes: it preads a window
// and hops from header to header inside it, so a run of small batches costs
// one syscall. It checks only what it needs to hop (length sane, batch inside
// the limit); recovery does the full validation.
type headerScanner struct {
	f       vfs.File
	pos     int64 // next batch starts here
	limit   int64 // committed end of the segment
	win     *[]byte
	winPos  int64 // file position of (*win)[0]
	winLen  int
	nextWin int // size of the next read: small first, doubling
	err     error
}

// A lookup usually needs one header near an index entry, a walk needs
// many: the first read is small and each refill doubles, up to scanWindow.
const (
	firstWindow = 4 << 10
	scanWindow  = 16 << 10
)

var windowPool = sync.Pool{New: func() any { b := make([]byte, scanWindow); return &b }}

func newHeaderScanner(f vfs.File, from, limit int64) *headerScanner {
	return &headerScanner{f: f, pos: from, limit: limit, win: windowPool.Get().(*[]byte), winPos: -1, nextWin: firstWindow}
}

func (s *headerScanner) release() {
	if s.win != nil {
		windowPool.Put(s.win)
		s.win = nil
	}
}

// next returns the position and header of the next batch; ok is false at
// the limit or on an error (see s.err). The header is valid until the next
// call.
func (s *headerScanner) next() (pos int64, h header, ok bool) {
	if s.pos >= s.limit || s.err != nil {
		return 0, nil, false
	}
	if s.limit-s.pos < recordbatch.HeaderSize {
		s.err = fmt.Errorf("torn batch header at byte %d of %s: %w", s.pos, s.f.Name(), ErrCorruptLog)
		return 0, nil, false
	}
	h, err := s.headerAt(s.pos)
	if err == nil && (h.Length() < recordbatch.MinLength || s.pos+h.Size() > s.limit) {
		err = fmt.Errorf("batch at byte %d of %s declares %d bytes: %w", s.pos, s.f.Name(), h.Size(), ErrCorruptLog)
	}
	if err != nil {
		s.err = err
		return 0, nil, false
	}
	pos = s.pos
	s.pos += h.Size()
	return pos, h, true
}

// headerAt returns the 61 header bytes at pos, refilling the window when
// they are not inside it.
func (s *headerScanner) headerAt(pos int64) (header, error) {
	if s.winPos < 0 || pos < s.winPos || pos+recordbatch.HeaderSize > s.winPos+int64(s.winLen) {
		n := int(min(int64(s.nextWin), s.limit-pos))
		s.nextWin = min(2*s.nextWin, scanWindow)
		got, err := s.f.ReadAt((*s.win)[:n], pos)
		if got < recordbatch.HeaderSize {
			if err == nil || errors.Is(err, io.EOF) {
				// The file is shorter than what was committed: someone cut it.
				err = ErrCorruptLog
			}
			return nil, fmt.Errorf("read batch header at byte %d of %s: %w", pos, s.f.Name(), err)
		}
		s.winPos, s.winLen = pos, got
	}
	off := pos - s.winPos
	return header((*s.win)[off : off+recordbatch.HeaderSize]), nil
}
