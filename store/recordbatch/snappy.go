package recordbatch

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/klauspost/compress/snappy"
)

// xerialMagic starts snappy payloads written by the Java client's
// snappy-java SnappyOutputStream: a 16-byte header (magic, version,
// compatible version) then chunks of [int32 length][snappy block].
// librdkafka and franz-go write one bare snappy block instead.
var xerialMagic = []byte{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}

// xerialVersions follows the magic: version 1, compatible version 1.
var xerialVersions = []byte{0, 0, 0, 1, 0, 0, 0, 1}

const (
	xerialHeaderSize = 16
	// xerialChunk is the block size snappy-java's SnappyOutputStream
	// writes.
	xerialChunk = 32 << 10
)

// IsXerial reports whether a snappy payload has the Java client's xerial
// framing (a rewrite keeps the framing the batch had).
func IsXerial(payload []byte) bool { return bytes.HasPrefix(payload, xerialMagic) }

// snappyDecode appends a snappy payload, bare block or xerial chunks,
// decoded to dst, at most limit bytes of it.
func snappyDecode(dst, payload []byte, limit int64) ([]byte, error) {
	if !IsXerial(payload) {
		return snappyBlock(dst, payload, limit)
	}
	if len(payload) < xerialHeaderSize {
		return nil, fmt.Errorf("snappy: short xerial header: %w", ErrCodec)
	}
	start := len(dst)
	for rest := payload[xerialHeaderSize:]; len(rest) > 0; {
		if len(rest) < 4 {
			return nil, fmt.Errorf("snappy: torn xerial chunk length: %w", ErrCodec)
		}
		n := binary.BigEndian.Uint32(rest)
		if uint64(n) > uint64(len(rest)-4) {
			return nil, fmt.Errorf("snappy: xerial chunk of %d bytes with %d left: %w", n, len(rest)-4, ErrCodec)
		}
		var err error
		if dst, err = snappyBlock(dst, rest[4:4+n], limit-int64(len(dst)-start)); err != nil {
			return nil, err
		}
		rest = rest[4+n:]
	}
	return dst, nil
}

// snappyBlock appends one decoded snappy block to dst. A block claims its
// decoded length up front; a claim beyond what snappy can expand its bytes
// to (corrupt), or past the limit, is refused before allocating, so a forged
// header cannot ask for gigabytes.
func snappyBlock(dst, block []byte, limit int64) ([]byte, error) {
	n, err := snappy.DecodedLen(block)
	if err != nil {
		return nil, fmt.Errorf("snappy: %v: %w", err, ErrCodec)
	}
	if n > 64*len(block)+1024 {
		return nil, fmt.Errorf("snappy: block of %d bytes claims %d decoded: %w", len(block), n, ErrCodec)
	}
	if int64(n) > limit {
		return nil, fmt.Errorf("snappy: block decodes to %d bytes, more than %d: %w", n, limit, ErrInflated)
	}
	start := len(dst)
	dst = grow(dst, n)
	if _, err := snappy.Decode(dst[start:start+n], block); err != nil {
		return nil, fmt.Errorf("snappy: %v: %w", err, ErrCodec)
	}
	return dst, nil
}

// appendSnappy appends raw snappy-compressed: one bare block, or xerial
// chunks of xerialChunk bytes.
func appendSnappy(dst, raw []byte, xerial bool) []byte {
	if !xerial {
		return appendBlock(dst, raw)
	}
	dst = append(append(dst, xerialMagic...), xerialVersions...)
	for len(raw) > 0 {
		n := min(len(raw), xerialChunk)
		at := len(dst)
		dst = appendBlock(append(dst, 0, 0, 0, 0), raw[:n])
		binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
		raw = raw[n:]
	}
	return dst
}

// appendBlock appends one snappy block, encoded in place in dst's spare
// capacity.
func appendBlock(dst, raw []byte) []byte {
	start := len(dst)
	dst = grow(dst, snappy.MaxEncodedLen(len(raw)))
	block := snappy.Encode(dst[start:], raw)
	return dst[:start+len(block)]
}
