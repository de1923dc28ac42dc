package partitionlog

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

// retentionFixture: 10 batches, timestamps 1000, 2000, ..., over segments
// of 2 batches (bases 0, 2, 4, 6, 8), all below the high watermark.
func retentionFixture(t *testing.T, cfg Config, clock Clock) (*Log, int64) {
	t.Helper()
	one := int64(len(buildBatch(t, batchSpec{valueSize: 40})))

	cfg.SegmentBytes = 2 * one
	l := testLog(t, cfg, clock)
	for i := range 10 {
		mustAppend(t, l, buildBatch(t, batchSpec{valueSize: 40, baseTs: 1000 * int64(i+1)}))
	}
	l.SetHighWatermark(l.LogEndOffset())
	return l, one
}

func TestRetention(t *testing.T) {
	one := int64(len(buildBatch(t, batchSpec{valueSize: 40})))
	tests := []struct {
		name      string
		cfg       Config
		now       int64
		hw        int64 // 0: all data below the high watermark
		logStart  int64
		wantStart int64 // log start offset after the pass
		wantSegs  int
	}{
		{"nothing expired", Config{RetentionMs: 100_000}, 50_000, 0, 0, 0, 5},
		// Segment max timestamps are 2000, 4000, ...; at now=14500 with
		// retention 10000 those <= 4000 go.
		{"retention.ms", Config{RetentionMs: 10_000}, 14_500, 0, 0, 4, 3},
		{"retention.ms stops at the first young segment", Config{RetentionMs: 10_000}, 12_500, 0, 0, 2, 4},
		{"retention.ms never beyond the high watermark", Config{RetentionMs: 1}, 1 << 40, 5, 0, 4, 3},
		{"everything expired rolls first", Config{RetentionMs: 1}, 1 << 40, 0, 0, 10, 1},
		// 10 batches, limit 5.5 batches: two segments of 2 can go.
		{"retention.bytes", Config{RetentionBytes: 5*one + one/2}, 0, 0, 0, 4, 3},
		{"log start offset", Config{}, 0, 0, 5, 5, 3},
		{"unlimited", Config{RetentionMs: -1}, 1 << 40, 0, 0, 0, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := retentionFixture(t, tt.cfg, nil)
			if tt.hw > 0 {
				l.hw.Store(tt.hw)
			}
			if tt.logStart > 0 {
				l.logStart.Store(tt.logStart)
			}
			if _, err := l.deleteOldSegments(tt.now); err != nil {
				t.Fatal(err)
			}
			if l.LogStartOffset() != tt.wantStart || l.NumSegments() != tt.wantSegs {
				t.Fatalf("log start %d, %d segments; want %d, %d", l.LogStartOffset(), l.NumSegments(), tt.wantStart, tt.wantSegs)
			}
			if l.LogEndOffset() != 10 {
				t.Fatalf("log end moved to %d", l.LogEndOffset())
			}
			if tt.wantStart < 10 {
				if r, err := l.Read(tt.wantStart, 1, 1<<62, true); err != nil || r.FirstOffset != tt.wantStart {
					t.Fatalf("read at new start: %+v %v", r, err)
				}
			}
		})
	}
}

func TestDeletedSegmentsLingerForTheDelay(t *testing.T) {
	l, _ := retentionFixture(t, Config{RetentionMs: 10_000, FileDeleteDelayMs: 200}, nil)
	r, err := l.Read(0, 1<<20, 1<<62, true) // a fetch holding segment 0
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.deleteOldSegments(14_500); err != nil {
		t.Fatal(err)
	}
	deleted := segmentPath(l.Dir(), 0, logSuffix) + deletedSuffix
	if _, err := os.Stat(deleted); err != nil {
		t.Fatalf("segment not renamed .deleted: %v", err)
	}
	if _, err := os.Stat(segmentPath(l.Dir(), 0, logSuffix)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("live name still there: %v", err)
	}
	// The fetch still sends its bytes within the delay.
	if b, err := r.Bytes(); err != nil || len(b) != int(r.Len) {
		t.Fatalf("read after deletion: %d bytes, %v", len(b), err)
	}
	waitFor(t, "delayed removal", func() bool {
		_, err := os.Stat(deleted)
		return errors.Is(err, os.ErrNotExist)
	})
}

