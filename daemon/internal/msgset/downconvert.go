package msgset

import (
	"fmt"
	"slices"
	"sync"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
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
	c := downconversion{opts: opts, start: len(dst), scratch: scratch.Get().(*[]byte)}
	defer scratch.Put(c.scratch)
	// Legacy messages take a little more room than records (34 bytes of
	// overhead against about 10); room for twice the input, within the
	// limit, saves regrowing dst for uncompressed batches.
	dst = slices.Grow(dst, max(min(opts.MaxBytes, 2*len(data)), 0))
	for len(data) > 0 && !c.full {
		b, ok, err := splitBatch(data)
		if err != nil || !ok {
			return dst, err
		}
		if dst, err = c.batch(dst, b); err != nil {
			return dst, err
		}
		data = data[len(b):]
	}
	return dst, nil
}

type downconversion struct {
	opts    DownOptions
	start   int  // where this conversion's output begins in dst
	full    bool // the next message would pass MaxBytes
	records recordbatch.Records
	scratch *[]byte // decompressed records, from the scratch pool
}

// scratch holds decompression buffers between conversions.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

func (c *downconversion) batch(dst []byte, b recordbatch.Header) ([]byte, error) {
	if b.Control() {
		return dst, nil
	}
	if err := c.openRecords(b); err != nil {
		return dst, fmt.Errorf("batch at offset %d: %w", b.BaseOffset(), err)
	}
	for i := range b.RecordCount() {
		rec, err := c.records.Next()
		if err != nil {
			return dst, fmt.Errorf("batch at offset %d, record %d: %w", b.BaseOffset(), i, recordErr(err))
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

// openRecords points c.records at b's records, inflating a compressed
// batch whole into c.scratch: reading records from one buffer is cheaper
// than from a stream, and the output holds all of them anyway.
func (c *downconversion) openRecords(b recordbatch.Header) error {
	if b.Codec() == None {
		return recordErr(c.records.Reset(b, c.opts.MaxDecompressed))
	}
	var err error
	if *c.scratch, err = recordbatch.Decompress((*c.scratch)[:0], b.Codec(), b.Payload(), c.opts.MaxDecompressed); err != nil {
		return recordErr(err)
	}
	return recordErr(c.records.ResetPlain(*c.scratch, c.opts.MaxDecompressed))
}

// message is a record as a legacy message: its absolute offset, its
// timestamp (none in magic 0, the batch's under LogAppendTime).
func (c *downconversion) message(b recordbatch.Header, rec *kmsg.Record) Message {
	m := Message{Offset: b.BaseOffset() + int64(rec.OffsetDelta), Key: rec.Key, Value: rec.Value}
	switch {
	case c.opts.Magic == 0:
		m.Timestamp = -1
	case b.LogAppendTime():
		m.Timestamp, m.LogAppendTime = b.MaxTimestamp(), true
	default:
		m.Timestamp = b.BaseTimestamp() + rec.TimestampDelta64
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
