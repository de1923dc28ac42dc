package logdump

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/kqhq/kq/store/recordbatch"
)

// ErrCorrupt marks bytes that are not a batch: a length below a header or
// past the end of the file, another magic. A reader stops there; what is
// left of the file is "invalid bytes", as Kafka calls them.
var ErrCorrupt = errors.New("corrupt segment")

// Batch is one record batch of a segment and where it starts.
type Batch struct {
	Position int64
	recordbatch.Header
}

// Valid reports whether the batch's CRC matches its bytes.
func (b Batch) Valid() bool { return b.CheckCRC() == nil }

// Segment reads the batches of a .log file in order.
type Segment struct {
	r     *bufio.Reader
	pos   int64
	limit int64 // bytes that may be read: the file size or --max-bytes
	buf   []byte
}

// NewSegment reads batches from r, which holds size bytes; batches that
// end past maxBytes are not read (Kafka's --max-bytes slice).
func NewSegment(r io.Reader, size, maxBytes int64) *Segment {
	return &Segment{r: bufio.NewReaderSize(r, 64<<10), limit: min(size, maxBytes)}
}

// Reset reads from r as NewSegment would, reusing s's buffers: a caller
// that scans from many positions (a time index check) allocates once.
func (s *Segment) Reset(r io.Reader, size, maxBytes int64) {
	s.r.Reset(r)
	s.pos, s.limit = 0, min(size, maxBytes)
}

// Position is where the next batch starts: the bytes read so far.
func (s *Segment) Position() int64 { return s.pos }

// Next returns the next batch, valid until the following call. io.EOF
// means the batches ended where the readable bytes do; an error wrapping
// ErrCorrupt or recordbatch.ErrTruncated means bytes follow that are not a
// whole batch. The position stays at the batch that failed.
func (s *Segment) Next() (Batch, error) {
	left := s.limit - s.pos
	if left == 0 {
		return Batch{}, io.EOF
	}
	if left < recordbatch.HeaderSize {
		return Batch{}, fmt.Errorf("%d bytes at position %d, short of a batch header: %w", left, s.pos, recordbatch.ErrTruncated)
	}
	head, err := s.r.Peek(recordbatch.LogOverhead + 5) // through the magic byte
	if err != nil {
		return Batch{}, fmt.Errorf("read batch header at position %d: %w", s.pos, err)
	}
	h := recordbatch.Header(head)
	if h.Length() < recordbatch.MinLength || h.Length() == math.MaxInt32 {
		return Batch{}, fmt.Errorf("batch length %d at position %d: %w", h.Length(), s.pos, ErrCorrupt)
	}
	if h.Size() > left {
		return Batch{}, fmt.Errorf("batch of %d bytes at position %d, %d bytes left: %w", h.Size(), s.pos, left, recordbatch.ErrTruncated)
	}
	if h.Magic() != recordbatch.Magic {
		return Batch{}, fmt.Errorf("magic %d at position %d (only v2 record batches are read): %w", h.Magic(), s.pos, ErrCorrupt)
	}
	return s.readBatch(int(h.Size()))
}

func (s *Segment) readBatch(size int) (Batch, error) {
	if cap(s.buf) < size {
		s.buf = make([]byte, size) // bounded by the file size, checked above
	}
	s.buf = s.buf[:size]
	if _, err := io.ReadFull(s.r, s.buf); err != nil {
		return Batch{}, fmt.Errorf("read batch at position %d: %w", s.pos, err)
	}
	b := Batch{Position: s.pos, Header: recordbatch.Header(s.buf)}
	s.pos += int64(size)
	return b, nil
}
