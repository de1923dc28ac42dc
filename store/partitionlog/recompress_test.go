package partitionlog

import (
	"bytes"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

// compression.type other than "producer" stores every data batch with the
// topic's codec, as Kafka's LogValidator does; the records, their offsets
// and the producer fields are unchanged.
func TestAppendRecompressesToTheTopicCodec(t *testing.T) {
	tests := []struct {
		name       string
		from, to   recordbatch.Codec
		recompress bool
		want       recordbatch.Codec
	}{
		{"producer keeps gzip", recordbatch.Gzip, recordbatch.None, false, recordbatch.Gzip},
		{"uncompressed to gzip", recordbatch.None, recordbatch.Gzip, true, recordbatch.Gzip},
		{"gzip to zstd", recordbatch.Gzip, recordbatch.Zstd, true, recordbatch.Zstd},
		{"lz4 to uncompressed", recordbatch.LZ4, recordbatch.None, true, recordbatch.None},
		{"snappy stays snappy", recordbatch.Snappy, recordbatch.Snappy, true, recordbatch.Snappy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLog(t, Config{Recompress: tt.recompress, Compression: tt.to}, nil)
			plain := buildBatch(t, batchSpec{records: 5, valueSize: 64, text: true, producer: 7, seq: 3})
			in := buildBatch(t, batchSpec{records: 5, valueSize: 64, text: true, producer: 7, seq: 3, codec: tt.from})
			mustAppend(t, l, in)
			stored := header(readAll(t, l, 0))
			if got := stored.Codec(); got != tt.want {
				t.Fatalf("stored codec %s, want %s", got, tt.want)
			}
			if err := stored.CheckCRC(); err != nil {
				t.Fatalf("stored batch: %v", err)
			}
			if stored.ProducerID() != 7 || stored.BaseSequence() != 3 || stored.RecordCount() != 5 || stored.LastOffset() != 4 {
				t.Fatalf("stored header changed: producer %d seq %d records %d last offset %d",
					stored.ProducerID(), stored.BaseSequence(), stored.RecordCount(), stored.LastOffset())
			}
			raw := stored.Payload()
			if c := stored.Codec(); c != recordbatch.None {
				var err error
				if raw, err = recordbatch.Decompress(nil, c, raw, 1<<20); err != nil {
					t.Fatal(err)
				}
			}
			if want := header(plain).Payload(); !bytes.Equal(raw, want) {
				t.Fatalf("records changed by recompression")
			}
		})
	}
}
