package msgset

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Sizes of the legacy message layout (see the package manual).
const (
	logOverhead  = 12 // offset + size, before the bytes size counts
	magicPos     = 16 // the magic byte, in legacy messages and batches alike
	minBodySize0 = 4 + 1 + 1 + 4 + 4
	minBodySize1 = minBodySize0 + 8
	attrCodec    = 0x07
	attrLogAppTs = 0x08
)

// Message is one message in the terms both formats share.
type Message struct {
	Offset    int64
	Timestamp int64  // -1 when there is none (magic 0, or a producer that set none)
	Key       []byte // nil is null
	Value     []byte // nil is null
	// LogAppendTime marks a timestamp the broker assigned.
	LogAppendTime bool
}

// legacyMessage is one message as it sits in a set, wrapper or not.
type legacyMessage struct {
	offset    int64
	magic     int8
	attrs     int8
	timestamp int64
	key       []byte
	value     []byte
}

func (m legacyMessage) codec() Codec { return Codec(m.attrs & attrCodec) }

// splitMessage parses the message at the front of buf, checking its size,
// magic and CRC, and returns it with the number of bytes it takes.
func splitMessage(buf []byte) (legacyMessage, int, error) {
	if len(buf) < logOverhead {
		return legacyMessage{}, 0, fmt.Errorf("%d bytes left, a message header needs %d: %w", len(buf), logOverhead, ErrCorrupt)
	}
	size := int32(binary.BigEndian.Uint32(buf[8:12]))
	if size < minBodySize0 || int64(size) > int64(len(buf)-logOverhead) {
		return legacyMessage{}, 0, fmt.Errorf("message size %d with %d bytes left: %w", size, len(buf)-logOverhead, ErrCorrupt)
	}
	m, err := parseBody(buf[logOverhead : logOverhead+int(size)])
	if err != nil {
		return legacyMessage{}, 0, err
	}
	m.offset = int64(binary.BigEndian.Uint64(buf[0:8]))
	return m, logOverhead + int(size), nil
}

func parseBody(body []byte) (legacyMessage, error) {
	m := legacyMessage{magic: int8(body[4]), attrs: int8(body[5]), timestamp: -1}
	if m.magic != 0 && m.magic != 1 {
		return legacyMessage{}, fmt.Errorf("magic %d in a legacy message set: %w", m.magic, ErrCorrupt)
	}
	if m.magic == 1 && len(body) < minBodySize1 {
		return legacyMessage{}, fmt.Errorf("magic 1 message of %d bytes: %w", len(body), ErrCorrupt)
	}
	if want, got := binary.BigEndian.Uint32(body[0:4]), crc32.ChecksumIEEE(body[4:]); want != got {
		return legacyMessage{}, fmt.Errorf("crc %08x, message says %08x: %w", got, want, ErrCorrupt)
	}
	pos := 6
	if m.magic == 1 {
		m.timestamp = int64(binary.BigEndian.Uint64(body[6:14]))
		pos = 14
	}
	var err error
	if m.key, pos, err = readBytes(body, pos); err != nil {
		return legacyMessage{}, fmt.Errorf("key: %w", err)
	}
	if m.value, pos, err = readBytes(body, pos); err != nil {
		return legacyMessage{}, fmt.Errorf("value: %w", err)
	}
	if pos != len(body) {
		return legacyMessage{}, fmt.Errorf("%d bytes after the value: %w", len(body)-pos, ErrCorrupt)
	}
	return m, nil
}

// readBytes reads an int32-length-prefixed field; length -1 is null.
func readBytes(body []byte, pos int) ([]byte, int, error) {
	if len(body)-pos < 4 {
		return nil, 0, fmt.Errorf("torn length: %w", ErrCorrupt)
	}
	n := int32(binary.BigEndian.Uint32(body[pos:]))
	pos += 4
	switch {
	case n == -1:
		return nil, pos, nil
	case n < -1 || int64(n) > int64(len(body)-pos):
		return nil, 0, fmt.Errorf("length %d with %d bytes left: %w", n, len(body)-pos, ErrCorrupt)
	}
	return body[pos : pos+int(n) : pos+int(n)], pos + int(n), nil
}

// appendMessage appends m as an uncompressed legacy message of the given
// magic. Magic 0 carries no timestamp.
func appendMessage(dst []byte, magic int8, m Message) []byte {
	start := len(dst)
	dst = binary.BigEndian.AppendUint64(dst, uint64(m.Offset))
	dst = append(dst, 0, 0, 0, 0, 0, 0, 0, 0) // size and crc, filled below
	var attrs byte
	if magic == 1 && m.LogAppendTime {
		attrs = attrLogAppTs
	}
	dst = append(dst, byte(magic), attrs)
	if magic == 1 {
		dst = binary.BigEndian.AppendUint64(dst, uint64(m.Timestamp))
	}
	dst = appendBytes(dst, m.Key)
	dst = appendBytes(dst, m.Value)
	body := dst[start+logOverhead:]
	binary.BigEndian.PutUint32(dst[start+8:], uint32(len(body)))
	binary.BigEndian.PutUint32(body[0:4], crc32.ChecksumIEEE(body[4:]))
	return dst
}

func appendBytes(dst, b []byte) []byte {
	if b == nil {
		return binary.BigEndian.AppendUint32(dst, 0xFFFFFFFF)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(b)))
	return append(dst, b...)
}

// messageSize is the size appendMessage gives m, log overhead included.
func messageSize(magic int8, m Message) int {
	n := logOverhead + minBodySize0 + len(m.Key) + len(m.Value)
	if magic == 1 {
		n += 8
	}
	return n
}
