package msgset

import (
	"fmt"
	"testing"
)

// benchRecords are 1,000 records of a 16-byte key and a 200-byte value
// with some repetition, about what a log of JSON-ish events holds.
func benchRecords() []testRecord {
	recs := make([]testRecord, 1000)
	for i := range recs {
		recs[i] = testRecord{
			tsDelta: int64(i),
			key:     fmt.Appendf(nil, "key-%012d", i%97),
			value:   fmt.Appendf(nil, `{"id":%d,"user":"user-%d","event":"page_view","path":"/products/%d","ua":"Mozilla/5.0 (X11; Linux x86_64) kq-bench","ok":true,"pad":"%0100d"}`, i, i%1000, i%50, i),
		}
	}
	return recs
}

// BenchmarkDownconvert measures Fetch v2-3 down-conversion of 1 MiB-ish of
// stored batches to magic 1; bytes are the legacy messages written.
func BenchmarkDownconvert(b *testing.B) {
	for _, codec := range []Codec{None, Gzip, Snappy, LZ4, Zstd} {
		b.Run(codec.String(), func(b *testing.B) {
			var data []byte
			for i := range 5 {
				data = append(data, encodeBatch(b, batchSpec{base: int64(i * 1000), baseTs: 1000, maxTs: 2000, codec: codec, records: benchRecords()})...)
			}
			opts := DownOptions{Magic: 1, MaxBytes: 64 << 20, MaxDecompressed: 64 << 20}
			out, err := Downconvert(nil, data, opts)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if out, err = Downconvert(out[:0], data, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkToBatch measures Produce v0-2 up-conversion of a 1,000-message
// magic 1 set; bytes are the messages converted, before compression.
func BenchmarkToBatch(b *testing.B) {
	var inner []legacy
	for i, r := range benchRecords() {
		inner = append(inner, legacy{offset: int64(i), ts: 1000 + r.tsDelta, key: r.key, value: r.value})
	}
	for _, codec := range []Codec{None, Gzip, Snappy, LZ4} {
		b.Run(codec.String(), func(b *testing.B) {
			set := encodeLegacy(1, inner...)
			b.SetBytes(int64(len(set)))
			if codec != None {
				set = wrapper(b, 1, codec, int64(len(inner)-1), 0, set)
			}
			b.ReportAllocs()
			for range b.N {
				if _, err := ToBatch(set, 64<<20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
