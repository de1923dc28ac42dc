package recordbatch

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Records iterates the records of one batch: straight over the bytes when
// they are uncompressed, over a pooled decompressing stream otherwise, so
// memory follows one record at a time rather than the whole inflated
// payload. Close releases the stream.
type Records struct {
	data   []byte // uncompressed records, consumed from the front
	stream *stream
	limit  int64  // decompressed bytes allowed in all
	budget int64  // decompressed bytes still allowed
	buf    []byte // the current record when streaming
	raw    []byte // the current record's encoding
	rec    kmsg.Record
}

// Open starts iterating the records of batch (the whole batch), allowing
// a compressed payload at most limit decompressed bytes (see Limit and
// StoredLimit). A payload its codec cannot even start to decode is
// ErrCodec.
func Open(batch Header, limit int64) (*Records, error) {
	it := new(Records)
	if err := it.Reset(batch, limit); err != nil {
		return nil, err
	}
	return it, nil
}

// OpenPlain iterates records already decompressed: those a writer
// compressed into a batch itself, so a reader need not inflate them again,
// or those a reader inflated whole. More than limit bytes of them is
// ErrInflated, as Open would find.
func OpenPlain(records []byte, limit int64) (*Records, error) {
	it := new(Records)
	if err := it.ResetPlain(records, limit); err != nil {
		return nil, err
	}
	return it, nil
}

// Reset is Open reusing it (closed first), so a reader of many batches
// allocates one iterator.
func (it *Records) Reset(batch Header, limit int64) error {
	it.Close()
	codec := batch.Codec()
	if codec == None {
		it.data = batch.Payload() // no bigger than the batch: nothing to bound
		return nil
	}
	s, err := openStream(codec, batch.Payload(), limit)
	if err != nil {
		return err
	}
	it.data, it.stream, it.limit, it.budget = nil, s, limit, limit
	return nil
}

// ResetPlain is OpenPlain reusing it (closed first).
func (it *Records) ResetPlain(records []byte, limit int64) error {
	it.Close()
	if int64(len(records)) > limit {
		return fmt.Errorf("%d bytes of records, more than %d: %w", len(records), limit, ErrInflated)
	}
	it.data = records
	return nil
}

// Close releases the decompressing stream, if any.
func (it *Records) Close() {
	if it.stream != nil {
		it.stream.close()
		it.stream = nil
	}
}

// Next decodes the next record. The record and its slices alias internal
// buffers (or the batch) and are valid until the following call.
func (it *Records) Next() (*kmsg.Record, error) {
	raw, err := it.nextRaw()
	if err != nil {
		return nil, err
	}
	if err := decodeRecord(raw, &it.rec); err != nil {
		return nil, err
	}
	it.raw = raw
	return &it.rec, nil
}

// Raw is the encoding, length prefix included, of the record Next last
// returned; valid until the following call.
func (it *Records) Raw() []byte { return it.raw }

func (it *Records) nextRaw() ([]byte, error) {
	if it.stream != nil {
		return it.nextStreamed()
	}
	l, n := binary.Varint(it.data)
	if n <= 0 {
		return nil, fmt.Errorf("premature end of records: %w", ErrRecord)
	}
	if l < 0 || l > int64(len(it.data)-n) {
		return nil, fmt.Errorf("record length %d past the batch end: %w", l, ErrRecord)
	}
	raw := it.data[:n+int(l)]
	it.data = it.data[n+int(l):]
	return raw, nil
}

func (it *Records) nextStreamed() ([]byte, error) {
	l, err := binary.ReadVarint(it.stream.r)
	if err != nil {
		return nil, streamErr(err)
	}
	if l < 0 || l > math.MaxInt32 {
		return nil, fmt.Errorf("record length %d: %w", l, ErrRecord)
	}
	if it.budget -= l; it.budget < 0 {
		return nil, fmt.Errorf("batch decompresses past %d bytes: %w", it.limit, ErrInflated)
	}
	it.buf = binary.AppendVarint(it.buf[:0], l)
	it.buf, err = appendN(it.buf, it.stream.r, int(l))
	if err != nil {
		return nil, streamErr(err)
	}
	return it.buf, nil
}

// appendN reads n bytes onto b in bounded steps, so memory follows the
// bytes that really arrive rather than a length a forged record claims.
func appendN(b []byte, r *bufio.Reader, n int) ([]byte, error) {
	const step = 64 << 10
	for n > 0 {
		k := min(n, step)
		start := len(b)
		b = grow(b, k)
		if _, err := io.ReadFull(r, b[start:]); err != nil {
			return b, err
		}
		n -= k
	}
	return b, nil
}

// streamErr classifies a decompressed-stream failure: running out of
// bytes is a record problem (the count or the lengths lie), anything else
// is the codec rejecting its input.
func streamErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("premature end of records: %w", ErrRecord)
	}
	return fmt.Errorf("decompress: %v: %w", err, ErrCodec)
}

// Finish checks that nothing follows the last record the batch declares.
func (it *Records) Finish() error {
	if it.stream == nil {
		if len(it.data) > 0 {
			return fmt.Errorf("%d bytes after the last record: %w", len(it.data), ErrRecord)
		}
		return nil
	}
	_, err := it.stream.r.ReadByte()
	switch {
	case err == nil:
		return fmt.Errorf("bytes after the last record: %w", ErrRecord)
	case errors.Is(err, io.EOF):
		return nil
	}
	return fmt.Errorf("decompress: %v: %w", err, ErrCodec)
}
