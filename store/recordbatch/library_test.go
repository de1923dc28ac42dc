package recordbatch_test

import (
	"bytes"
	"testing"

	"github.com/klauspost/compress/snappy"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/recordbatch/recordbatchtest"
)

// TestDecompressLibraryOutput: what the codec libraries write with their
// own defaults, as clients do, decompresses, appended to dst.
func TestDecompressLibraryOutput(t *testing.T) {
	raw := bytes.Repeat([]byte("0123456789"), 10000)
	tests := []struct {
		name    string
		codec   recordbatch.Codec
		payload []byte
	}{
		{"gzip", recordbatch.Gzip, recordbatchtest.Compress(t, recordbatch.Gzip, raw)},
		{"snappy block", recordbatch.Snappy, snappy.Encode(nil, raw)},
		{"snappy xerial, several chunks", recordbatch.Snappy, recordbatchtest.Xerial(raw, 32<<10)},
		{"lz4", recordbatch.LZ4, recordbatchtest.Compress(t, recordbatch.LZ4, raw)},
		{"zstd", recordbatch.Zstd, recordbatchtest.Compress(t, recordbatch.Zstd, raw)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := recordbatch.Decompress([]byte("x"), tc.codec, tc.payload, 1<<20)
			if err != nil || !bytes.Equal(got, append([]byte("x"), raw...)) {
				t.Fatalf("decompress: %d bytes, error %v", len(got), err)
			}
		})
	}
}
