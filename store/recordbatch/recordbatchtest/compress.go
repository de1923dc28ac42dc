// Package recordbatchtest compresses record payloads with the codec
// libraries' own writers and defaults (4 MiB LZ4 blocks, snappy-java's
// framing), independently of recordbatch's Compressor, so tests check
// kq's decoding against what clients write.
package recordbatchtest

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"

	"github.com/kqhq/kq/store/recordbatch"
)

// Compress returns raw compressed with codec by its library; snappy is one
// bare block, as librdkafka and franz-go write it. None returns raw.
func Compress(t testing.TB, codec recordbatch.Codec, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch codec {
	case recordbatch.None:
		return raw
	case recordbatch.Snappy:
		return snappy.Encode(nil, raw)
	case recordbatch.Gzip:
		w = gzip.NewWriter(&buf)
	case recordbatch.LZ4:
		w = lz4.NewWriter(&buf)
	case recordbatch.Zstd:
		zw, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w = zw
	default:
		t.Fatalf("no library writer for %s", codec)
	}
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// XerialMagic starts the Java client's snappy-java stream.
var XerialMagic = []byte{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}

// Xerial frames raw as the Java client's snappy-java stream does: a
// 16-byte header, then chunks of at most chunk bytes, each an int32
// length and a snappy block.
func Xerial(raw []byte, chunk int) []byte {
	out := append(append([]byte{}, XerialMagic...), 0, 0, 0, 1, 0, 0, 0, 1) // version 1, compatible 1
	for len(raw) > 0 {
		n := min(chunk, len(raw))
		block := snappy.Encode(nil, raw[:n])
		out = binary.BigEndian.AppendUint32(out, uint32(len(block)))
		out = append(out, block...)
		raw = raw[n:]
	}
	return out
}
