package handler_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// BenchmarkFetchDownconvert measures a Fetch v2 (magic 1) and v1 (magic 0)
// of ~1 MiB already in the log, end to end in the handler: reading the
// region into memory and converting it. Bytes are the legacy messages
// answered. Stored batches are uncompressed; msgset's benchmarks cover
// each codec.
func BenchmarkFetchDownconvert(b *testing.B) {
	f := newFixture(b)
	f.topic("t", ledHere(1)...)
	values := make([]string, 100)
	for i := range values {
		values[i] = strings.Repeat("v", 100)
	}
	records := batch(1000, values...)
	for range 100 {
		f.produce("t", 0, append([]byte(nil), records...))
	}
	for _, version := range []int16{1, 2} {
		b.Run(fmt.Sprintf("v%d", version), func(b *testing.B) {
			req := legacyFetch(version, 1<<30, fetchPart{topic: "t", maxBytes: 4 << 20})
			out, err := f.h.Handle(b.Context(), requestOf(req))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(out.Msg.(*kmsg.FetchResponse).Topics[0].Partitions[0].RecordBatches)))
			b.ReportAllocs()
			for b.Loop() {
				out, err := f.h.Handle(b.Context(), requestOf(req))
				if err != nil {
					b.Fatal(err)
				}
				if p := out.Msg.(*kmsg.FetchResponse).Topics[0].Partitions[0]; p.ErrorCode != 0 || len(p.RecordBatches) == 0 {
					b.Fatalf("fetch: error %d with %d bytes", p.ErrorCode, len(p.RecordBatches))
				}
			}
		})
	}
}
