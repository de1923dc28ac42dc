package msgset

import (
	"bytes"
	"errors"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	raw := bytes.Repeat([]byte("kq message set "), 5000)
	for _, codec := range []Codec{Gzip, Snappy, LZ4} {
		t.Run(codec.String(), func(t *testing.T) {
			packed, err := pool.compress([]byte("prefix"), codec, raw)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(packed, []byte("prefix")) {
				t.Fatal("compress did not append to dst")
			}
			// The libraries' own readers must accept what compress wrote.
			got, err := pool.decompress(nil, codec, packed[len("prefix"):], int64(len(raw)), false)
			if err != nil || !bytes.Equal(got, raw) {
				t.Fatalf("round trip: %d bytes, error %v", len(got), err)
			}
			if _, err := pool.decompress(nil, codec, packed[len("prefix"):], int64(len(raw)-1), false); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("one byte over the limit: error %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestDecompressLibraryOutput(t *testing.T) {
	raw := bytes.Repeat([]byte("0123456789"), 10000)
	tests := []struct {
		name    string
		codec   Codec
		payload []byte
	}{
		{"gzip", Gzip, compressWith(t, Gzip, raw)},
		{"snappy block", Snappy, compressWith(t, Snappy, raw)},
		{"snappy xerial, several chunks", Snappy, xerial(raw, 32<<10)},
		{"lz4", LZ4, compressWith(t, LZ4, raw)},
		{"zstd", Zstd, compressWith(t, Zstd, raw)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pool.decompress([]byte("x"), tc.codec, tc.payload, 1<<20, false)
			if err != nil || !bytes.Equal(got, append([]byte("x"), raw...)) {
				t.Fatalf("decompress: %d bytes, error %v", len(got), err)
			}
		})
	}
}

func TestCompressZstdRefused(t *testing.T) {
	if _, err := pool.compress(nil, Zstd, []byte("x")); !errors.Is(err, ErrUnsupportedCompression) {
		t.Fatalf("error %v, want ErrUnsupportedCompression", err)
	}
}
