package partitionlog

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Compression codecs, the low three bits of the batch attributes.
const (
	codecNone   = 0
	codecGzip   = 1
	codecSnappy = 2
	codecLZ4    = 3
	codecZstd   = 4
)

// Decoders are expensive to build (zstd allocates its tables, gzip its
// window), so each kind is pooled and reset per batch.
var (
	gzipPool  = sync.Pool{New: func() any { return new(gzip.Reader) }}
	lz4Pool   = sync.Pool{New: func() any { return lz4.NewReader(nil) }}
	zstdPool  = sync.Pool{New: func() any { return newZstdDecoder() }}
	bufioPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 32<<10) }}
	bytesPool = sync.Pool{New: func() any { return new([]byte) }}
)

func newZstdDecoder() *zstd.Decoder {
	// Concurrency 1 keeps decoding on the caller's goroutine, so a pooled
	// decoder owns no background goroutines and needs no Close.
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil // only on invalid options; decompress reports it
	}
	return d
}

// decompressed is an open stream over a compressed batch's record bytes.
type decompressed struct {
	r       *bufio.Reader
	release func()
}

func (d *decompressed) close() {
	d.r.Reset(nil)
	bufioPool.Put(d.r)
	if d.release != nil {
		d.release()
	}
}

// decompress opens the records of a compressed batch. The caller must close
// the result. Errors mean the payload cannot even start to decode.
func decompress(codec int16, payload []byte) (*decompressed, error) {
	src, release, err := codecReader(codec, payload)
	if err != nil {
		return nil, err
	}
	br := bufioPool.Get().(*bufio.Reader)
	br.Reset(src)
	return &decompressed{r: br, release: release}, nil
}

func codecReader(codec int16, payload []byte) (io.Reader, func(), error) {
	switch codec {
	case codecGzip:
		z := gzipPool.Get().(*gzip.Reader)
		if err := z.Reset(bytes.NewReader(payload)); err != nil {
			gzipPool.Put(z)
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return z, func() { gzipPool.Put(z) }, nil
	case codecLZ4:
		z := lz4Pool.Get().(*lz4.Reader)
		z.Reset(bytes.NewReader(payload))
		return z, func() { z.Reset(nil); lz4Pool.Put(z) }, nil
	case codecZstd:
		return zstdReader(payload)
	case codecSnappy:
		return snappyReader(payload)
	}
	return nil, nil, fmt.Errorf("unknown compression codec %d", codec)
}

func zstdReader(payload []byte) (io.Reader, func(), error) {
	z, _ := zstdPool.Get().(*zstd.Decoder)
	if z == nil {
		return nil, nil, errors.New("zstd: decoder unavailable")
	}
	if err := z.Reset(bytes.NewReader(payload)); err != nil {
		zstdPool.Put(z)
		return nil, nil, fmt.Errorf("zstd: %w", err)
	}
	return z, func() { _ = z.Reset(nil); zstdPool.Put(z) }, nil
}

// xerialMagic starts snappy payloads written by the Java client's
// snappy-java SnappyOutputStream: a 16-byte header (magic, version,
// compatible version) then chunks of [int32 length][snappy block].
// librdkafka and franz-go may write a bare snappy block instead.
var xerialMagic = []byte{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}

const xerialHeaderSize = 16

func snappyReader(payload []byte) (io.Reader, func(), error) {
	bp := bytesPool.Get().(*[]byte)
	out, err := snappyDecode((*bp)[:0], payload)
	if err != nil {
		bytesPool.Put(bp)
		return nil, nil, err
	}
	*bp = out
	return bytes.NewReader(out), func() { bytesPool.Put(bp) }, nil
}

func snappyDecode(dst, payload []byte) ([]byte, error) {
	if !bytes.HasPrefix(payload, xerialMagic) {
		return snappyBlock(dst, payload)
	}
	if len(payload) < xerialHeaderSize {
		return nil, errors.New("snappy: short xerial header")
	}
	for rest := payload[xerialHeaderSize:]; len(rest) > 0; {
		if len(rest) < 4 {
			return nil, errors.New("snappy: torn xerial chunk length")
		}
		n := binary.BigEndian.Uint32(rest)
		if uint64(n) > uint64(len(rest)-4) {
			return nil, errors.New("snappy: xerial chunk past the payload end")
		}
		var err error
		if dst, err = snappyBlock(dst, rest[4:4+n]); err != nil {
			return nil, err
		}
		rest = rest[4+n:]
	}
	return dst, nil
}

// snappyBlock appends one decoded snappy block to dst. A block claims its
// decoded length up front; a claim beyond what snappy can expand to is
// refused before allocating, so a forged header cannot ask for gigabytes.
func snappyBlock(dst, block []byte) ([]byte, error) {
	n, err := snappy.DecodedLen(block)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	if n > 64*len(block)+1024 {
		return nil, fmt.Errorf("snappy: block of %d bytes claims %d decoded", len(block), n)
	}
	start := len(dst)
	dst = grow(dst, n)
	if _, err := snappy.Decode(dst[start:start+n], block); err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	return dst, nil
}

// grow extends b by n bytes, reusing its capacity when it can.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b[:len(b)+n]
	}
	nb := make([]byte, len(b)+n, 2*len(b)+n)
	copy(nb, b)
	return nb
}
