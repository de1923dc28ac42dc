package partitionlog

import (
	"bytes"
	"errors"
	"math"
	"os"
	"testing"
)

// readFixture is a one-segment log of 10 batches of 3 records (offsets
// 0..29), every batch indexed, and the batch bytes as stored.
func readFixture(t *testing.T) (*Log, [][]byte) {
	t.Helper()
	l := testLog(t, Config{IndexIntervalBytes: 1}, nil)
	var stored [][]byte
	for i := range 10 {
		b := buildBatch(t, batchSpec{records: 3, valueSize: 40 + i})
		mustAppend(t, l, b)
		stored = append(stored, b)
	}
	// Re-read what the log wrote (offsets patched) as the reference.
	all := readAll(t, l, 0)
	stored = stored[:0]
	for len(all) > 0 {
		h, _ := splitBatch(all)
		stored = append(stored, all[:len(h)])
		all = all[len(h):]
	}
	return l, stored
}

func TestRead(t *testing.T) {
	l, b := readFixture(t)
	size := func(i, j int) int32 { return int32(len(concat(b[i:j]...))) }
	tests := []struct {
		name        string
		offset      int64
		maxBytes    int32
		maxOffset   int64
		minOneBatch bool
		want        []byte
		wantErr     error
	}{
		{"batch start", 3, size(3, 5), math.MaxInt64, true, concat(b[1:3]...), nil},
		{"mid batch starts at its batch", 4, size(1, 2), math.MaxInt64, true, b[1], nil},
		{"max bytes cuts at a boundary", 0, size(0, 2) + 10, math.MaxInt64, true, concat(b[0:2]...), nil},
		{"first batch whole despite max bytes", 0, 10, math.MaxInt64, true, b[0], nil},
		{"first batch too big without minOneBatch", 0, 10, math.MaxInt64, false, nil, nil},
		{"high watermark bounds", 0, 1 << 20, 6, true, concat(b[0:2]...), nil},
		{"high watermark inside a batch excludes it", 0, 1 << 20, 7, true, concat(b[0:2]...), nil},
		{"at high watermark", 6, 1 << 20, 6, true, nil, nil},
		{"above high watermark", 9, 1 << 20, 6, true, nil, nil},
		{"at log end", 30, 1 << 20, math.MaxInt64, true, nil, nil},
		{"past log end", 31, 1 << 20, math.MaxInt64, true, nil, ErrOffsetOutOfRange},
		{"negative", -1, 1 << 20, math.MaxInt64, true, nil, ErrOffsetOutOfRange},
		{"one segment only", 0, 1 << 20, math.MaxInt64, true, concat(b[0:l.segmentBatches(0)]...), nil},
		{"last batch", 29, 1 << 20, math.MaxInt64, true, b[9], nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := l.Read(tt.offset, tt.maxBytes, tt.maxOffset, tt.minOneBatch)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			got, err := r.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("got %d bytes (offsets %v), want %d (offsets %v)", len(got), batchOffsets(t, got), len(tt.want), batchOffsets(t, tt.want))
			}
			var w bytes.Buffer
			if n, err := r.WriteTo(&w); err != nil || n != int64(len(tt.want)) || !bytes.Equal(w.Bytes(), tt.want) {
				t.Fatalf("WriteTo %d %v", n, err)
			}
		})
	}
}

// segmentBatches returns how many batches segment i holds (test helper).
func (l *Log) segmentBatches(i int) int {
	seg := l.segs[i]
	n := 0
	sc := newHeaderScanner(seg.log, 0, seg.size.Load())
	defer sc.release()
	for _, _, ok := sc.next(); ok; _, _, ok = sc.next() {
		n++
	}
	return n
}

func TestReadAcrossSegmentsAndLogStart(t *testing.T) {
	l := testLog(t, Config{SegmentBytes: 400}, nil)
	for range 12 {
		mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 30}))
	}
	if l.NumSegments() < 3 {
		t.Fatalf("only %d segments", l.NumSegments())
	}
	// Every offset is readable and the read starts in the right segment.
	for off := range l.LogEndOffset() {
		r, err := l.Read(off, 1, math.MaxInt64, true)
		if err != nil {
			t.Fatal(err)
		}
		if r.FirstOffset != off/2*2 {
			t.Fatalf("read %d starts at %d", off, r.FirstOffset)
		}
	}
	l.SetHighWatermark(l.LogEndOffset())
	if err := l.AdvanceLogStartOffset(9); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Read(8, 100, math.MaxInt64, true); !errors.Is(err, ErrOffsetOutOfRange) {
		t.Fatalf("read below log start: %v", err)
	}
	if r, err := l.Read(9, 100, math.MaxInt64, true); err != nil || r.FirstOffset != 8 {
		t.Fatalf("read at log start: %+v %v", r, err)
	}
}

// TestReadOlderSegment: a read says when its region is on a segment older
// than the one holding its end, the delayed fetch's signal to answer at once.
func TestReadOlderSegment(t *testing.T) {
	l := testLog(t, Config{SegmentBytes: 400}, nil)
	for range 12 {
		mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 30}))
	}
	if l.NumSegments() < 3 {
		t.Fatalf("only %d segments", l.NumSegments())
	}
	lastBase := l.segs[len(l.segs)-1].base
	prevBase := l.segs[len(l.segs)-2].base
	tests := []struct {
		name      string
		offset    int64
		maxOffset int64
		want      bool
	}{
		{"first segment, end at the log end", 0, math.MaxInt64, true},
		{"previous segment, end in the active one", prevBase, lastBase + 1, true},
		{"previous segment, end at the active one's base", prevBase, lastBase, true},
		{"previous segment, end inside it", prevBase, prevBase + 2, false},
		{"active segment", lastBase, math.MaxInt64, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := l.Read(tt.offset, 1<<20, tt.maxOffset, true)
			if err != nil || r.Len == 0 {
				t.Fatalf("read %d: %d bytes, err %v", tt.offset, r.Len, err)
			}
			if r.OlderSegment != tt.want {
				t.Fatalf("OlderSegment %v, want %v", r.OlderSegment, tt.want)
			}
		})
	}
}

// On the real filesystem a read's file is the *os.File itself, which the
// server sends with sendfile(2): the filesystem seam must not hide it.
func TestReadRegionFileOffersSendfile(t *testing.T) {
	l, _ := readFixture(t)
	r, err := l.Read(0, 1<<20, math.MaxInt64, true)
	if err != nil || r.Len == 0 {
		t.Fatalf("read %+v: %v", r, err)
	}
	if _, ok := r.File.(*os.File); !ok {
		t.Fatalf("region file is a %T, not an *os.File", r.File)
	}
}
