package partitionlog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/kqhq/kq/store/recordbatch"
)

// batchReader reads the whole batches of one segment in order through a
// buffer of log.cleaner.io.buffer.size: the cleaner reads every byte it
// keeps, so it reads sequentially rather than hopping between headers.
// Every batch is checked (length, magic, CRC) before the cleaner trusts it.
type batchReader struct {
	r   *bufio.Reader
	seg *segment
	pos int64 // start of the next batch
	end int64 // the segment's committed size when the cleaning began
	buf []byte
}

func newBatchReader(bufSize int) *batchReader {
	return &batchReader{r: bufio.NewReaderSize(nil, max(bufSize, 4096))}
}

// reset starts reading seg from byte from (a batch boundary) to end.
func (br *batchReader) reset(seg *segment, from, end int64) {
	br.seg, br.pos, br.end = seg, from, end
	br.r.Reset(io.NewSectionReader(seg.log, from, end-from))
}

// next returns the next batch (valid until the following call), or io.EOF
// at the end.
func (br *batchReader) next() (int64, header, error) {
	if br.pos >= br.end {
		return 0, nil, io.EOF
	}
	pos, name := br.pos, br.seg.log.Name()
	if br.end-pos < recordbatch.HeaderSize {
		return 0, nil, fmt.Errorf("torn batch header at byte %d of %s: %w", pos, name, ErrCorruptLog)
	}
	br.buf = extend(br.buf[:0], recordbatch.LogOverhead)
	if _, err := io.ReadFull(br.r, br.buf); err != nil {
		return 0, nil, readErr(name, pos, err)
	}
	size := header(br.buf).Size()
	if header(br.buf).Length() < recordbatch.MinLength || pos+size > br.end {
		return 0, nil, fmt.Errorf("batch at byte %d of %s declares %d bytes: %w", pos, name, size, ErrCorruptLog)
	}
	br.buf = extend(br.buf, int(size)-recordbatch.LogOverhead)
	if _, err := io.ReadFull(br.r, br.buf[recordbatch.LogOverhead:]); err != nil {
		return 0, nil, readErr(name, pos, err)
	}
	h := header(br.buf)
	if h.Magic() != recordbatch.Magic || h.ComputeCRC() != h.CRC() || h.LastOffsetDelta() < 0 {
		return 0, nil, fmt.Errorf("batch at byte %d of %s fails its checks: %w", pos, name, ErrCorruptLog)
	}
	br.pos += size
	return pos, h, nil
}

// readErr reports a read that ended early: the file was cut under the
// cleaner (a truncation it will notice) or the disk failed.
func readErr(name string, pos int64, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("read batch at byte %d of %s: %w", pos, name, err)
}

// extend lengthens b by n bytes, reusing its capacity when it can.
func extend(b []byte, n int) []byte { return slices.Grow(b, n)[:len(b)+n] }
