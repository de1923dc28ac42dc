package partitionlog

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

// convertedBatch is a gzip batch of spec with the records compressed into
// it, as msgset's up-conversion hands them over.
func convertedBatch(t testing.TB, spec batchSpec) recordbatch.Built {
	plain := spec
	plain.codec = recordbatch.None
	spec.codec = recordbatch.Gzip
	return recordbatch.Built{Batch: buildBatch(t, spec), Records: buildBatch(t, plain)[recordbatch.HeaderSize:]}
}

// TestAppendConvertedStoresAsAppend: a converted batch is stored and
// answered as Append would store and answer it.
func TestAppendConvertedStoresAsAppend(t *testing.T) {
	spec := batchSpec{records: 4, baseTs: 2000, tsStep: 10}
	viaAppend, viaConverted := testLog(t, Config{}, nil), testLog(t, Config{}, nil)
	b := convertedBatch(t, spec)
	want, err := viaAppend.Append(bytes.Clone(b.Batch), 3)
	if err != nil {
		t.Fatal(err)
	}
	got, err := viaConverted.AppendConverted(b, 3)
	if err != nil || got != want {
		t.Fatalf("AppendConverted: %+v %v, Append: %+v", got, err, want)
	}
	if !bytes.Equal(readAll(t, viaConverted, 0), readAll(t, viaAppend, 0)) {
		t.Fatal("stored bytes differ")
	}
}

// TestAppendConvertedChecks: the log's checks still apply to a converted
// batch: its framing and CRC on the batch, record rules on the records it
// comes with, which are read instead of the compressed payload.
func TestAppendConvertedChecks(t *testing.T) {
	edit := func(b recordbatch.Built, f func(*recordbatch.Built)) recordbatch.Built {
		b.Batch = bytes.Clone(b.Batch)
		f(&b)
		return b
	}
	good := convertedBatch(t, batchSpec{records: 3})
	tests := []struct {
		name  string
		batch recordbatch.Built
		cfg   Config
		want  error
	}{
		{"crc mismatch", edit(good, func(b *recordbatch.Built) { b.Batch[len(b.Batch)-1] ^= 1 }), Config{}, ErrCorruptMessage},
		{"too large", good, Config{MaxMessageBytes: 70}, ErrMessageTooLarge},
		{"compacted topic null key", convertedBatch(t, batchSpec{records: 2, nullKey: true}), Config{Compacted: true}, ErrInvalidRecord},
		{"timestamp out of range", convertedBatch(t, batchSpec{records: 2, baseTs: 1000}), Config{TimestampBeforeMaxMs: 100}, ErrInvalidTimestamp},
		{"fewer records than counted", edit(good, func(b *recordbatch.Built) { b.Records = b.Records[:len(b.Records)/2] }), Config{}, ErrInvalidRecord},
		{"records past the decompression bound", edit(good, func(b *recordbatch.Built) { b.Records = append(b.Records, make([]byte, 64*2000)...) }), Config{MaxMessageBytes: 2000}, ErrInvalidRecord},
		{"more than one batch", edit(good, func(b *recordbatch.Built) { b.Batch = concat(b.Batch, b.Batch) }), Config{}, ErrInvalidRecord},
		{"payload not inflated again", edit(good, func(b *recordbatch.Built) {
			copy(b.Batch[recordbatch.HeaderSize+12:], "not gzip any more")
			recordbatch.Header(b.Batch).Seal()
		}), Config{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := testLog(t, tc.cfg, newManualClock(5000))
			if _, err := l.AppendConverted(tc.batch, 0); !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}
