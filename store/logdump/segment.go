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

// headUpToMagic is the bytes of an entry through its magic byte, the same
// for batches and legacy messages.
const headUpToMagic = recordbatch.PosMagic + 1

// Batch is one entry of a segment and where it starts: a v2 record batch
// (Header), or a legacy message (Legacy set, Header nil), which older
// Kafka versions wrote and the same file may hold before the batches.
type Batch struct {
	Position int64
	recordbatch.Header
	Legacy *Legacy
}

// Valid reports whether the batch's CRC matches its bytes.
func (b Batch) Valid() bool {
	if b.Legacy != nil {
		return b.Legacy.Valid
	}
	return b.CheckCRC() == nil
}

// Segment reads the batches of a .log file in order.
type Segment struct {
	r     *bufio.Reader
	pos   int64
	limit int64 // bytes that may be read: the file size or --max-bytes
	buf   []byte
	stuck error // a legacy message that did not decode: reading stops there
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
	s.pos, s.limit, s.stuck = 0, min(size, maxBytes), nil
}

// Position is where the next batch starts: the bytes read so far.
func (s *Segment) Position() int64 { return s.pos }

// Next returns the next batch, valid until the following call (a legacy
// message's key and value too). io.EOF
// means the batches ended where the readable bytes do; an error wrapping
// ErrCorrupt or recordbatch.ErrTruncated means bytes follow that are not a
// whole batch. The position stays at the batch that failed.
func (s *Segment) Next() (Batch, error) {
	if s.stuck != nil {
		return Batch{}, s.stuck
	}
	left := s.limit - s.pos
	if left == 0 {
		return Batch{}, io.EOF
	}
	// As Kafka's FileLogInputStream: the fields up to the magic byte say
	// what follows (a legacy message may be shorter than a batch header).
	if left < headUpToMagic {
		return Batch{}, fmt.Errorf("%d bytes at position %d, short of a batch header: %w", left, s.pos, recordbatch.ErrTruncated)
	}
	head, err := s.r.Peek(headUpToMagic)
	if err != nil {
		return Batch{}, fmt.Errorf("read batch header at position %d: %w", s.pos, err)
	}
	h := recordbatch.Header(head)
	magic, minLength := h.Magic(), int32(recordbatch.MinLength)
	if magic < recordbatch.Magic {
		minLength = legacyOverhead0
	}
	if h.Length() < minLength || h.Length() == math.MaxInt32 {
		return Batch{}, fmt.Errorf("batch length %d at position %d: %w", h.Length(), s.pos, ErrCorrupt)
	}
	if h.Size() > left {
		return Batch{}, fmt.Errorf("batch of %d bytes at position %d, %d bytes left: %w", h.Size(), s.pos, left, recordbatch.ErrTruncated)
	}
	if magic < 0 || magic > recordbatch.Magic {
		return Batch{}, fmt.Errorf("magic %d at position %d: %w", magic, s.pos, ErrCorrupt)
	}
	b, err := s.readBatch(int(h.Size()))
	if err != nil || magic == recordbatch.Magic {
		return b, err
	}
	m, err := ParseLegacy(b.Header)
	if err != nil {
		s.pos, s.stuck = b.Position, fmt.Errorf("position %d: %w", b.Position, err)
		return Batch{}, s.stuck
	}
	return Batch{Position: b.Position, Legacy: &m}, nil
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
