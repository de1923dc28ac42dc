package partitionlog

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/store/recordbatch"
)

func TestOffsetMap(t *testing.T) {
	cases := []struct {
		name     string
		buffer   int64
		keys     int
		wantFull bool
	}{
		{"fits in the first table", 1 << 20, 500, false},
		{"grows past the first table", 1 << 20, 20_000, false},
		{"full at the load factor", 24 * 100, 200, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newOffsetMap(tc.buffer, 0.9)
			put := 0
			for i := range tc.keys {
				if !m.put([]byte(fmt.Sprint("key-", i)), int64(i)) {
					break
				}
				put++
			}
			if m.full() != tc.wantFull {
				t.Fatalf("full %v after %d keys, want %v", m.full(), put, tc.wantFull)
			}
			if tc.wantFull && put != 90 {
				t.Fatalf("took %d keys in 100 slots, want 90", put)
			}
			// Updating a known key works even when full; the values are right.
			for i := range put {
				if !m.put([]byte(fmt.Sprint("key-", i)), int64(i+1_000_000)) {
					t.Fatalf("update of key %d refused", i)
				}
			}
			for i := range put {
				if got := m.get([]byte(fmt.Sprint("key-", i))); got != int64(i+1_000_000) {
					t.Fatalf("key %d maps to %d", i, got)
				}
			}
			if got := m.get([]byte("absent")); got != -1 {
				t.Fatalf("absent key maps to %d", got)
			}
			m.reset()
			if m.get([]byte("key-0")) != -1 || m.entries != 0 || m.latest != -1 {
				t.Fatal("reset left entries")
			}
		})
	}
}

func TestThrottler(t *testing.T) {
	now := time.Unix(0, 0)
	var slept []time.Duration
	th := newThrottler(1000) // bytes per second
	th.now = func() time.Time { return now }
	th.sleep = func(_ context.Context, d time.Duration) { slept = append(slept, d); now = now.Add(d) }
	steps := []struct {
		advance time.Duration
		bytes   int
		sleep   time.Duration
	}{
		{0, 100, 0},                      // window opens
		{100 * time.Millisecond, 100, 0}, // too short to judge
		{300 * time.Millisecond, 800, 600 * time.Millisecond}, // 1000 B in 400 ms: 1 s is due
		{time.Second, 500, 0}, // 500 B in the 1 s since the pause ended: under the rate
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		before := len(slept)
		th.wait(context.Background(), s.bytes)
		var got time.Duration
		if len(slept) > before {
			got = slept[len(slept)-1]
		}
		if got != s.sleep {
			t.Fatalf("step %d: slept %v, want %v", i, got, s.sleep)
		}
	}
}

func TestPlanDirtyRatioAndMaxCompactionLag(t *testing.T) {
	cases := []struct {
		name        string
		cfg         Config
		cleanFirst  bool // one cleaning before more updates
		wantRatio   func(float64) bool
		wantEligble bool
		wantForced  bool
	}{
		{"all dirty", Config{}, false, func(r float64) bool { return r == 1 }, true, false},
		{"below the ratio after a cleaning", Config{MinCleanableDirtyRatio: 0.99}, true, func(r float64) bool { return r > 0 && r < 0.99 }, false, false},
		{"ratio passed after a cleaning", Config{MinCleanableDirtyRatio: 0.01}, true, func(r float64) bool { return r > 0.01 && r < 1 }, true, false},
		{"max.compaction.lag.ms forces", Config{MinCleanableDirtyRatio: 0.99, MaxCompactionLagMs: 1000}, true, func(r float64) bool { return r < 0.99 }, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := newManualClock(1_000_000)
			l := compactLog(t, tc.cfg, clock)
			fillUpdates(t, l, 20, 3, 5, recordbatch.None, false)
			if tc.cleanFirst {
				mustClean(t, l, testThread(1<<20), nowMs(clock))
				for i := range 3 {
					mustAppend(t, l, keyedBatch(t, batchSpec{baseTs: 1000}, fmt.Sprintf("k%d=new", i)))
				}
				rollNow(t, l)
			}
			l.SetHighWatermark(l.LogEndOffset())
			p, err := planCleaning(l, nowMs(clock))
			if err != nil {
				t.Fatal(err)
			}
			if !tc.wantRatio(p.ratio()) || p.eligible() != tc.wantEligble || p.forced != tc.wantForced {
				t.Fatalf("ratio %.3f (clean %d, dirty %d), eligible %v, forced %v", p.ratio(), p.cleanBytes, p.cleanableBytes, p.eligible(), p.forced)
			}
			if total := l.Size() - l.active().size.Load(); p.cleanBytes+p.cleanableBytes != total {
				t.Fatalf("clean %d + dirty %d != %d bytes of closed segments", p.cleanBytes, p.cleanableBytes, total)
			}
		})
	}
}

func TestPlanStopsAtTheHighWatermark(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	fillUpdates(t, l, 20, 3, 5, recordbatch.None, false)
	hw := l.LogEndOffset() - 10
	l.SetHighWatermark(hw)
	p, err := planCleaning(l, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if p.firstUncleanable != hw {
		t.Fatalf("first uncleanable offset %d, want the high watermark %d", p.firstUncleanable, hw)
	}
	if !l.cleaning.begin(p.gen) {
		t.Fatal("begin")
	}
	res, err := testThread(1<<20).clean(context.Background(), p, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if res.endOffset > hw {
		t.Fatalf("cleaned up to %d past the high watermark %d", res.endOffset, hw)
	}
}

func TestCleanMergesSmallSegments(t *testing.T) {
	l := compactLog(t, Config{MinCleanableDirtyRatio: 0.01}, nil)
	fillUpdates(t, l, 40, 3, 4, recordbatch.None, false)
	th := testThread(1 << 20)
	mustClean(t, l, th, 5000)
	first := l.NumSegments()
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "k0=last"))
	rollNow(t, l)
	before := logRecords(t, l)
	mustClean(t, l, th, 5000)
	if l.NumSegments() >= first {
		t.Fatalf("%d segments after the second cleaning, %d after the first: small cleaned segments were not merged", l.NumSegments(), first)
	}
	checkCompacted(t, before, logRecords(t, l), l.LogEndOffset(), false)
}
