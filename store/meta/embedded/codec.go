package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// ErrCorrupt marks damage in the journal or snapshot that recovery cannot
// explain as an interrupted write. The server refuses to start on it.
var ErrCorrupt = errors.New("metadata store corrupt")

// maxRecord bounds a journal record (a Multi of many creates fits easily);
// a larger length field is damage, not data.
const maxRecord = 64 << 20

const frameHeader = 8 // length u32 + crc32c u32

// minPayload is the smallest payload (zxid, time, mutation count). It
// also rules out a zeroed region, which would pass as an empty record
// with the empty CRC: file systems can leave zeros after a crash.
const minPayload = 17

func checksum(b []byte) uint32 {
	return crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli))
}

// appendFrame appends t as one journal record: length, CRC-32C of the
// payload, payload.
func appendFrame(buf []byte, t txn) []byte {
	start := len(buf)
	buf = append(buf, make([]byte, frameHeader)...)
	buf = appendTxn(buf, t)
	payload := buf[start+frameHeader:]
	binary.BigEndian.PutUint32(buf[start:], uint32(len(payload)))
	binary.BigEndian.PutUint32(buf[start+4:], checksum(payload))
	return buf
}

func appendTxn(buf []byte, t txn) []byte {
	buf = binary.BigEndian.AppendUint64(buf, uint64(t.zxid))
	buf = binary.BigEndian.AppendUint64(buf, uint64(t.ms))
	buf = binary.AppendUvarint(buf, uint64(len(t.muts)))
	for _, m := range t.muts {
		buf = append(buf, byte(m.kind))
		buf = appendBytes(buf, []byte(m.path))
		switch m.kind {
		case mutCreate:
			buf = binary.AppendVarint(buf, m.owner)
			buf = appendBytes(buf, m.data)
		case mutSet:
			buf = appendBytes(buf, m.data)
		}
	}
	return buf
}

func appendBytes(buf, b []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(b)))
	return append(buf, b...)
}

// nextFrame splits the record at the start of b. ok is false when b holds
// no complete, intact record there (torn or damaged).
func nextFrame(b []byte) (payload []byte, size int, ok bool) {
	if len(b) < frameHeader {
		return nil, 0, false
	}
	n := binary.BigEndian.Uint32(b)
	if n < minPayload || n > maxRecord || int(n) > len(b)-frameHeader {
		return nil, 0, false
	}
	payload = b[frameHeader : frameHeader+int(n)]
	if binary.BigEndian.Uint32(b[4:]) != checksum(payload) {
		return nil, 0, false
	}
	return payload, frameHeader + int(n), true
}

func decodeTxn(payload []byte) (txn, error) {
	r := reader{b: payload}
	t := txn{zxid: int64(r.u64()), ms: int64(r.u64())}
	n := r.uvarint()
	if n > uint64(len(payload)) {
		return txn{}, fmt.Errorf("%w: %d mutations in %d bytes", ErrCorrupt, n, len(payload))
	}
	for i := uint64(0); i < n && r.err == nil; i++ {
		t.muts = append(t.muts, r.mutation())
	}
	if err := r.done(); err != nil {
		return txn{}, err
	}
	return t, nil
}

// reader decodes the journal and snapshot encodings; the first problem
// sticks in err and turns later reads into zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: bad %s", ErrCorrupt, what)
	}
}

func (r *reader) u64() uint64 {
	if r.err != nil || len(r.b) < 8 {
		r.fail("fixed integer")
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if r.err != nil || n <= 0 {
		r.fail("varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if r.err != nil || n <= 0 {
		r.fail("varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) int32() int32 {
	v := r.varint()
	if int64(int32(v)) != v {
		r.fail("int32")
	}
	return int32(v)
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.fail("length")
		return nil
	}
	v := clone(r.b[:n])
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.fail("byte")
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) mutation() mutation {
	m := mutation{kind: mutKind(r.byte()), path: string(r.bytes())}
	switch m.kind {
	case mutCreate:
		m.owner = r.varint()
		m.data = r.bytes()
	case mutSet:
		m.data = r.bytes()
	case mutDelete:
	default:
		r.fail("mutation kind")
	}
	return m
}

func (r *reader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	return r.err
}
