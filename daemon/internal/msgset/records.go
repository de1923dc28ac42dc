package msgset

import (
	"encoding/binary"
	"fmt"
)

// record is one decoded record of a batch; key and value alias the batch.
type record struct {
	tsDelta     int64
	offsetDelta int32
	key, value  []byte
}

// recordReader walks a batch's uncompressed record bytes.
type recordReader struct {
	data []byte
}

// next decodes the next record; its fields must fill its declared length
// exactly. Headers are skipped: legacy messages have none.
func (r *recordReader) next() (record, error) {
	l, n := binary.Varint(r.data)
	if n <= 0 || l < 0 || l > int64(len(r.data)-n) {
		return record{}, fmt.Errorf("record length with %d bytes left: %w", len(r.data), ErrCorrupt)
	}
	f := fields{b: r.data[n : n+int(l)]}
	r.data = r.data[n+int(l):]
	f.skip(1) // attributes, unused
	rec := record{tsDelta: f.varint(), offsetDelta: int32(f.varint())}
	rec.key = f.bytes()
	rec.value = f.bytes()
	for range f.count() {
		if k := f.bytes(); k == nil {
			f.err = true // header keys are never null
		}
		f.bytes()
	}
	if f.err || len(f.b) != 0 {
		return record{}, fmt.Errorf("record fields do not fill its %d bytes: %w", l, ErrCorrupt)
	}
	return rec, nil
}

// fields reads varint-encoded record fields; any overrun sets err and
// yields zero values, checked once at the end.
type fields struct {
	b   []byte
	err bool
}

func (f *fields) skip(n int) {
	if len(f.b) < n {
		f.err, f.b = true, nil
		return
	}
	f.b = f.b[n:]
}

func (f *fields) varint() int64 {
	v, n := binary.Varint(f.b)
	if n <= 0 {
		f.err, f.b = true, nil
		return 0
	}
	f.b = f.b[n:]
	return v
}

// bytes reads a varint-length-prefixed field; length -1 is null.
func (f *fields) bytes() []byte {
	n := f.varint()
	if n == -1 || f.err {
		return nil
	}
	if n < -1 || n > int64(len(f.b)) {
		f.err, f.b = true, nil
		return nil
	}
	v := f.b[:n:n]
	f.b = f.b[n:]
	return v
}

// count reads a header count, bounded by the bytes left (a header takes at
// least two), so a forged count cannot loop for long.
func (f *fields) count() int {
	n := f.varint()
	if n < 0 || n > int64(len(f.b)/2) {
		f.err = true
		return 0
	}
	return int(n)
}
