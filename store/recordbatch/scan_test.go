package recordbatch

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// walkSummary is what the record-by-record walk says of count records in
// data: the summary ScanPlain must give whenever it reports ok.
func walkSummary(data []byte, count int32) (PlainSummary, bool) {
	s := PlainSummary{MinTimestampDelta: math.MaxInt64, MaxTimestampDelta: math.MinInt64}
	var it Records
	if count <= 0 || it.ResetPlain(data, math.MaxInt64) != nil {
		return s, false
	}
	for idx := range count {
		info, err := it.NextInfo()
		if err != nil || info.OffsetDelta != idx {
			return s, false
		}
		s.NullKey = s.NullKey || info.KeyLen < 0
		s.MinTimestampDelta = min(s.MinTimestampDelta, info.TimestampDelta)
		if info.TimestampDelta > s.MaxTimestampDelta {
			s.MaxTimestampDelta, s.MaxTimestampIndex = info.TimestampDelta, idx
		}
	}
	return s, it.Finish() == nil
}

// scanAgrees fails t if ScanPlain accepts what the walk refuses or reads
// anything else than the walk.
func scanAgrees(t *testing.T, data []byte, count int32) {
	t.Helper()
	got, ok := ScanPlain(data, count)
	if !ok {
		return // the caller walks record by record: always correct
	}
	want, wantOK := walkSummary(data, count)
	if !wantOK {
		t.Fatalf("scan accepts %d records the walk refuses: %x", count, data)
	}
	if got != want {
		t.Fatalf("scan read %+v, walk %+v, for %x", got, want, data)
	}
}

func records(rs ...kmsg.Record) []byte {
	var out []byte
	for i := range rs {
		rs[i].OffsetDelta = int32(i)
		out = AppendRecord(out, &rs[i])
	}
	return out
}

