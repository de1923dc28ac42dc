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
	d, err := openDecoder(codec, payload, limit)
	if err != nil {
		return dst, err
	}
	defer d.release()
	out, err := readAllLimit(dst, d.r, limit)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", codec, err)
	}
	return out, nil
}

// stream is an open, buffered decompressing reader over a payload.
type stream struct {
	r *bufio.Reader
	d *decoder
}

// openStream opens a buffered decompressing reader; the caller must close
// it. limit bounds only the up-front allocations (snappy's blocks); the
// reader of the stream counts what it takes.
func openStream(codec Codec, payload []byte, limit int64) (*stream, error) {
	d, err := openDecoder(codec, payload, limit)
	if err != nil {
		return nil, err
	}
	br := bufioPool.Get().(*bufio.Reader)
	br.Reset(d.r)
	return &stream{r: br, d: d}, nil
}

func (s *stream) close() {
	s.r.Reset(nil)
	bufioPool.Put(s.r)
	s.d.release()
}

// decoder is a pooled codec reader over one payload; release returns it
// to its pool.
type decoder struct {
	r      io.Reader
	src    bytes.Reader // the payload, for r to read
	gzip   *gzip.Reader
	lz4    *lz4.Reader
	zstd   *zstd.Decoder
	snappy *[]byte // the decoded payload
}

func openDecoder(codec Codec, payload []byte, limit int64) (*decoder, error) {
	d := decoderPool.Get().(*decoder)
	d.src.Reset(payload)
	var err error
	switch codec {
	case Gzip:
		d.gzip = gzipPool.Get().(*gzip.Reader)
		d.r = d.gzip
		if err = d.gzip.Reset(&d.src); err != nil {
			err = fmt.Errorf("gzip: %v: %w", err, ErrCodec)
		}
	case LZ4:
		d.lz4 = lz4Pool.Get().(*lz4.Reader)
		d.lz4.Reset(&d.src)
		d.r = d.lz4
	case Zstd:
		err = d.openZstd()
	case Snappy:
		err = d.openSnappy(payload, limit)
	default:
		err = fmt.Errorf("unknown compression codec %d: %w", codec, ErrCodec)
	}
	if err != nil {
		d.release()
		return nil, err
	}
	return d, nil
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

func (d *decoder) openZstd() error {
	d.zstd, _ = zstdPool.Get().(*zstd.Decoder)
	if d.zstd == nil {
		return fmt.Errorf("zstd: decoder unavailable: %w", ErrCodec)
	}
	d.r = d.zstd
	if err := d.zstd.Reset(&d.src); err != nil {
		return fmt.Errorf("zstd: %v: %w", err, ErrCodec)
	}
	return nil
}

// openSnappy decodes the whole payload at once (snappy has no streaming
// form in batches) into a pooled buffer.
func (d *decoder) openSnappy(payload []byte, limit int64) error {
	d.snappy = bytesPool.Get().(*[]byte)
	out, err := snappyDecode((*d.snappy)[:0], payload, limit)
	if err != nil {
		return err
	}
	*d.snappy = out
	d.src.Reset(out)
	d.r = &d.src
	return nil
}

func (d *decoder) release() {
	if d.gzip != nil {
		gzipPool.Put(d.gzip)
	}
	if d.lz4 != nil {
		d.lz4.Reset(nil)
		lz4Pool.Put(d.lz4)
	}
	if d.zstd != nil {
		_ = d.zstd.Reset(nil)
		zstdPool.Put(d.zstd)
	}
	if d.snappy != nil {
		bytesPool.Put(d.snappy)
	}
	*d = decoder{}
	decoderPool.Put(d)
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
