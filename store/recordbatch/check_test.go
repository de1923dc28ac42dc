package recordbatch

import (
	"encoding/binary"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// checkAgrees fails t unless the check-only walk accepts raw exactly when
// the full decoder does, with the same fields.
func checkAgrees(t *testing.T, raw []byte) {
	t.Helper()
	var r kmsg.Record
	decErr := decodeRecord(raw, &r)
	info, ok := checkRecord(raw)
	if ok != (decErr == nil) {
		t.Fatalf("walk accepts %v, decoder says %v, for %x", ok, decErr, raw)
	}
	if ok && info != infoOf(&r) {
		t.Fatalf("walk read %+v, decoder %+v, for %x", info, infoOf(&r), raw)
	}
}

func TestCheckRecordAgreesWithDecoder(t *testing.T) {
	good := oneRecord([]byte("value"))
	withHeaders := testRecords(1)
	big := AppendRecord(nil, &kmsg.Record{TimestampDelta64: -1 << 40, OffsetDelta: 1 << 20, Value: make([]byte, 300)})
	nullKey := AppendRecord(nil, &kmsg.Record{Value: []byte("v")})
	nullValue := AppendRecord(nil, &kmsg.Record{Key: []byte("k")})
	tests := []struct {
		name   string
		raw    []byte
		accept bool
	}{
		{"plain", good, true},
		{"headers", withHeaders, true},
		{"multi-byte varints", big, true},
		{"null key", nullKey, true},
		{"null value", nullValue, true},
		{"empty", nil, false},
		{"length only", []byte{0}, false},
		{"length too short", append([]byte{byte(2 * (len(good) - 2))}, good[1:]...), false},
		{"truncated", good[:len(good)-1], false},
		{"trailing byte", append(withLength(good[1:], 1), 0), false},
		{"negative length", []byte{1}, false},
		{"key past the end", withLength([]byte{0, 0, 0, 100}, 0), false},
		{"key length -2", withLength([]byte{0, 0, 0, 3, 0, 0}, 0), false},
		{"null header key", withLength([]byte{0, 0, 0, 1, 1, 2, 1, 1}, 0), false},
		{"header count past bytes", withLength([]byte{0, 0, 0, 1, 1, 20, 0, 0}, 0), false},
		{"negative header count", withLength([]byte{0, 0, 0, 1, 1, 1}, 0), false},
		{"offset delta past int32", withLength(binary.AppendVarint([]byte{0, 0}, 1<<33), 0), false},
		{"overlong timestamp varint", withLength([]byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAgrees(t, tt.raw)
			if _, ok := checkRecord(tt.raw); ok != tt.accept {
				t.Fatalf("accepted %v, want %v", ok, tt.accept)
			}
		})
	}
}

// withLength prefixes body with its length plus extra, as a record's
// length field.
func withLength(body []byte, extra int) []byte {
	return append(binary.AppendVarint(nil, int64(len(body)+extra)), body...)
}

func TestNextInfoMatchesNext(t *testing.T) {
	for _, codec := range allCodecs {
		t.Run(codec.String(), func(t *testing.T) {
			batch := testBatch(t, codec, 5)
			full, err := Open(batch, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			defer full.Close()
			walk, err := Open(batch, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			defer walk.Close()
			for i := range 5 {
				r, err := full.Next()
				if err != nil {
					t.Fatal(err)
				}
				info, err := walk.NextInfo()
				if err != nil {
					t.Fatal(err)
				}
				if info != infoOf(r) || info.OffsetDelta != int32(i) {
					t.Fatalf("record %d: walk %+v, decoder %+v", i, info, infoOf(r))
				}
			}
			if err := walk.Finish(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// FuzzCheckRecord holds the check-only walk to the full decoder: both
// accept the same records and read the same fields.
func FuzzCheckRecord(f *testing.F) {
	f.Add(oneRecord([]byte("value")))
	f.Add(testRecords(1))
	f.Add(AppendRecord(nil, &kmsg.Record{TimestampDelta64: 1 << 40, OffsetDelta: 300, Value: make([]byte, 200)}))
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkAgrees(t, raw)
	})
}

func BenchmarkRecordWalk(b *testing.B) {
	var records []byte
	for i := range 1000 {
		records = AppendRecord(records, &kmsg.Record{TimestampDelta64: int64(i), OffsetDelta: int32(i), Value: make([]byte, 100)})
	}
	for _, mode := range []string{"decode", "check"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(int64(len(records)))
			b.ReportAllocs()
			var it Records
			for b.Loop() {
				if err := it.ResetPlain(records, 1<<30); err != nil {
					b.Fatal(err)
				}
				for range 1000 {
					var err error
					if mode == "check" {
						_, err = it.NextInfo()
					} else {
						_, err = it.Next()
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
