package recordbatch

import (
	"bytes"
	"errors"
	"testing"
)

// TestCodecRoundTrip: every codec's output decompresses to its input,
// appended after what dst held, within a limit of exactly its size.
func TestCodecRoundTrip(t *testing.T) {
	raw := bytes.Repeat([]byte("kq record batch "), 10000) // several xerial chunks and lz4 blocks
	tests := []struct {
		codec  Codec
		xerial bool
	}{{Gzip, false}, {Snappy, false}, {Snappy, true}, {LZ4, false}, {Zstd, false}}
	var c Compressor
	for _, tc := range tests {
		name := tc.codec.String()
		if tc.xerial {
			name += "-xerial"
		}
		t.Run(name, func(t *testing.T) {
			for range 2 { // the second time through reused encoders
				packed, err := c.Append([]byte("prefix"), tc.codec, raw, tc.xerial)
				if err != nil {
					t.Fatal(err)
				}
				payload, ok := bytes.CutPrefix(packed, []byte("prefix"))
				if !ok || IsXerial(payload) != tc.xerial {
					t.Fatalf("prefix kept %v, xerial %v", ok, IsXerial(payload))
				}
				got, err := Decompress([]byte("x"), tc.codec, payload, int64(len(raw)))
				if err != nil || !bytes.Equal(got, append([]byte("x"), raw...)) {
					t.Fatalf("round trip: %d bytes, error %v", len(got), err)
				}
			}
		})
	}
}

// TestDecompressionBound: a small payload that inflates past the limit is
// refused with ErrInflated by every codec, both whole and streamed.
func TestDecompressionBound(t *testing.T) {
	bomb := make([]byte, 4<<20) // 4 MiB of zeros compress to a few KiB
	const limit = 1 << 20
	var c Compressor
	for _, codec := range []Codec{Gzip, Snappy, LZ4, Zstd} {
		t.Run(codec.String(), func(t *testing.T) {
			payload, err := c.Append(nil, codec, bomb, false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Decompress(nil, codec, payload, limit); !errors.Is(err, ErrInflated) {
				t.Fatalf("Decompress: error %v, want ErrInflated", err)
			}
			rec := oneRecord(bomb) // one record holding the bomb
			packed, err := c.Append(nil, codec, rec, false)
			if err != nil {
				t.Fatal(err)
			}
			batch := AppendBatch(nil, Fields{Attributes: int16(codec), RecordCount: 1, ProducerID: -1, BaseSequence: -1}, packed)
			it, err := Open(batch, limit)
			if err == nil {
				defer it.Close()
				_, err = it.Next()
			}
			if !errors.Is(err, ErrInflated) {
				t.Fatalf("Open and Next: error %v, want ErrInflated", err)
			}
		})
	}
}

func TestDecompressRefusals(t *testing.T) {
	tests := []struct {
		name    string
		codec   Codec
		payload []byte
		want    error
	}{
		{"unknown codec", 5, []byte{1, 2, 3}, ErrCodec},
		{"gzip garbage", Gzip, []byte("not gzip"), ErrCodec},
		{"lz4 garbage", LZ4, []byte("not an lz4 frame"), ErrCodec},
		{"zstd garbage", Zstd, []byte("not a zstd frame"), ErrCodec},
		{"snappy garbage", Snappy, []byte{0xff, 0xff, 0xff, 0xff, 0x0f, 1}, ErrCodec},
		{"snappy claim beyond expansion", Snappy, []byte{0x80, 0x80, 0x40, 0}, ErrCodec},
		{"xerial short header", Snappy, append(append([]byte{}, xerialMagic...), 0), ErrCodec},
		{"xerial torn chunk length", Snappy, append(append(append([]byte{}, xerialMagic...), xerialVersions...), 0, 0), ErrCodec},
		{"xerial chunk past the end", Snappy, append(append(append([]byte{}, xerialMagic...), xerialVersions...), 0, 0, 1, 0, 1), ErrCodec},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decompress(nil, tc.codec, tc.payload, 1<<30); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}
