package produce

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// errLineTooLong reports a line over the limit; the reader has skipped it.
type errLineTooLong struct{ size, max int }

func (e *errLineTooLong) Error() string {
	return fmt.Sprintf("line of %d bytes exceeds max.request.size %d; skipped", e.size, e.max)
}

// lineReader splits input into lines without a fixed buffer size, up to
// max bytes a line. It strips "\n" and a "\r" before it, as Java's
// readLine does for Kafka's console producer.
type lineReader struct {
	r      *bufio.Reader
	max    int
	lineNo int
	long   []byte // assembles lines longer than the bufio buffer
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 256<<10), max: max}
}

// next returns the next line, valid until the following call, or io.EOF.
// An over-long line returns *errLineTooLong and is consumed.
func (l *lineReader) next() ([]byte, error) {
	l.long = l.long[:0]
	size := 0
	for {
		chunk, err := l.r.ReadSlice('\n')
		size += len(chunk)
		switch {
		case err == nil && len(l.long) == 0 && size <= l.max+2:
			l.lineNo++
			return l.finish(chunk)
		case err == nil || errors.Is(err, io.EOF) && size > 0:
			l.lineNo++
			return l.assemble(chunk, size)
		case errors.Is(err, bufio.ErrBufferFull):
			if size <= l.max+2 {
				l.long = append(l.long, chunk...)
			}
		default:
			return nil, err // io.EOF with nothing read, or a read error
		}
	}
}

// assemble ends a line that spanned buffers or ended at EOF.
func (l *lineReader) assemble(last []byte, size int) ([]byte, error) {
	if size > l.max+2 {
		if bytes.HasSuffix(last, []byte("\n")) {
			size-- // report the line's own length
		}
		return nil, &errLineTooLong{size: size, max: l.max}
	}
	l.long = append(l.long, last...)
	return l.finish(l.long)
}

func (l *lineReader) finish(line []byte) ([]byte, error) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > l.max {
		return nil, &errLineTooLong{size: len(line), max: l.max}
	}
	return line, nil
}
