package recordbatch

import (
	"bytes"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Compressor compresses batch payloads with each codec's default level.
// Its encoders are built on first use and reused; it is not safe for
// concurrent use (give each goroutine its own, or take one from a pool).
type Compressor struct {
	buf  bytes.Buffer   // wraps the caller's dst during Append
	w    io.WriteCloser // the writer of the codec at hand
	gz   *gzip.Writer
	lz   *lz4.Writer
	zstd *zstd.Encoder
}

// Append appends raw compressed with codec to dst. Snappy is one bare
// block, or the Java client's xerial chunks when xerial is set (a rewrite
// keeps the framing the batch had); the other codecs ignore xerial.
func (c *Compressor) Append(dst []byte, codec Codec, raw []byte, xerial bool) ([]byte, error) {
	var err error
	switch codec {
	case Snappy:
		return appendSnappy(dst, raw, xerial), nil
	case Zstd:
		return c.appendZstd(dst, raw)
	case Gzip:
		c.buf = *bytes.NewBuffer(dst)
		err = c.gzip()
	case LZ4:
		c.buf = *bytes.NewBuffer(dst)
		err = c.lz4()
	default:
		return dst, fmt.Errorf("compress with %s: %w", codec, ErrCodec)
	}
	if err == nil {
		err = writeClose(c.w, raw)
	}
	out := c.buf.Bytes()
	c.buf = bytes.Buffer{} // hold no reference to dst
	if err != nil {
		return dst, fmt.Errorf("compress with %s: %w", codec, err)
	}
	return out, nil
}

// gzip points the gzip writer at c.buf.
func (c *Compressor) gzip() error {
	if c.gz == nil {
		c.gz = gzip.NewWriter(&c.buf)
	} else {
		c.gz.Reset(&c.buf)
	}
	c.w = c.gz
	return nil
}

// lz4 points the LZ4 writer at c.buf.
func (c *Compressor) lz4() error {
	if c.lz == nil {
		c.lz = lz4.NewWriter(&c.buf)
		// Kafka's own LZ4 stream uses 64 KiB blocks; the default 4 MiB
		// would cost a 4 MiB buffer per compressor.
		if err := c.lz.Apply(lz4.BlockSizeOption(lz4.Block64Kb)); err != nil {
			return err
		}
	} else {
		c.lz.Reset(&c.buf)
	}
	c.w = c.lz
	return nil
}

func (c *Compressor) appendZstd(dst, raw []byte) ([]byte, error) {
	if c.zstd == nil {
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(64<<10), zstd.WithZeroFrames(true))
		if err != nil {
			return dst, fmt.Errorf("compress with %s: %w", Zstd, err)
		}
		c.zstd = enc
	}
	return c.zstd.EncodeAll(raw, dst), nil
}

func writeClose(w io.WriteCloser, raw []byte) error {
	if _, err := w.Write(raw); err != nil {
		return err
	}
	return w.Close()
}
