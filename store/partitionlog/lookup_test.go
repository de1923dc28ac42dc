package partitionlog

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

func TestOffsetForTimestamp(t *testing.T) {
	// Four batches over two segments; timestamps per record:
	//   offsets 0-2: 100 110 120   (gzip)
	//   offsets 3-5: 130 105 140   (not monotonic)
	//   offsets 6-8: 200 210 220   (new segment, zstd)
	//   offsets 9-10: 150 160
	l := testLog(t, Config{IndexIntervalBytes: 1}, nil)
	ts := func(vals ...int64) func([]kmsg.Record) {
		return func(r []kmsg.Record) {
			for i := range r {
				r[i].TimestampDelta64 = vals[i] - 100
			}
		}
	}
	spec := func(codec recordbatch.Codec, vals ...int64) []byte {
		return buildBatch(t, batchSpec{records: len(vals), codec: codec, baseTs: 100, editRecords: ts(vals...)})
	}
	mustAppend(t, l, spec(recordbatch.Gzip, 100, 110, 120))
	mustAppend(t, l, spec(recordbatch.None, 130, 105, 140))
	if _, err := l.roll(l.LogEndOffset(), l.Config(), 0); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, l, spec(recordbatch.Zstd, 200, 210, 220))
	mustAppend(t, l, spec(recordbatch.None, 150, 160))
	tests := []struct {
		ts       int64
		wantOff  int64
		wantTs   int64
		wantNone bool
	}{
		{0, 0, 100, false},
		{100, 0, 100, false},
		{101, 1, 110, false},
		{106, 1, 110, false},
		{125, 3, 130, false},
		{131, 5, 140, false},
		{141, 6, 200, false},
		{155, 6, 200, false},
		{215, 8, 220, false},
		{221, 0, 0, true},
	}
	for _, tt := range tests {
		off, got, ok, err := l.OffsetForTimestamp(tt.ts)
		if err != nil {
			t.Fatal(err)
		}
		if ok == tt.wantNone || (ok && (off != tt.wantOff || got != tt.wantTs)) {
			t.Errorf("OffsetForTimestamp(%d) = %d, %d, %v; want %d, %d", tt.ts, off, got, ok, tt.wantOff, tt.wantTs)
		}
	}
	if ts, off, err := l.MaxTimestamp(); err != nil || ts != 220 || off != 8 {
		t.Fatalf("MaxTimestamp = %d, %d, %v", ts, off, err)
	}
	// Below the log start nothing is answered.
	l.SetHighWatermark(l.LogEndOffset())
	if err := l.AdvanceLogStartOffset(2); err != nil {
		t.Fatal(err)
	}
	if off, _, _, _ := l.OffsetForTimestamp(0); off != 2 {
		t.Fatalf("after log start 2: offset %d", off)
	}
}

func TestMaxTimestampLogAppendTimeAndEmpty(t *testing.T) {
	l := testLog(t, Config{TimestampType: LogAppendTime}, newManualClock(5000))
	if ts, off, err := l.MaxTimestamp(); err != nil || ts != -1 || off != -1 {
		t.Fatalf("empty log: %d %d %v", ts, off, err)
	}
	mustAppend(t, l, buildBatch(t, batchSpec{records: 3}))
	if ts, off, err := l.MaxTimestamp(); err != nil || ts != 5000 || off != 0 {
		t.Fatalf("MaxTimestamp = %d %d %v", ts, off, err)
	}
	if off, ts, ok, err := l.OffsetForTimestamp(4000); err != nil || !ok || off != 0 || ts != 5000 {
		t.Fatalf("OffsetForTimestamp = %d %d %v %v", off, ts, ok, err)
	}
}
