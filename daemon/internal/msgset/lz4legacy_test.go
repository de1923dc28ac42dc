package msgset

import (
	"bytes"
	"testing"

	"github.com/pierrec/lz4/v4"
)

// TestLZ4HeaderChecksum checks the HC this package computes against frames
// the lz4 library writes, with and without the optional content size.
func TestLZ4HeaderChecksum(t *testing.T) {
	tests := []struct {
		name string
		opts []lz4.Option
		hc   int // position of HC in the frame
	}{
		{"plain frame", nil, 6},
		{"block checksums", []lz4.Option{lz4.BlockChecksumOption(true)}, 6},
		{"content size", []lz4.Option{lz4.SizeOption(5)}, 14},
		{"small blocks", []lz4.Option{lz4.BlockSizeOption(lz4.Block64Kb)}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := lz4.NewWriter(&buf)
			if err := w.Apply(tc.opts...); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write([]byte("hello")); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			frame := buf.Bytes()
			if got, want := lz4HeaderChecksum(frame[4:tc.hc]), frame[tc.hc]; got != want {
				t.Fatalf("HC %#x, the library wrote %#x", got, want)
			}
			broken := append([]byte{}, frame...)
			broken[tc.hc] ^= 0xff
			if fixed := fixLegacyLZ4Header(broken); !bytes.Equal(fixed, frame) {
				t.Fatalf("fixLegacyLZ4Header did not restore the frame")
			}
			if broken[tc.hc] == frame[tc.hc] {
				t.Fatal("fixLegacyLZ4Header changed its input")
			}
		})
	}
}

func TestFixLegacyLZ4HeaderShortInput(t *testing.T) {
	for _, in := range [][]byte{nil, {4, 0x22, 0x4d, 0x18}, {4, 0x22, 0x4d, 0x18, 0x68, 0x40}} {
		if out := fixLegacyLZ4Header(in); !bytes.Equal(out, in) {
			t.Errorf("fixLegacyLZ4Header(%x) = %x, want it unchanged", in, out)
		}
	}
}
