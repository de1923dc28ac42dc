package recordbatch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// ErrRecord is a record that does not decode, or records that do not
// match their batch's count (fewer, or bytes left after the last).
var ErrRecord = errors.New("records do not decode")

// decodeRecord decodes one whole record, length prefix included, into r,
// as Kafka's DefaultRecord.readFrom reads it: the fields must fill the
// declared length exactly and header keys may not be null. r's slices
// alias raw; its header slice is reused. TimestampDelta64 carries the
// timestamp delta (the deprecated int32 TimestampDelta stays 0).
func decodeRecord(raw []byte, r *kmsg.Record) error {
	f := fields{b: raw}
	r.Length = f.int32()
	if f.bad || r.Length < 0 || int64(r.Length) != int64(len(f.b)) {
		return fmt.Errorf("record length %d with %d bytes: %w", r.Length, len(f.b), ErrRecord)
	}
	r.Attributes = int8(f.byte())
	r.TimestampDelta64, r.TimestampDelta = f.varint(), 0
	r.OffsetDelta = f.int32()
	r.Key = f.bytes()
	r.Value = f.bytes()
	n := f.int32()
	if n < 0 || int64(n) > int64(len(f.b)/2) { // a header takes two bytes at least
		return fmt.Errorf("record with %d headers in %d bytes: %w", n, len(f.b), ErrRecord)
	}
	r.Headers = r.Headers[:0]
	for range n {
		k := f.bytes()
		if k == nil {
			return fmt.Errorf("record header with a null key: %w", ErrRecord)
		}
		r.Headers = append(r.Headers, kmsg.Header{Key: unsafe.String(unsafe.SliceData(k), len(k)), Value: f.bytes()})
	}
	if f.bad || len(f.b) != 0 {
		return fmt.Errorf("record fields do not fill its %d bytes: %w", r.Length, ErrRecord)
	}
	return nil
}

// fields reads a record's fields; an overrun sets bad and yields zero
// values from then on, checked once at the end.
type fields struct {
	b   []byte
	bad bool
}

func (f *fields) byte() byte {
	if len(f.b) == 0 {
		f.bad = true
		return 0
	}
	c := f.b[0]
	f.b = f.b[1:]
	return c
}

func (f *fields) varint() int64 {
	v, n := binary.Varint(f.b)
	if n <= 0 {
		f.bad, f.b = true, nil
		return 0
	}
	f.b = f.b[n:]
	return v
}

// int32 reads a varint Kafka types int32: a larger value is malformed.
func (f *fields) int32() int32 {
	v := f.varint()
	if v < math.MinInt32 || v > math.MaxInt32 {
		f.bad, f.b = true, nil
		return 0
	}
	return int32(v)
}

// bytes reads a varint-length-prefixed field; length -1 is null.
func (f *fields) bytes() []byte {
	n := f.int32()
	if n == -1 || f.bad {
		return nil
	}
	if n < -1 || int64(n) > int64(len(f.b)) {
		f.bad, f.b = true, nil
		return nil
	}
	v := f.b[:n:n]
	f.b = f.b[n:]
	return v
}

// EncodedLen is the size of r as Kafka encodes it, length prefix
// included, whatever r.Length says.
func EncodedLen(r *kmsg.Record) int {
	body := bodyLen(r)
	return varintLen(int64(body)) + body
}

func bodyLen(r *kmsg.Record) int {
	n := 1 + varintLen(r.TimestampDelta64) + varintLen(int64(r.OffsetDelta)) +
		bytesLen(r.Key) + bytesLen(r.Value) + varintLen(int64(len(r.Headers)))
	for i := range r.Headers {
		n += varintLen(int64(len(r.Headers[i].Key))) + len(r.Headers[i].Key) + bytesLen(r.Headers[i].Value)
	}
	return n
}

// AppendRecord appends r encoded, with its length field set to what its
// fields take and its timestamp delta from TimestampDelta64.
func AppendRecord(dst []byte, r *kmsg.Record) []byte {
	r.Length = int32(bodyLen(r))
	r.TimestampDelta = 0 // kmsg writes it when TimestampDelta64 is 0
	return r.AppendTo(dst)
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
