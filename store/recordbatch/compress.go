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
	buf  bytes.Buffer
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
	case Gzip:
		err = c.gzip(raw)
	case LZ4:
		err = c.lz4(raw)
	case Zstd:
		err = c.zstdEncode(raw)
	default:
		return dst, fmt.Errorf("compress with %s: %w", codec, ErrCodec)
	}
	if err != nil {
		return dst, fmt.Errorf("compress with %s: %w", codec, err)
	}
	return append(dst, c.buf.Bytes()...), nil
}

func (c *Compressor) gzip(raw []byte) error {
	c.buf.Reset()
	if c.gz == nil {
		c.gz = gzip.NewWriter(&c.buf)
	} else {
		c.gz.Reset(&c.buf)
	}
	return writeClose(c.gz, raw)
}

func (c *Compressor) lz4(raw []byte) error {
	c.buf.Reset()
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
	return writeClose(c.lz, raw)
}

func (c *Compressor) zstdEncode(raw []byte) error {
	c.buf.Reset()
	if c.zstd == nil {
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(64<<10), zstd.WithZeroFrames(true))
		if err != nil {
			return err
		}
		c.zstd = enc
	}
	c.buf.Write(c.zstd.EncodeAll(raw, c.buf.AvailableBuffer()))
	return nil
}

func writeClose(w io.WriteCloser, raw []byte) error {
	if _, err := w.Write(raw); err != nil {
		return err
	}
	return w.Close()
}
