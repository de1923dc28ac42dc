package recordbatch

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestRecordsEveryCodec: the records of a batch read back the same,
// compressed or not, and Raw is each record's encoding.
func TestRecordsEveryCodec(t *testing.T) {
	plain := testRecords(50)
	for _, codec := range allCodecs {
		t.Run(codec.String(), func(t *testing.T) {
			it, err := Open(testBatch(t, codec, 50), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			defer it.Close()
			var raws []byte
			for i := range 50 {
				r, err := it.Next()
				if err != nil {
					t.Fatalf("record %d: %v", i, err)
				}
				if r.OffsetDelta != int32(i) || r.TimestampDelta64 != int64(3*i) || string(r.Key) != fmt.Sprintf("key-%d", i) ||
					len(r.Headers) != 1 || r.Headers[0].Key != "h" || string(r.Headers[0].Value) != "v" {
					t.Fatalf("record %d: %+v", i, r)
				}
				raws = append(raws, it.Raw()...)
			}
			if err := it.Finish(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(raws, plain) {
				t.Fatal("raw records differ from their encoding")
			}
		})
	}
}

// TestRecordRefusals: records that do not hold together are ErrRecord, as
// Kafka's DefaultRecord.readFrom refuses them.
func TestRecordRefusals(t *testing.T) {
	rec := func(r kmsg.Record) []byte { return AppendRecord(nil, &r) }
	withLength := func(b []byte, l byte) []byte { b[0] = l; return b }
	good := rec(kmsg.Record{Key: []byte("k"), Value: []byte("v")})
	tests := []struct {
		name    string
		records []byte
		count   int
	}{
		{"fewer records than the count", good, 2},
		{"bytes after the last record", append(append([]byte{}, good...), 0), 1},
		{"length past the end", withLength(append([]byte{}, good...), 0x7e), 1},
		{"negative length", withLength(append([]byte{}, good...), 0x01), 1},
		{"fields shorter than the length", append(withLength(append([]byte{}, good...), good[0]+2), 0, 0), 1},
		{"null header key", []byte{9 * 2, 0, 0, 0, 0x01, 0x01, 2, 0x01, 0x01}, 1},
		{"negative header count", []byte{6 * 2, 0, 0, 0, 0x01, 0x01, 0x01}, 1},
		{"header count past the bytes", []byte{6 * 2, 0, 0, 0, 0x01, 0x01, 40}, 1},
		{"key past the record", []byte{6 * 2, 0, 0, 0, 20, 0x01, 0}, 1},
		{"offset delta beyond int32", append([]byte{13 * 2, 0, 0}, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x01, 0x01, 0), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it, err := OpenPlain(tc.records, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			for range tc.count {
				if _, err = it.Next(); err != nil {
					break
				}
			}
			if err == nil {
				err = it.Finish()
			}
			if !errors.Is(err, ErrRecord) {
				t.Fatalf("error %v, want ErrRecord", err)
			}
		})
	}
}

// TestTruncatedCompressedRecords: a compressed batch whose stream ends
// before the declared records is ErrRecord; one whose stream is damaged
// is ErrCodec.
func TestTruncatedCompressedRecords(t *testing.T) {
	for _, codec := range []Codec{Gzip, LZ4, Zstd} {
		t.Run(codec.String(), func(t *testing.T) {
			b := Header(testBatch(t, codec, 5))
			b.SetRecordCount(6)
			it, err := Open(b, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			defer it.Close()
			for range 6 {
				if _, err = it.Next(); err != nil {
					break
				}
			}
			if !errors.Is(err, ErrRecord) {
				t.Fatalf("error %v, want ErrRecord", err)
			}
		})
	}
}

func TestOpenPlainBound(t *testing.T) {
	if _, err := OpenPlain(testRecords(10), 100); !errors.Is(err, ErrInflated) {
		t.Fatalf("error %v, want ErrInflated", err)
	}
}

// FuzzRecords feeds batch bytes, from disk or the network, to the framing
// checks and the record decoder: nothing may panic, a record decoded must
// encode back to the bytes it came from (up to varint spelling), and
// every error is one of the package's classes.
func FuzzRecords(f *testing.F) {
	for _, codec := range allCodecs {
		f.Add(testBatch(f, codec, 3), false)
		f.Add(testRecords(3), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, plain bool) {
		var it *Records
		var err error
		if plain {
			data = AppendBatch(nil, Fields{RecordCount: 3, LastOffsetDelta: 2}, data)
		}
		h, err := Split(data)
		if err == nil {
			it, err = Open(h, 1<<20)
		}
		if err != nil {
			checkClassified(t, err)
			return
		}
		defer it.Close()
		for range min(h.RecordCount(), 1000) {
			r, err := it.Next()
			if err != nil {
				checkClassified(t, err)
				return
			}
			if again := AppendRecord(nil, r); len(again) > len(it.Raw()) {
				t.Fatalf("record of %d bytes re-encodes to %d", len(it.Raw()), len(again))
			}
		}
		if err := it.Finish(); err != nil {
			checkClassified(t, err)
		}
	})
}

func checkClassified(t *testing.T, err error) {
	t.Helper()
	for _, class := range []error{ErrTruncated, ErrLength, ErrMagic, ErrCodec, ErrInflated, ErrRecord} {
		if errors.Is(err, class) {
			return
		}
	}
	t.Fatalf("unclassified error: %v", err)
}
