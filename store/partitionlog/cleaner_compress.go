package partitionlog

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// compressor re-compresses the records of batches the cleaner rewrites,
// with the batch's own codec at its default level. Each cleaner thread has
// one; its encoders are built on first use and reused.
type compressor struct {
	buf  bytes.Buffer
	gz   *gzip.Writer
	lz   *lz4.Writer
	zstd *zstd.Encoder
}

// xerialChunk is the block size snappy-java's SnappyOutputStream writes.
const xerialChunk = 32 << 10

// compress returns raw compressed with codec, valid until the next call.
// Snappy payloads keep the framing the batch had (xerial for the Java
// client's, a bare block otherwise).
func (c *compressor) compress(codec int16, xerial bool, raw []byte) ([]byte, error) {
	c.buf.Reset()
	var err error
	switch codec {
	case codecGzip:
		err = c.gzip(raw)
	case codecSnappy:
		c.snappy(raw, xerial)
	case codecLZ4:
		err = c.lz4(raw)
	case codecZstd:
		err = c.zstdEncode(raw)
	default:
		return nil, fmt.Errorf("unknown compression codec %d: %w", codec, ErrCorruptMessage)
	}
	if err != nil {
		return nil, fmt.Errorf("compress with codec %d: %w", codec, err)
	}
	return c.buf.Bytes(), nil
}

func (c *compressor) gzip(raw []byte) error {
	if c.gz == nil {
		c.gz = gzip.NewWriter(&c.buf)
	} else {
		c.gz.Reset(&c.buf)
	}
	if _, err := c.gz.Write(raw); err != nil {
		return err
	}
	return c.gz.Close()
}

func (c *compressor) lz4(raw []byte) error {
	if c.lz == nil {
		c.lz = lz4.NewWriter(&c.buf)
		// Kafka's own LZ4 stream uses 64 KiB blocks; the default 4 MiB
		// would cost a 4 MiB buffer per thread.
		if err := c.lz.Apply(lz4.BlockSizeOption(lz4.Block64Kb)); err != nil {
			return err
		}
	} else {
		c.lz.Reset(&c.buf)
	}
	if _, err := c.lz.Write(raw); err != nil {
		return err
	}
	return c.lz.Close()
}

func (c *compressor) zstdEncode(raw []byte) error {
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

func (c *compressor) snappy(raw []byte, xerial bool) {
	if !xerial {
		c.buf.Write(snappy.Encode(nil, raw))
		return
	}
	// snappy-java's header: magic, version 1, compatible version 1.
	c.buf.Write(xerialMagic)
	c.buf.Write([]byte{0, 0, 0, 1, 0, 0, 0, 1})
	for len(raw) > 0 {
		n := min(len(raw), xerialChunk)
		block := snappy.Encode(nil, raw[:n])
		c.buf.Write(binary.BigEndian.AppendUint32(nil, uint32(len(block))))
		c.buf.Write(block)
		raw = raw[n:]
	}
}
