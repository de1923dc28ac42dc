package msgset

import (
	"fmt"
	"slices"
	"sync"
)

// DownOptions shape one partition's down-conversion.
type DownOptions struct {
	// Magic is the legacy format to write: 0 for Fetch v0-1, 1 for v2-3.
	Magic int8
	// FromOffset is the fetch offset: records below it, in the first batch
	// a log read returns, are dropped.
	FromOffset int64
	// MaxBytes bounds the output: conversion stops before the first message
	// that would pass it, so no message is ever cut...
	MaxBytes int
	// ...except with MinOne, which writes the first message whole however
	// large, so a consumer always progresses.
	MinOne bool
	// MaxDecompressed bounds what one batch may inflate to.
	MaxDecompressed int64
}

// Downconvert appends the records of the record batches in data to dst as
// uncompressed legacy messages of opts.Magic, with their absolute offsets.
// Control batches are skipped and headers dropped; a batch cut short at the
// end of data is ignored. A corrupt batch is ErrCorrupt.
func Downconvert(dst, data []byte, opts DownOptions) ([]byte, error) {
	c := downconversion{opts: opts, start: len(dst)}
	// Legacy messages take a little more room than records (34 bytes of
	// overhead against about 10); room for twice the input, within the
	// limit, saves regrowing dst for uncompressed batches.
	dst = slices.Grow(dst, max(min(opts.MaxBytes, 2*len(data)), 0))
	bufp := scratch.Get().(*[]byte)
	defer scratch.Put(bufp)
	for len(data) > 0 && !c.full {
		b, ok, err := splitBatch(data)
		if err != nil || !ok {
			return dst, err
		}
		if dst, err = c.batch(dst, b, bufp); err != nil {
			return dst, err
		}
		data = data[len(b):]
	}
	return dst, nil
}

// scratch holds decompression buffers between conversions.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

type downconversion struct {
	opts  DownOptions
	start int  // where this conversion's output begins in dst
	full  bool // the next message would pass MaxBytes
}

func (c *downconversion) batch(dst []byte, b batchView, bufp *[]byte) ([]byte, error) {
	if b.control() {
		return dst, nil
	}
	raw := b.records()
	if b.codec() != None {
		var err error
		*bufp, err = pool.decompress((*bufp)[:0], b.codec(), raw, c.opts.MaxDecompressed, false)
		if err != nil {
			return dst, fmt.Errorf("batch at offset %d: %w", b.baseOffset(), err)
		}
		raw = *bufp
	}
	r := recordReader{data: raw}
	for i := range b.recordCount() {
		rec, err := r.next()
		if err != nil {
			return dst, fmt.Errorf("batch at offset %d, record %d: %w", b.baseOffset(), i, err)
		}
		m := c.message(b, rec)
		if m.Offset < c.opts.FromOffset {
			continue
		}
		if c.full = !c.fits(len(dst)-c.start, m); c.full {
			return dst, nil
		}
		dst = appendMessage(dst, c.opts.Magic, m)
	}
	return dst, nil
}

func (c *downconversion) message(b batchView, rec record) Message {
	m := Message{Offset: b.baseOffset() + int64(rec.offsetDelta), Key: rec.key, Value: rec.value}
	switch {
	case c.opts.Magic == 0:
		m.Timestamp = -1
	case b.logAppendTime():
		m.Timestamp, m.LogAppendTime = b.maxTimestamp(), true
	default:
		m.Timestamp = b.baseTimestamp() + rec.tsDelta
	}
	return m
}

// fits reports whether m may follow written bytes of output.
func (c *downconversion) fits(written int, m Message) bool {
	if written == 0 && c.opts.MinOne {
		return true
	}
	return written+messageSize(c.opts.Magic, m) <= c.opts.MaxBytes
}
