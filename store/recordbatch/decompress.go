package recordbatch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// ErrCodec is a compressed payload its codec rejects (or an unknown
// codec).
var ErrCodec = errors.New("compressed records do not decode")

// ErrInflated is a payload that decompresses past its limit.
var ErrInflated = errors.New("records decompress past the limit")

// Decoders are expensive to build (zstd allocates its tables, gzip its
// window), so each kind is pooled and reset per payload.
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
		return nil // only on invalid options; zstdReader reports it
	}
	return d
}

// Decompress appends payload decompressed with codec to dst, refusing
// more than limit bytes (ErrInflated); a payload the codec rejects is
// ErrCodec.
func Decompress(dst []byte, codec Codec, payload []byte, limit int64) ([]byte, error) {
	if codec == Snappy { // decoded whole anyway: straight into dst
		out, err := snappyDecode(dst, payload, limit)
		if err != nil {
			return dst, err
		}
		return out, nil
	}
	src, release, err := codecReader(codec, payload, limit)
	if err != nil {
		return dst, err
	}
	defer release()
	out, err := readAllLimit(dst, src, limit)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", codec, err)
	}
	return out, nil
}

// stream is an open decompressing reader over a payload.
type stream struct {
	r       *bufio.Reader
	release func()
}

// openStream opens a buffered decompressing reader; the caller must close
// it. limit bounds only the up-front allocations (snappy's blocks); the
// reader of the stream counts what it takes.
func openStream(codec Codec, payload []byte, limit int64) (*stream, error) {
	src, release, err := codecReader(codec, payload, limit)
	if err != nil {
		return nil, err
	}
	br := bufioPool.Get().(*bufio.Reader)
	br.Reset(src)
	return &stream{r: br, release: release}, nil
}

func (s *stream) close() {
	s.r.Reset(nil)
	bufioPool.Put(s.r)
	s.release()
}

func codecReader(codec Codec, payload []byte, limit int64) (io.Reader, func(), error) {
	switch codec {
	case Gzip:
		z := gzipPool.Get().(*gzip.Reader)
		if err := z.Reset(bytes.NewReader(payload)); err != nil {
			gzipPool.Put(z)
			return nil, nil, fmt.Errorf("gzip: %v: %w", err, ErrCodec)
		}
		return z, func() { gzipPool.Put(z) }, nil
	case LZ4:
		z := lz4Pool.Get().(*lz4.Reader)
		z.Reset(bytes.NewReader(payload))
		return z, func() { z.Reset(nil); lz4Pool.Put(z) }, nil
	case Zstd:
		return zstdReader(payload)
	case Snappy:
		return snappyReader(payload, limit)
	}
	return nil, nil, fmt.Errorf("unknown compression codec %d: %w", codec, ErrCodec)
}

func zstdReader(payload []byte) (io.Reader, func(), error) {
	z, _ := zstdPool.Get().(*zstd.Decoder)
	if z == nil {
		return nil, nil, fmt.Errorf("zstd: decoder unavailable: %w", ErrCodec)
	}
	if err := z.Reset(bytes.NewReader(payload)); err != nil {
		zstdPool.Put(z)
		return nil, nil, fmt.Errorf("zstd: %v: %w", err, ErrCodec)
	}
	return z, func() { _ = z.Reset(nil); zstdPool.Put(z) }, nil
}

// snappyReader decodes the whole payload at once (snappy has no streaming
// form in batches) into a pooled buffer.
func snappyReader(payload []byte, limit int64) (io.Reader, func(), error) {
	bp := bytesPool.Get().(*[]byte)
	out, err := snappyDecode((*bp)[:0], payload, limit)
	if err != nil {
		bytesPool.Put(bp)
		return nil, nil, err
	}
	*bp = out
	return bytes.NewReader(out), func() { bytesPool.Put(bp) }, nil
}

// readAllLimit appends everything r yields to dst, refusing more than
// limit bytes. A codec failure is ErrCodec.
func readAllLimit(dst []byte, r io.Reader, limit int64) ([]byte, error) {
	start := len(dst)
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if int64(len(dst)-start) > limit {
			return dst, fmt.Errorf("more than %d bytes: %w", limit, ErrInflated)
		}
		if errors.Is(err, io.EOF) {
			return dst, nil
		}
		if err != nil {
			return dst, fmt.Errorf("%v: %w", err, ErrCodec)
		}
	}
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
