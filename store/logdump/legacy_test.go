package logdump

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math"
	"testing"
)

// legacyMessage encodes a magic 0 or 1 message at offset; attrs carries
// the codec and timestamp type.
func legacyMessage(offset int64, magic, attrs int8, ts int64, key, value []byte) []byte {
	body := []byte{byte(magic), byte(attrs)}
	if magic == 1 {
		body = binary.BigEndian.AppendUint64(body, uint64(ts))
	}
	for _, f := range [][]byte{key, value} {
		if f == nil {
			body = binary.BigEndian.AppendUint32(body, math.MaxUint32)
			continue
		}
		body = append(binary.BigEndian.AppendUint32(body, uint32(len(f))), f...)
	}
	out := binary.BigEndian.AppendUint64(nil, uint64(offset))
	out = binary.BigEndian.AppendUint32(out, uint32(4+len(body)))
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(body))
	return append(out, body...)
}

func TestLegacyMessagesAndWrappers(t *testing.T) {
	var inner []byte
	for i := range 3 { // magic 1 inner offsets are relative
		inner = append(inner, legacyMessage(int64(i), 1, 0, 100+int64(i), nil, []byte{'a' + byte(i)})...)
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write(inner)
	_ = zw.Close()
	file := append(legacyMessage(0, 0, 0, 0, []byte("k"), []byte("v0")), legacyMessage(3, 1, 1, 102, nil, zipped.Bytes())...)
	file = append(file, emptyBatch(4)...) // a v2 batch after the legacy messages, as after an upgrade
	s := NewSegment(bytes.NewReader(file), int64(len(file)), math.MaxInt64)
	first, err := s.Next()
	if err != nil || first.Legacy == nil || first.Legacy.Magic != 0 || string(first.Legacy.Key) != "k" || !first.Valid() || first.Legacy.Timestamp != -1 {
		t.Fatalf("first: %+v %v", first.Legacy, err)
	}
	wrapper, err := s.Next()
	if err != nil || wrapper.Legacy == nil || wrapper.Legacy.Codec() != 1 || wrapper.Position != first.Legacy.Size {
		t.Fatalf("wrapper: %+v %v", wrapper.Legacy, err)
	}
	msgs, err := wrapper.Legacy.Inner(1 << 20)
	if err != nil || len(msgs) != 3 || msgs[0].Offset != 1 || msgs[2].Offset != 3 || string(msgs[1].Value) != "b" {
		t.Fatalf("inner: %+v %v", msgs, err)
	}
	if b, err := s.Next(); err != nil || b.Legacy != nil || b.BaseOffset() != 4 {
		t.Fatalf("the v2 batch after: %v", err)
	}
	if _, err := s.Next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
	bad := legacyMessage(0, 1, 0, 1, nil, []byte("v"))
	binary.BigEndian.PutUint32(bad[len(bad)-5:], 99) // the value claims more than there is
	s = NewSegment(bytes.NewReader(bad), int64(len(bad)), math.MaxInt64)
	if _, err := s.Next(); err == nil || s.Position() != 0 {
		t.Fatalf("a corrupt legacy message: %v at %d", err, s.Position())
	}
}
