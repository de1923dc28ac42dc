package logdump

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/kqhq/kq/store/recordbatch"
)

// A legacy message (magic 0 or 1, before Kafka 0.11) in a log, big-endian:
//
//	offset  size  field
//	------  ----  ---------------------------------------------
//	     0     8  offset (of the last inner message, for a wrapper)
//	     8     4  size of what follows
//	    12     4  CRC-32 (IEEE) of the bytes from magic on
//	    16     1  magic (0 or 1)
//	    17     1  attributes (codec in the low 3 bits; bit 3: LogAppendTime)
//	    18     8  timestamp (magic 1 only)
//	     .     4  key length (-1: null), key
//	     .     4  value length (-1: null), value (a compressed wrapper's
//	              value is the inner messages, compressed)
const (
	legacyCRCAt     = recordbatch.LogOverhead
	legacyMagicAt   = legacyCRCAt + 4
	legacyOverhead0 = 14 // CRC, magic, attributes, two lengths: the least a size may be
)

// Legacy is one magic 0 or 1 message.
type Legacy struct {
	Offset     int64
	Size       int64 // the whole entry, offset and size fields included
	CRC        uint32
	Magic      int8
	Attributes int8
	Timestamp  int64 // -1 for magic 0
	Key, Value []byte
	Valid      bool // the CRC matches
}

// Codec is the message's compression codec.
func (m Legacy) Codec() recordbatch.Codec { return recordbatch.Codec(m.Attributes & 0x07) }

// LogAppendTime reports a broker-stamped timestamp (magic 1).
func (m Legacy) LogAppendTime() bool { return m.Magic == 1 && m.Attributes&0x08 != 0 }

// ParseLegacy decodes the legacy message entry, which is exactly one
// message with its offset and size fields.
func ParseLegacy(entry []byte) (Legacy, error) {
	if len(entry) < recordbatch.LogOverhead+legacyOverhead0 {
		return Legacy{}, fmt.Errorf("legacy message of %d bytes: %w", len(entry), ErrCorrupt)
	}
	be := binary.BigEndian
	m := Legacy{Offset: int64(be.Uint64(entry)), Size: int64(len(entry)), CRC: be.Uint32(entry[legacyCRCAt:]),
		Magic: int8(entry[legacyMagicAt]), Attributes: int8(entry[legacyMagicAt+1]), Timestamp: -1}
	m.Valid = crc32.ChecksumIEEE(entry[legacyMagicAt:]) == m.CRC
	p := entry[legacyMagicAt+2:]
	if m.Magic == 1 {
		if len(p) < 8 {
			return m, fmt.Errorf("legacy message cut in its timestamp: %w", ErrCorrupt)
		}
		m.Timestamp, p = int64(be.Uint64(p)), p[8:]
	}
	var err error
	if m.Key, p, err = lengthPrefixed(p); err != nil {
		return m, err
	}
	if m.Value, p, err = lengthPrefixed(p); err != nil {
		return m, err
	}
	if len(p) != 0 {
		return m, fmt.Errorf("%d bytes after a legacy message's value: %w", len(p), ErrCorrupt)
	}
	return m, nil
}

func lengthPrefixed(p []byte) (field, rest []byte, err error) {
	if len(p) < 4 {
		return nil, nil, fmt.Errorf("legacy message cut in a length: %w", ErrCorrupt)
	}
	n := int32(binary.BigEndian.Uint32(p))
	p = p[4:]
	switch {
	case n == -1:
		return nil, p, nil
	case n < 0 || int64(n) > int64(len(p)):
		return nil, nil, fmt.Errorf("legacy field of %d bytes with %d left: %w", n, len(p), ErrCorrupt)
	}
	return p[:n:n], p[n:], nil
}

// Inner returns the messages a compressed wrapper holds, with absolute
// offsets: magic 1 stores them relative to the wrapper's (which is the
// last one's), magic 0 absolute. At most limit bytes are inflated.
func (m Legacy) Inner(limit int64) ([]Legacy, error) {
	raw, err := recordbatch.Decompress(nil, m.Codec(), m.Value, limit)
	if err != nil {
		return nil, fmt.Errorf("decompress a %s wrapper: %w", m.Codec(), err)
	}
	var inner []Legacy
	for len(raw) > 0 {
		if len(raw) < recordbatch.LogOverhead {
			return inner, fmt.Errorf("%d bytes after the last inner message: %w", len(raw), ErrCorrupt)
		}
		size := int64(int32(binary.BigEndian.Uint32(raw[8:])))
		if size < legacyOverhead0 || size > int64(len(raw)-recordbatch.LogOverhead) {
			return inner, fmt.Errorf("inner message size %d with %d bytes left: %w", size, len(raw)-recordbatch.LogOverhead, ErrCorrupt)
		}
		im, err := ParseLegacy(raw[:recordbatch.LogOverhead+size])
		if err != nil {
			return inner, err
		}
		inner = append(inner, im)
		raw = raw[recordbatch.LogOverhead+size:]
	}
	if m.Magic == 1 && len(inner) > 0 {
		shift := m.Offset - inner[len(inner)-1].Offset
		for i := range inner {
			inner[i].Offset += shift
		}
	}
	return inner, nil
}
