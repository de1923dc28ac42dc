package partitionlog

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/twmb/franz-go/pkg/kmsg"
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
	if br.end-pos < batchHeaderSize {
		return 0, nil, fmt.Errorf("torn batch header at byte %d of %s: %w", pos, name, ErrCorruptLog)
	}
	br.buf = grow(br.buf[:0], logOverhead)
	if _, err := io.ReadFull(br.r, br.buf); err != nil {
		return 0, nil, readErr(name, pos, err)
	}
	size := header(br.buf).size()
	if header(br.buf).length() < minBatchLength || pos+size > br.end {
		return 0, nil, fmt.Errorf("batch at byte %d of %s declares %d bytes: %w", pos, name, size, ErrCorruptLog)
	}
	br.buf = grow(br.buf, int(size)-logOverhead)
	if _, err := io.ReadFull(br.r, br.buf[logOverhead:]); err != nil {
		return 0, nil, readErr(name, pos, err)
	}
	h := header(br.buf)
	if h.magic() != currentMagic || h.computeCRC() != h.crc() || h.lastOffsetDelta() < 0 {
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

// nextRecord decodes the next record like next and also returns its
// encoded bytes, length prefix included; both are valid until the
// following call.
func (it *recordIter) nextRecord() (*kmsg.Record, []byte, error) {
	raw, err := it.nextRaw()
	if err != nil {
		return nil, nil, err
	}
	if err := it.rec.UnsafeReadFrom(raw); err != nil {
		return nil, nil, fmt.Errorf("record does not decode: %w", ErrInvalidRecord)
	}
	if n := encodedRecordLen(&it.rec); n != len(raw) {
		return nil, nil, fmt.Errorf("record declares %d bytes, fields take %d: %w", len(raw), n, ErrInvalidRecord)
	}
	return &it.rec, raw, nil
}
