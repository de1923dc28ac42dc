package partitionlog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// recordIter walks the records of one batch: straight over the batch bytes
// when uncompressed, over a pooled decompressing stream otherwise. Records are
// decoded with kmsg; the iterator only finds where each one ends.
type recordIter struct {
	data   []byte // uncompressed records, consumed from the front
	stream *decompressed
	limit  int64  // decompressed bytes allowed in all
	budget int64  // decompressed bytes still allowed
	buf    []byte // current record when streaming
	rec    kmsg.Record
}

// decompressedLimit bounds the decompressed size of one batch: 64 times
// max.message.bytes (64 MiB by default), well above real compression
// ratios. Kafka sets no bound; without one a 1 MiB batch of compressed
// zeros could make the broker inflate and hold a gigabyte record.
func decompressedLimit(maxMessageBytes int32) int64 {
	return 64 * int64(maxMessageBytes)
}

// readDecompressedLimit bounds decompression when reading stored batches
// (timestamp lookups): they passed validation once, possibly under a larger
// max.message.bytes, or came from a leader.
const readDecompressedLimit = 1 << 30

// openRecords starts iterating the records of batch (whole batch bytes),
// allowing at most limit decompressed bytes.
func openRecords(batch header, limit int64) (*recordIter, error) {
	payload := batch[batchHeaderSize:]
	codec := batch.compression()
	if codec == codecNone {
		return &recordIter{data: payload}, nil
	}
	d, err := decompress(codec, payload)
	if err != nil {
		return nil, fmt.Errorf("decompress: %v: %w", err, ErrCorruptMessage)
	}
	return &recordIter{stream: d, limit: limit, budget: limit}, nil
}

func (it *recordIter) close() {
	if it.stream != nil {
		it.stream.close()
		it.stream = nil
	}
}

// next decodes the next record. The record's slices alias internal buffers
// and are valid until the following call.
func (it *recordIter) next() (*kmsg.Record, error) {
	raw, err := it.nextRaw()
	if err != nil {
		return nil, err
	}
	if err := it.rec.UnsafeReadFrom(raw); err != nil {
		return nil, fmt.Errorf("record does not decode: %w", ErrInvalidRecord)
	}
	if n := encodedRecordLen(&it.rec); n != len(raw) {
		return nil, fmt.Errorf("record declares %d bytes, fields take %d: %w", len(raw), n, ErrInvalidRecord)
	}
	return &it.rec, nil
}

func (it *recordIter) nextRaw() ([]byte, error) {
	if it.stream != nil {
		return it.nextStreamed()
	}
	l, n := binary.Varint(it.data)
	if n <= 0 {
		return nil, fmt.Errorf("premature end of records: %w", ErrInvalidRecord)
	}
	if l < 0 || l > int64(len(it.data)-n) {
		return nil, fmt.Errorf("record length %d past the batch end: %w", l, ErrInvalidRecord)
	}
	raw := it.data[:n+int(l)]
	it.data = it.data[n+int(l):]
	return raw, nil
}

func (it *recordIter) nextStreamed() ([]byte, error) {
	l, err := binary.ReadVarint(it.stream.r)
	if err != nil {
		return nil, streamErr(err)
	}
	if l < 0 || l > math.MaxInt32 {
		return nil, fmt.Errorf("record length %d: %w", l, ErrInvalidRecord)
	}
	if it.budget -= l; it.budget < 0 {
		return nil, fmt.Errorf("batch decompresses past the %d-byte limit: %w", it.limit, ErrInvalidRecord)
	}
	it.buf = binary.AppendVarint(it.buf[:0], l)
	it.buf, err = appendN(it.buf, it.stream.r, int(l))
	if err != nil {
		return nil, streamErr(err)
	}
	return it.buf, nil
}

// appendN reads n bytes onto b in bounded steps, so memory follows the bytes
// that really arrive rather than a length a forged record claims.
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

// streamErr classifies a decompressed-stream failure: running out of bytes
// is a record problem (count or lengths lie), anything else is the codec
// rejecting its input.
func streamErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("premature end of records: %w", ErrInvalidRecord)
	}
	return fmt.Errorf("decompress: %v: %w", err, ErrCorruptMessage)
}

// finish checks that no bytes follow the last declared record.
func (it *recordIter) finish() error {
	if it.stream == nil {
		if len(it.data) > 0 {
			return fmt.Errorf("%d bytes after the last record: %w", len(it.data), ErrInvalidRecord)
		}
		return nil
	}
	_, err := it.stream.r.ReadByte()
	switch {
	case err == nil:
		return fmt.Errorf("bytes after the last record: %w", ErrInvalidRecord)
	case errors.Is(err, io.EOF):
		return nil
	}
	return fmt.Errorf("decompress: %v: %w", err, ErrCorruptMessage)
}

// encodedRecordLen is the size of r as Kafka encodes it (canonical varints),
// length prefix included. Comparing it with the bytes a record occupied
// catches records whose length prefix disagrees with their fields.
func encodedRecordLen(r *kmsg.Record) int {
	body := 1 + varintLen(r.TimestampDelta64) + varintLen(int64(r.OffsetDelta)) +
		bytesLen(r.Key) + bytesLen(r.Value) + varintLen(int64(len(r.Headers)))
	for i := range r.Headers {
		body += varintLen(int64(len(r.Headers[i].Key))) + len(r.Headers[i].Key) + bytesLen(r.Headers[i].Value)
	}
	return varintLen(int64(r.Length)) + body
}

func bytesLen(b []byte) int {
	if b == nil {
		return 1 // length -1
	}
	return varintLen(int64(len(b))) + len(b)
}

func varintLen(v int64) int {
	u := uint64(v<<1) ^ uint64(v>>63)
	n := 1
	for u >= 0x80 {
		u >>= 7
		n++
	}
	return n
}
