package partitionlog

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestRoll(t *testing.T) {
	batch := func(ts int64) []byte { return buildBatch(t, batchSpec{records: 2, valueSize: 50, baseTs: ts}) }
	one := int64(len(batch(1000)))
	tests := []struct {
		name         string
		cfg          Config
		timeType     TimestampType
		appends      int
		tsStep       int64         // between batches' timestamps
		clockStep    time.Duration // between appends
		wantSegments int
	}{
		{"segment.bytes", Config{SegmentBytes: 3 * one}, CreateTime, 7, 0, 0, 3},
		{"segment.ms by record timestamps", Config{SegmentMs: 1000}, CreateTime, 4, 600, 0, 2},
		{"segment.ms by clock with LogAppendTime", Config{SegmentMs: 1000}, LogAppendTime, 4, 0, 600 * time.Millisecond, 2},
		{"offset index full", Config{SegmentIndexBytes: 48, IndexIntervalBytes: 1}, CreateTime, 9, 0, 0, 2},
		{"no roll below limits", Config{}, CreateTime, 10, 1, time.Millisecond, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newManualClock(1_000_000)
			tt.cfg.TimestampType = tt.timeType
			l := testLog(t, tt.cfg, clock)
			for i := range tt.appends {
				mustAppend(t, l, batch(1000+int64(i)*tt.tsStep))
				clock.advance(tt.clockStep)
			}
			if l.NumSegments() != tt.wantSegments {
				t.Fatalf("%d segments, want %d", l.NumSegments(), tt.wantSegments)
			}
			checkSegmentFiles(t, l)
			if got := readAll(t, l, 0); int64(len(got)) != int64(tt.appends)*one {
				t.Fatalf("read back %d bytes", len(got))
			}
		})
	}
}

// checkSegmentFiles checks the names Kafka uses and the index sizes:
// closed segments' indexes trimmed to their entries, the active one's
// preallocated.
func checkSegmentFiles(t *testing.T, l *Log) {
	t.Helper()
	entries, _ := os.ReadDir(l.Dir())
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for i, seg := range l.segs {
		for _, suffix := range []string{logSuffix, indexSuffix, timeIndexSuffix} {
			name := filepath.Base(segmentPath(l.Dir(), seg.base, suffix))
			if len(name) != 20+len(suffix) || !slices.Contains(names, name) {
				t.Fatalf("missing %s in %v", name, names)
			}
		}
		offSize, timeSize := fileSize(t, seg.path(indexSuffix)), fileSize(t, seg.path(timeIndexSuffix))
		if i == len(l.segs)-1 {
			want := int64(l.Config().SegmentIndexBytes)
			if offSize != want/8*8 || timeSize != want/12*12 {
				t.Fatalf("active index sizes %d %d, want preallocated %d", offSize, timeSize, want)
			}
			continue
		}
		if offSize != int64(seg.offsets.entries()*8) || timeSize != int64(seg.times.entries()*12) {
			t.Fatalf("closed segment %d index sizes %d %d, entries %d %d", seg.base, offSize, timeSize, seg.offsets.entries(), seg.times.entries())
		}
		if ts, _, ok := seg.times.last(); !ok || ts != seg.maxTs.Load() {
			t.Fatalf("closed segment %d: last time index entry %d, max timestamp %d", seg.base, ts, seg.maxTs.Load())
		}
	}
}

func TestIndexEntriesFollowInterval(t *testing.T) {
	l := testLog(t, Config{IndexIntervalBytes: 250}, nil)
	var positions []int64
	pos := int64(0)
	for i := range 20 {
		b := buildBatch(t, batchSpec{records: 1 + i%3, valueSize: 60, baseTs: 1000 + int64(i)*10})
		mustAppend(t, l, b)
		positions = append(positions, pos)
		pos += int64(len(b))
	}
	seg := l.active()
	last := int64(0)
	var want []int64
	for _, p := range positions {
		if p-last > 250 {
			want = append(want, p)
			last = p
		}
	}
	var got []int64
	for i := range seg.offsets.entries() {
		_, p := seg.offsets.at(i)
		got = append(got, int64(p))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("index positions %v, want %v", got, want)
	}
	// Recovery rebuilds the very same index.
	live := slices.Clone(seg.offsets.data[:seg.offsets.entries()*8])
	liveTime := slices.Clone(seg.times.data[:seg.times.entries()*12])
	if _, err := seg.recover(250, func(header) {}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(live, seg.offsets.data[:seg.offsets.entries()*8]) || !slices.Equal(liveTime, seg.times.data[:seg.times.entries()*12]) {
		t.Fatal("rebuilt indexes differ from the live ones")
	}
}

func TestIndexLookups(t *testing.T) {
	dir := t.TempDir()
	ix, whole, err := openIndexFile(vfs.OS{}, filepath.Join(dir, "x.index"), offsetIndexEntrySize, 80)
	if err != nil || !whole {
		t.Fatal(err, whole)
	}
	defer ix.close()
	off := offsetIndex{ix}
	if err := ix.preallocate(); err != nil {
		t.Fatal(err)
	}
	for _, e := range [][2]int32{{4, 100}, {9, 250}, {15, 400}} {
		off.append(e[0], e[1])
	}
	tests := []struct {
		rel, wantPos int64
	}{{0, 0}, {3, 0}, {4, 100}, {8, 100}, {9, 250}, {14, 250}, {15, 400}, {1000, 400}}
	for _, tt := range tests {
		if got := off.lookup(tt.rel); got != tt.wantPos {
			t.Errorf("lookup(%d) = %d, want %d", tt.rel, got, tt.wantPos)
		}
	}
	if got := off.floorPosition(399); got != 250 {
		t.Errorf("floorPosition(399) = %d", got)
	}
	off.truncateTo(9)
	if off.entries() != 1 || !allZero(ix.data[8:24]) {
		t.Fatalf("after truncateTo(9): %d entries, tail %v", off.entries(), ix.data[8:24])
	}

	tix, _, err := openIndexFile(vfs.OS{}, filepath.Join(dir, "x.timeindex"), timeIndexEntrySize, 48)
	if err != nil {
		t.Fatal(err)
	}
	defer tix.close()
	tim := timeIndex{tix}
	tix.preallocate()
	for _, e := range []struct {
		ts  int64
		rel int32
	}{{100, 1}, {100, 2}, {90, 3}, {200, 4}, {300, 5}, {400, 6}} {
		tim.maybeAppend(e.ts, e.rel)
	}
	// Only growing timestamps are kept, and the last slot waits for the roll.
	if tim.entries() != 3 {
		t.Fatalf("%d time entries", tim.entries())
	}
	tim.appendFinal(400, 6)
	if ts, rel, _ := tim.last(); tim.entries() != 4 || ts != 400 || rel != 6 {
		t.Fatalf("final entry %d %d", ts, rel)
	}
	for _, tt := range []struct {
		ts      int64
		wantRel int32
		wantOK  bool
	}{{100, 0, false}, {101, 1, true}, {300, 4, true}, {301, 5, true}} {
		rel, ok := tim.lookupBefore(tt.ts)
		if rel != tt.wantRel || ok != tt.wantOK {
			t.Errorf("lookupBefore(%d) = %d %v", tt.ts, rel, ok)
		}
	}
}
