package partitionlog

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kqhq/kq/store/vfs"
)

// truncFixture: 12 batches of 2 records (offsets 0..23) over segments of
// 4 batches each (bases 0, 8, 16), epochs 1 (offsets 0-9), 2 (10-17),
// 3 (18-23).
func truncFixture(t *testing.T) (*Log, []byte) {
	t.Helper()
	one := len(buildBatch(t, batchSpec{records: 2, valueSize: 20}))
	l := testLog(t, Config{SegmentBytes: int64(4 * one), IndexIntervalBytes: 1}, nil)
	for i := range 12 {
		epoch := int32(1)
		switch {
		case i >= 9:
			epoch = 3
		case i >= 5:
			epoch = 2
		}
		if _, err := l.Append(buildBatch(t, batchSpec{records: 2, valueSize: 20}), epoch); err != nil {
			t.Fatal(err)
		}
	}
	l.SetHighWatermark(20)
	return l, readAll(t, l, 0)
}

func TestTruncateTo(t *testing.T) {
	tests := []struct {
		name       string
		to         int64
		wantLEO    int64
		wantSegs   int
		wantHW     int64
		wantEpochs []EpochEntry
	}{
		{"mid last segment", 20, 20, 3, 20, []EpochEntry{{1, 0}, {2, 10}, {3, 18}}},
		{"inside a batch drops it whole", 21, 20, 3, 20, []EpochEntry{{1, 0}, {2, 10}, {3, 18}}},
		{"at a segment base", 16, 16, 3, 16, []EpochEntry{{1, 0}, {2, 10}}},
		{"into an older segment", 10, 10, 2, 10, []EpochEntry{{1, 0}}},
		{"first offset", 0, 0, 1, 0, nil},
		{"at log end is a no-op", 24, 24, 3, 20, []EpochEntry{{1, 0}, {2, 10}, {3, 18}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, all := truncFixture(t)
			if err := l.TruncateTo(tt.to); err != nil {
				t.Fatal(err)
			}
			checkTruncated(t, l, all, tt.wantLEO, tt.wantSegs, tt.wantHW, tt.wantEpochs)
			// The log keeps working, and reopening (even after a crash)
			// sees the same state.
			mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 20}))
			if err := l.TruncateTo(tt.wantLEO); err != nil {
				t.Fatal(err)
			}
			l = reopen(t, l, false, 0)
			checkTruncated(t, l, all, tt.wantLEO, -1, min(tt.wantHW, tt.wantLEO), tt.wantEpochs)
		})
	}
}

// checkTruncated compares the log with the expected state; segs < 0
// skips the segment count.
func checkTruncated(t *testing.T, l *Log, all []byte, leo int64, segs int, hw int64, epochs []EpochEntry) {
	t.Helper()
	if l.LogEndOffset() != leo || (segs >= 0 && l.NumSegments() != segs) || l.HighWatermark() != hw {
		t.Fatalf("leo %d segs %d hw %d; want %d %d %d", l.LogEndOffset(), l.NumSegments(), l.HighWatermark(), leo, segs, hw)
	}
	got := readAll(t, l, 0)
	if !bytes.Equal(got, all[:len(got)]) || (len(got) > 0 && lastOffsetIn(t, got)+1 != leo) {
		t.Fatal("remaining bytes are not the prefix of the original log")
	}
	if e := l.LeaderEpochs().Entries(); !equalEpochs(e, epochs) {
		t.Fatalf("epochs %v, want %v", e, epochs)
	}
}