func TestAdvanceLogStartOffset(t *testing.T) {
	l, _ := retentionFixture(t, Config{}, nil)
	tests := []struct {
		offset    int64
		want      error
		wantStart int64
		wantSegs  int
	}{
		{3, nil, 3, 4}, // segment 0 (offsets 0-1) is wholly below
		{2, nil, 3, 4}, // never backwards
		{11, ErrOffsetOutOfRange, 3, 4},
		{10, nil, 10, 1}, // everything: the active segment rolls
	}
	for _, tt := range tests {
		err := l.AdvanceLogStartOffset(tt.offset)
		if !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
			t.Fatalf("advance to %d: %v", tt.offset, err)
		}
		if l.LogStartOffset() != tt.wantStart || l.NumSegments() != tt.wantSegs {
			t.Fatalf("advance to %d: start %d segs %d", tt.offset, l.LogStartOffset(), l.NumSegments())
		}
	}
}

func TestFlushPolicies(t *testing.T) {
	t.Run("flush.messages", func(t *testing.T) {
		l := testLog(t, Config{FlushMessages: 3}, nil)
		mustAppend(t, l, buildBatch(t, batchSpec{records: 2}))
		if l.RecoveryPoint() != 0 {
			t.Fatalf("flushed early: %d", l.RecoveryPoint())
		}
		mustAppend(t, l, buildBatch(t, batchSpec{records: 1}))
		if l.RecoveryPoint() != 3 {
			t.Fatalf("recovery point %d after 3 messages", l.RecoveryPoint())
		}
	})
	t.Run("flush.ms", func(t *testing.T) {
		clock := newManualClock(0)
		l := testLog(t, Config{FlushMs: 1000}, clock)
		mustAppend(t, l, buildBatch(t, batchSpec{records: 2}))
		if err := l.flushIfDue(999); err != nil || l.RecoveryPoint() != 0 {
			t.Fatalf("flushed before flush.ms: %d %v", l.RecoveryPoint(), err)
		}
		if err := l.flushIfDue(1000); err != nil || l.RecoveryPoint() != 2 {
			t.Fatalf("not flushed at flush.ms: %d %v", l.RecoveryPoint(), err)
		}
	})
	t.Run("default: only on roll", func(t *testing.T) {
		one := int64(len(buildBatch(t, batchSpec{})))
		l := testLog(t, Config{SegmentBytes: 2 * one}, nil)
		mustAppend(t, l, buildBatch(t, batchSpec{}))
		mustAppend(t, l, buildBatch(t, batchSpec{}))
		if l.RecoveryPoint() != 0 {
			t.Fatalf("flushed without a roll: %d", l.RecoveryPoint())
		}
		mustAppend(t, l, buildBatch(t, batchSpec{})) // rolls at 2
		waitFor(t, "recovery point after roll", func() bool { return l.RecoveryPoint() == 2 })
	})
}

func TestManagerRetentionLoop(t *testing.T) {
	dir := t.TempDir()
	clock := newManualClock(100_000)
	m, err := OpenManager([]string{dir}, ManagerOptions{Logger: discardLogger(), Clock: clock,
		RetentionCheckInterval: time.Millisecond, FlushCheckInterval: time.Hour,
		CheckpointInterval: time.Millisecond, HighWatermarkCheckpointInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	one := int64(len(buildBatch(t, batchSpec{})))
	l, err := m.Create(testTP, [16]byte{9}, Config{SegmentBytes: one, RetentionMs: 1000, FileDeleteDelayMs: 1})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		mustAppend(t, l, buildBatch(t, batchSpec{baseTs: 1000}))
	}
	l.SetHighWatermark(3)
	ctx, cancel := contextWithCancel()
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	waitFor(t, "retention", func() bool { return l.LogStartOffset() == 3 })
	waitFor(t, "checkpoint", func() bool {
		c, _ := readOffsetCheckpoint(vfs.OS{}, filepath.Join(dir, logStartOffsetFile))
		return c[testTP] == 3
	})
	cancel()
	<-done
}
