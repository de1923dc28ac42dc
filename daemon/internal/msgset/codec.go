package msgset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Codec is a compression codec, the low three attribute bits of both formats.
type Codec int8

// The codecs Kafka defines. Zstd exists only in record batches.
const (
	None   Codec = 0
	Gzip   Codec = 1
	Snappy Codec = 2
	LZ4    Codec = 3
	Zstd   Codec = 4
)

func (c Codec) String() string {
	switch c {
	case None:
		return "none"
	case Gzip:
		return "gzip"
	case Snappy:
		return "snappy"
	case LZ4:
		return "lz4"
	case Zstd:
		return "zstd"
	}
	return fmt.Sprintf("codec %d", int8(c))
}

// codecs holds pooled coders: building one is expensive (gzip's window,
// zstd's tables), and conversion runs per request.
type codecs struct {
	gzipR sync.Pool
	gzipW sync.Pool
	lz4R  sync.Pool
	lz4W  sync.Pool
	zstdR sync.Pool
}

// pool is shared by every conversion; the pools hold no state between uses.
var pool = &codecs{
	gzipR: sync.Pool{New: func() any { return new(gzip.Reader) }},
	gzipW: sync.Pool{New: func() any { return gzip.NewWriter(nil) }},
	lz4R:  sync.Pool{New: func() any { return lz4.NewReader(nil) }},
	lz4W:  sync.Pool{New: func() any { return lz4.NewWriter(nil) }},
	zstdR: sync.Pool{New: func() any { return newZstdReader() }},
}

func newZstdReader() *zstd.Decoder {
	// Concurrency 1 decodes on the caller's goroutine, so a pooled decoder
	// owns no goroutines and needs no Close.
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil // only on invalid options; decompress reports it
	}
	return d
}

// decompress appends the decompressed payload to dst, failing with
// ErrCorrupt when the codec rejects it or it inflates past limit bytes.
// legacyLZ4 reads the magic 0 LZ4 framing (KAFKA-3160).
func (c *codecs) decompress(dst []byte, codec Codec, payload []byte, limit int64, legacyLZ4 bool) ([]byte, error) {
	var out []byte
	var err error
	switch codec {
	case Gzip:
		out, err = c.gunzip(dst, payload, limit)
	case Snappy:
		out, err = unsnappy(dst, payload, limit)
	case LZ4:
		out, err = c.unlz4(dst, payload, limit, legacyLZ4)
	case Zstd:
		out, err = c.unzstd(dst, payload, limit)
	default:
		return dst, fmt.Errorf("unknown compression codec %d: %w", codec, ErrCorrupt)
	}
	if err != nil {
		return dst, fmt.Errorf("decompress %s: %v: %w", codec, err, ErrCorrupt)
	}
	return out, nil
}

func (c *codecs) gunzip(dst, payload []byte, limit int64) ([]byte, error) {
	z := c.gzipR.Get().(*gzip.Reader)
	defer c.gzipR.Put(z)
	if err := z.Reset(bytes.NewReader(payload)); err != nil {
		return dst, err
	}
	return readAllLimit(dst, z, limit)
}

func (c *codecs) unlz4(dst, payload []byte, limit int64, legacy bool) ([]byte, error) {
	if legacy {
		payload = fixLegacyLZ4Header(payload)
	}
	z := c.lz4R.Get().(*lz4.Reader)
	defer func() { z.Reset(nil); c.lz4R.Put(z) }()
	z.Reset(bytes.NewReader(payload))
	return readAllLimit(dst, z, limit)
}

func (c *codecs) unzstd(dst, payload []byte, limit int64) ([]byte, error) {
	z, _ := c.zstdR.Get().(*zstd.Decoder)
	if z == nil {
		return dst, errors.New("zstd decoder unavailable")
	}
	defer func() { _ = z.Reset(nil); c.zstdR.Put(z) }()
	if err := z.Reset(bytes.NewReader(payload)); err != nil {
		return dst, err
	}
	return readAllLimit(dst, z, limit)
}

// readAllLimit appends everything r yields to dst, refusing more than limit
// bytes, so a small forged payload cannot make the broker inflate gigabytes.
func readAllLimit(dst []byte, r io.Reader, limit int64) ([]byte, error) {
	start := len(dst)
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if int64(len(dst)-start) > limit {
			return dst, fmt.Errorf("inflates past %d bytes", limit)
		}
		if errors.Is(err, io.EOF) {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}

// xerialMagic starts snappy written by the Java client's snappy-java
// SnappyOutputStream: a 16-byte header, then [int32 length][snappy block]
// chunks. Other clients write one bare snappy block.
var xerialMagic = []byte{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}

const xerialHeaderSize = 16

func unsnappy(dst, payload []byte, limit int64) ([]byte, error) {
	if !bytes.HasPrefix(payload, xerialMagic) {
		return snappyBlock(dst, payload, limit)
	}
	if len(payload) < xerialHeaderSize {
		return dst, errors.New("short xerial header")
	}
	start := len(dst)
	for rest := payload[xerialHeaderSize:]; len(rest) > 0; {
		if len(rest) < 4 {
			return dst, errors.New("torn xerial chunk length")
		}
		n := uint32(rest[0])<<24 | uint32(rest[1])<<16 | uint32(rest[2])<<8 | uint32(rest[3])
		if uint64(n) > uint64(len(rest)-4) {
			return dst, fmt.Errorf("xerial chunk of %d bytes with %d left", n, len(rest)-4)
		}
		var err error
		if dst, err = snappyBlock(dst, rest[4:4+n], limit-int64(len(dst)-start)); err != nil {
			return dst, err
		}
		rest = rest[4+n:]
	}
	return dst, nil
}

func snappyBlock(dst, block []byte, limit int64) ([]byte, error) {
	n, err := snappy.DecodedLen(block)
	if err != nil {
		return dst, err
	}
	if int64(n) > limit {
		return dst, fmt.Errorf("inflates past %d bytes", limit)
	}
	dst = grow(dst, n)
	if _, err := snappy.Decode(dst[len(dst)-n:], block); err != nil {
		return dst[:len(dst)-n], err
	}
	return dst, nil
}

// grow extends b by n bytes, reallocating at most once.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), len(b)+n+len(b)/4)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}

// compress appends raw compressed with codec to dst, in the framing record
// batches use (a gzip stream, a bare snappy block, an LZ4 frame).
func (c *codecs) compress(dst []byte, codec Codec, raw []byte) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	switch codec {
	case Gzip:
		z := c.gzipW.Get().(*gzip.Writer)
		defer c.gzipW.Put(z)
		z.Reset(buf)
		return finish(buf, z, raw)
	case Snappy:
		return append(dst, snappy.Encode(nil, raw)...), nil
	case LZ4:
		z := c.lz4W.Get().(*lz4.Writer)
		defer func() { z.Reset(nil); c.lz4W.Put(z) }()
		z.Reset(buf)
		return finish(buf, z, raw)
	}
	return dst, fmt.Errorf("compress with %s: %w", codec, ErrUnsupportedCompression)
}

func finish(buf *bytes.Buffer, w io.WriteCloser, raw []byte) ([]byte, error) {
	if _, err := w.Write(raw); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	return buf.Bytes(), nil
}