func equalEpochs(a, b []EpochEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTruncateFullyAndStartAt(t *testing.T) {
	l, _ := truncFixture(t)
	if err := l.TruncateFullyAndStartAt(100); err != nil {
		t.Fatal(err)
	}
	if l.LogEndOffset() != 100 || l.LogStartOffset() != 100 || l.HighWatermark() != 100 || l.NumSegments() != 1 {
		t.Fatalf("leo %d start %d hw %d segs %d", l.LogEndOffset(), l.LogStartOffset(), l.HighWatermark(), l.NumSegments())
	}
	if len(l.LeaderEpochs().Entries()) != 0 {
		t.Fatal("epochs survived")
	}
	if _, err := l.Read(50, 100, 1<<62, true); !errors.Is(err, ErrOffsetOutOfRange) {
		t.Fatalf("read below new start: %v", err)
	}
	if _, err := l.AppendAsFollower(buildBatch(t, batchSpec{offset: 100, epoch: 4})); err != nil {
		t.Fatal(err)
	}
	l = reopen(t, l, true, 0)
	if l.LogStartOffset() != 100 || l.LogEndOffset() != 101 {
		t.Fatalf("after reopen start %d leo %d", l.LogStartOffset(), l.LogEndOffset())
	}
}

func TestLeaderEpochCache(t *testing.T) {
	c, err := loadLeaderEpochCache(vfs.OS{}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		epoch int32
		start int64
	}{{1, 0}, {1, 5}, {2, 10}, {4, 20}, {3, 15}}
	for _, s := range steps {
		if err := c.Assign(s.epoch, s.start); err != nil {
			t.Fatal(err)
		}
	}
	// {3,15} replaced {4,20}: a new entry drops the ones at or above it.
	if e := c.Entries(); !equalEpochs(e, []EpochEntry{{1, 0}, {2, 10}, {3, 15}}) {
		t.Fatalf("entries %v", e)
	}
	tests := []struct {
		epoch       int32
		wantEpoch   int32
		wantOffset  int64
		leo         int64
		description string
	}{
		{3, 3, 30, 30, "latest epoch ends at the log end"},
		{2, 2, 15, 30, "older epoch ends where the next starts"},
		{0, 0, 0, 30, "below every entry"},
		{5, -1, -1, 30, "above every entry"},
		{-1, -1, -1, 30, "undefined"},
	}
	for _, tt := range tests {
		e, o := c.EndOffsetFor(tt.epoch, tt.leo)
		if e != tt.wantEpoch || o != tt.wantOffset {
			t.Errorf("%s: EndOffsetFor(%d) = %d, %d", tt.description, tt.epoch, e, o)
		}
	}
	if e, ok := c.EpochForOffset(12); !ok || e != 2 {
		t.Errorf("EpochForOffset(12) = %d %v", e, ok)
	}
	if err := c.truncateFromStart(12); err != nil {
		t.Fatal(err)
	}
	if e := c.Entries(); !equalEpochs(e, []EpochEntry{{2, 12}, {3, 15}}) {
		t.Fatalf("after truncateFromStart: %v", e)
	}
	// The checkpoint file holds the same entries.
	again, err := loadLeaderEpochCache(vfs.OS{}, c.path[:len(c.path)-len(leaderEpochFile)])
	if err != nil || !equalEpochs(again.Entries(), c.Entries()) {
		t.Fatalf("reloaded %v %v", again.Entries(), err)
	}
}

// A full truncation to the base offset of an existing segment creates the
// new segment under that segment's names: removing the old segments must
// leave the new one's files alone, or the log loses them.
func TestTruncateFullyToAnExistingBase(t *testing.T) {
	for _, start := range []int64{0, 8, 16} {
		l, _ := truncFixture(t)
		if err := l.TruncateFullyAndStartAt(start); err != nil {
			t.Fatalf("start at %d: %v", start, err)
		}
		mustAppend(t, l, buildBatch(t, batchSpec{records: 3}))
		l2 := reopen(t, l, true, l.RecoveryPoint())
		if l2.LogStartOffset() != start || l2.LogEndOffset() != start+3 || l2.NumSegments() != 1 {
			t.Fatalf("start at %d, reopened: log [%d, %d) in %d segments", start,
				l2.LogStartOffset(), l2.LogEndOffset(), l2.NumSegments())
		}
		if err := checkReadable(l2); err != nil {
			t.Fatal(err)
		}
	}
}