func TestScanPlain(t *testing.T) {
	v100 := make([]byte, 100)
	small := records(kmsg.Record{Key: []byte("k"), Value: v100, TimestampDelta64: 3}, kmsg.Record{Value: v100, TimestampDelta64: 9}, kmsg.Record{Value: v100, TimestampDelta64: -2}, kmsg.Record{Value: v100, TimestampDelta64: 9})
	tests := []struct {
		name   string
		data   []byte
		count  int32
		accept bool
		want   PlainSummary
	}{
		{"small records", small, 4, true, PlainSummary{MinTimestampDelta: -2, MaxTimestampDelta: 9, MaxTimestampIndex: 1, NullKey: true}},
		{"headers", testRecords(3), 3, true, PlainSummary{MinTimestampDelta: 0, MaxTimestampDelta: 6, MaxTimestampIndex: 2}},
		{"null value", records(kmsg.Record{Key: []byte("k")}), 1, true, PlainSummary{}},
		{"count short of the records", small, 3, false, PlainSummary{}},
		{"count past the records", small, 5, false, PlainSummary{}},
		{"no records", nil, 0, false, PlainSummary{}},
		{"truncated", small[:len(small)-1], 4, false, PlainSummary{}},
		{"a value of 8 KiB: three-byte varints", records(kmsg.Record{Value: make([]byte, 8<<10)}), 1, true, PlainSummary{NullKey: true}},
		{"a value of 2 MiB: four-byte varints", records(kmsg.Record{Value: make([]byte, 2<<20)}), 1, true, PlainSummary{NullKey: true}},
		{"timestamp delta of three bytes", records(kmsg.Record{TimestampDelta64: 1 << 19}), 1, true, PlainSummary{MinTimestampDelta: 1 << 19, MaxTimestampDelta: 1 << 19, NullKey: true}},
		{"timestamp delta of nine bytes", records(kmsg.Record{TimestampDelta64: -1 << 60}), 1, true, PlainSummary{MinTimestampDelta: -1 << 60, MaxTimestampDelta: -1 << 60, NullKey: true}},
		{"offset delta of 9000", records(make([]kmsg.Record, 9001)...), 9001, true, PlainSummary{NullKey: true}},
		{"offset deltas not from 0", testRecords(2)[len(oneRecordOf(testRecords(2))):], 1, false, PlainSummary{}},
		{"a byte after the header count", trailingByte(records(kmsg.Record{Value: []byte("v")})), 1, false, PlainSummary{}},
		{"a header count of one with no header", headerCountOne(records(kmsg.Record{Value: []byte("v")})), 1, false, PlainSummary{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scanAgrees(t, tt.data, tt.count)
			got, ok := ScanPlain(tt.data, tt.count)
			if ok != tt.accept {
				t.Fatalf("accepted %v, want %v", ok, tt.accept)
			}
			if ok && got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// trailingByte is data, one short record, with a zero byte appended to
// it inside its declared length: past its header count.
func trailingByte(data []byte) []byte {
	n := int(data[0] >> 1) // a one-byte zig-zag length
	return append([]byte{byte((n + 1) << 1)}, append(append([]byte{}, data[1:]...), 0)...)
}

// headerCountOne is data, one short record without headers, with its
// header count set to one: the count promises a header the record lacks.
func headerCountOne(data []byte) []byte {
	out := append([]byte{}, data...)
	out[len(out)-1] = 2 // zig-zag 1
	return out
}

// oneRecordOf is the first record of data, length prefix included.
func oneRecordOf(data []byte) []byte {
	var it Records
	if it.ResetPlain(data, math.MaxInt64) != nil {
		return nil
	}
	if _, err := it.NextInfo(); err != nil {
		return nil
	}
	return it.Raw()
}

// FuzzScanPlain holds the one-pass scan to the record-by-record walk:
// whatever it accepts, the walk accepts with the same summary.
func FuzzScanPlain(f *testing.F) {
	f.Add(testRecords(3), int32(3))
	f.Add(records(kmsg.Record{Value: make([]byte, 100)}, kmsg.Record{Key: []byte("k")}), int32(2))
	f.Add([]byte{2, 0, 0}, int32(1))
	f.Add(records(kmsg.Record{Value: make([]byte, 9000), TimestampDelta64: -70000}), int32(1))
	f.Fuzz(func(t *testing.T, data []byte, count int32) {
		scanAgrees(t, data, count)
	})
}

// BenchmarkScanPlain scans batches of 100 B records: 1,000, and the
// 9,700 of a 1 MB batch, whose offset deltas past 8,191 take three bytes.
func BenchmarkScanPlain(b *testing.B) {
	for _, n := range []int{1000, 9700} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			var data []byte
			for i := range n {
				data = AppendRecord(data, &kmsg.Record{TimestampDelta64: int64(i % 50), OffsetDelta: int32(i), Value: make([]byte, 100)})
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := ScanPlain(data, int32(n)); !ok {
					b.Fatal("not scanned")
				}
			}
		})
	}
}

// TestThreeByteVarint holds threeByteVarint to varint64 on every varint
// of three bytes, and to refusing anything else.
func TestThreeByteVarint(t *testing.T) {
	for _, v := range []int64{-1 << 20, -8193, 8192, 9000, 1<<20 - 1} {
		b := binary.AppendVarint([]byte{0xff}, v)[1:]
		got, next := threeByteVarint(b, 0)
		if want, wantNext := varint64(b, 0); got != want || next != wantNext || next != 3 {
			t.Errorf("%d: read %d ending at %d, varint64 %d at %d", v, got, next, want, wantNext)
		}
	}
	refused := []struct {
		name string
		b    []byte
		i    int
	}{
		{"two bytes", binary.AppendVarint(nil, 8191), 0},
		{"four bytes", binary.AppendVarint(nil, 1<<20), 0},
		{"cut short", binary.AppendVarint(nil, 9000)[:2], 0},
		{"a negative index", binary.AppendVarint(nil, 9000), -1},
		{"past the end", binary.AppendVarint(nil, 9000), 1},
	}
	for _, tt := range refused {
		if _, next := threeByteVarint(tt.b, tt.i); next != -1 {
			t.Errorf("%s: read to %d, want -1", tt.name, next)
		}
	}
}
