package server

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/twmb/franz-go/pkg/kbin"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// part is one piece of an encoded response frame, in wire order: either bytes
// in memory or a file region to send from the file.
type part struct {
	data []byte
	file *attachedFile
}

// encoded is a response frame ready to write.
type encoded struct {
	parts []part
	// materialized is set when attached regions could not be spliced and
	// were read into memory instead (a handler bug worth a log line).
	materialized bool
	unused       int // attached regions whose placeholder is absent from Msg
}

// errFrameTooLarge means a response does not fit an int32 size prefix.
var errFrameTooLarge = errors.New("response frame exceeds 2 GiB")

// appendFrame appends a whole frame (size prefix, header, body) for msg to dst.
// ApiVersions keeps response header v0 even in flexible versions, so that a
// client that does not yet know the broker's versions can always read it.
func appendFrame(dst []byte, correlation int32, msg kmsg.Response) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = kbin.AppendInt32(dst, correlation)
	if msg.IsFlexible() && msg.Key() != apiVersionsKey {
		dst = append(dst, 0) // header v1: empty tagged fields
	}
	dst = msg.AppendTo(dst)
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-4))
	return dst
}

// encodeResponse encodes msg into buf (reused by the caller) and plans the
// frame: attached file regions are spliced in place of their placeholders.
func encodeResponse(buf []byte, correlation int32, msg kmsg.Response, files []attachedFile) ([]byte, encoded, error) {
	buf = appendFrame(buf[:0], correlation, msg)
	if len(files) == 0 {
		if len(buf)-4 > math.MaxInt32 {
			return buf, encoded{}, errFrameTooLarge
		}
		return buf, encoded{parts: []part{{data: buf}}}, nil
	}
	for _, f := range files {
		if f.Len < 0 || f.Pos < 0 || f.File == nil {
			return buf, encoded{}, fmt.Errorf("invalid file region pos %d len %d", f.Pos, f.Len)
		}
	}
	hits, ok := locatePlaceholders(buf, msg.IsFlexible(), files)
	if !ok {
		return materialize(buf, correlation, msg, files)
	}
	enc, err := splice(buf, msg.IsFlexible(), hits)
	enc.unused = len(files) - len(hits)
	return buf, enc, err
}

// hit is a placeholder found in an encoded frame.
type hit struct {
	pos  int // index of the placeholder's first byte
	file *attachedFile
}

// locatePlaceholders finds each attached placeholder, checks that the bytes
// before it are the length prefix a 16-byte field has, and returns the hits in
// frame order. ok is false if a placeholder sits anywhere a length-prefixed
// bytes field cannot: splicing it would corrupt the stream.
func locatePlaceholders(buf []byte, flexible bool, files []attachedFile) (hits []hit, ok bool) {
	from := 0
	for i := range files {
		pos := bytes.Index(buf[from:], files[i].placeholder)
		if pos >= 0 {
			pos += from
		} else if pos = bytes.Index(buf, files[i].placeholder); pos < 0 {
			continue // the handler did not use it
		}
		if !hasPlaceholderPrefix(buf, pos, flexible) {
			return nil, false
		}
		hits = append(hits, hit{pos: pos, file: &files[i]})
		from = pos + placeholderLen
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.pos - b.pos })
	for i := 1; i < len(hits); i++ {
		if hits[i].pos-prefixLen(flexible) < hits[i-1].pos+placeholderLen {
			return nil, false
		}
	}
	return hits, true
}

func prefixLen(flexible bool) int {
	if flexible {
		return 1
	}
	return 4
}

// hasPlaceholderPrefix reports whether the placeholder at pos is preceded by
// the length prefix of a 16-byte (nullable) bytes field.
func hasPlaceholderPrefix(buf []byte, pos int, flexible bool) bool {
	if flexible {
		return pos >= 9 && buf[pos-1] == placeholderLen+1 // compact: uvarint(len+1)
	}
	return pos >= 12 && binary.BigEndian.Uint32(buf[pos-4:pos]) == placeholderLen
}

// splice cuts the frame at each hit, replacing prefix and placeholder by the
// region's real length prefix and the region itself, and rewrites the frame's
// size prefix.
func splice(buf []byte, flexible bool, hits []hit) (encoded, error) {
	prefixes := make([]byte, 0, 4+5*len(hits)) // sized up front: parts alias it
	prefixes = append(prefixes, 0, 0, 0, 0)
	parts := make([]part, 0, 2+3*len(hits))
	parts = append(parts, part{data: prefixes[:4]})
	start := 4
	for _, h := range hits {
		parts = append(parts, part{data: buf[start : h.pos-prefixLen(flexible)]})
		p := len(prefixes)
		if flexible {
			prefixes = kbin.AppendUvarint(prefixes, uint32(h.file.Len)+1)
		} else {
			prefixes = kbin.AppendInt32(prefixes, h.file.Len)
		}
		parts = append(parts, part{data: prefixes[p:]}, part{file: h.file})
		start = h.pos + placeholderLen
	}
	parts = append(parts, part{data: buf[start:]})
	size := int64(0)
	for _, p := range parts[1:] {
		size += p.len()
	}
	if size > math.MaxInt32 {
		return encoded{}, errFrameTooLarge
	}
	binary.BigEndian.PutUint32(prefixes[:4], uint32(size))
	return encoded{parts: parts}, nil
}

// len is the number of bytes the part puts on the wire.
func (p part) len() int64 {
	if p.file != nil {
		return int64(p.file.Len)
	}
	return int64(len(p.data))
}
