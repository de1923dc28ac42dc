package partitionlog

import (
	"context"
	"testing"
	"time"
)

// A wall clock stepped forward or back by hours deletes nothing at the
// next retention or producer-expiry pass: retention.ms and
// producer.id.expiration.ms (one hour here) read the guarded clock, which
// takes a forward step only as fast as twice the real time passing. Once
// enough real time has passed, both still delete.
func TestClockJumpsDeleteNothing(t *testing.T) {
	const start = int64(1_700_000_000_000)
	tests := []struct {
		name string
		jump time.Duration
		// after is the real time that then passes before what is past
		// retention is deleted, when the test expects it at all.
		after   time.Duration
		deletes bool
	}{
		{name: "forward 6h, caught up at twice real time", jump: 6 * time.Hour, after: 31 * time.Minute, deletes: true},
		{name: "forward 6h, half an hour later", jump: 6 * time.Hour, after: 29 * time.Minute},
		{name: "back 6h", jump: -6 * time.Hour, after: 61 * time.Minute},
		{name: "forward 1s (slack) then an hour", jump: time.Second, after: time.Hour, deletes: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newManualClock(start)
			m, l := jumpTestLog(t, clock, start)
			m.retentionPass() // the passes before the jump read the clock
			m.producerExpiryPass()
			clock.jump(tc.jump)
			m.retentionPass()
			m.producerExpiryPass()
			if got := l.LogStartOffset(); got != 0 {
				t.Fatalf("retention deleted up to %d right after a %v step", got, tc.jump)
			}
			if got := len(l.ProducerStates()); got != 1 {
				t.Fatalf("%d producers left right after a %v step, want 1", got, tc.jump)
			}
			clock.advance(tc.after)
			m.retentionPass()
			m.producerExpiryPass()
			if deleted := l.LogStartOffset() > 0; deleted != tc.deletes {
				t.Fatalf("%v after the step: log start %d, want deleted %v", tc.after, l.LogStartOffset(), tc.deletes)
			}
			if expired := len(l.ProducerStates()) == 0; expired != tc.deletes {
				t.Fatalf("%v after the step: producers %+v, want expired %v", tc.after, l.ProducerStates(), tc.deletes)
			}
		})
	}
}

// jumpTestLog is a manager with one partition of three one-batch
// segments written at start by one idempotent producer, all committed,
// retention.ms and producer.id.expiration.ms one hour.
func jumpTestLog(t *testing.T, clock *manualClock, start int64) (*Manager, *Log) {
	t.Helper()
	m, err := OpenManager([]string{t.TempDir()}, ManagerOptions{Logger: discardLogger(), Clock: clock,
		ProducerIDExpiration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	one := int64(len(buildBatch(t, batchSpec{producer: 7, baseTs: start})))
	l, err := m.Create(testTP, [16]byte{9}, Config{SegmentBytes: one, RetentionMs: time.Hour.Milliseconds(), FileDeleteDelayMs: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		mustAppend(t, l, buildBatch(t, batchSpec{producer: 7, seq: int32(i), baseTs: start}))
	}
	l.SetHighWatermark(3)
	return m, l
}

// A follower's truncation that rebuilds the producer state after a
// forward step keeps the producers: the rebuild expires them by the
// guarded clock too, or the new leader would take an idempotent
// producer's retry of a written batch as new.
func TestClockJumpKeepsProducersThroughTruncation(t *testing.T) {
	const start = int64(1_700_000_000_000)
	clock := newManualClock(start)
	m, err := OpenManager([]string{t.TempDir()}, ManagerOptions{Logger: discardLogger(), Clock: clock, ProducerIDExpiration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	l, err := m.Create(testTP, [16]byte{9}, Config{SegmentBytes: int64(len(buildBatch(t, batchSpec{producer: 7, baseTs: start})))})
	if err != nil {
		t.Fatal(err)
	}
	for i := range batchesToRetain + 2 { // the state keeps the last five
		mustAppend(t, l, buildBatch(t, batchSpec{producer: 7, seq: int32(i), baseTs: start}))
	}
	m.producerExpiryPass() // a pass before the step reads the clock
	clock.jump(6 * time.Hour)
	if err := l.TruncateTo(2); err != nil { // below every batch the state holds: a rebuild
		t.Fatal(err)
	}
	if got := len(l.ProducerStates()); got != 1 {
		t.Fatalf("%d producers after a truncation 6 h of wall clock later, want 1", got)
	}
}

// A tombstone outlives a forward step: its delete horizon
// (delete.retention.ms after the cleaning that first kept it) is compared
// with the guarded clock, so consumers still reading the log see the
// delete for about delete.retention.ms of real time, at least half of it.
func TestClockJumpKeepsTombstones(t *testing.T) {
	clock := newManualClock(1_700_000_000_000)
	m, err := OpenManager([]string{t.TempDir()}, ManagerOptions{Logger: discardLogger(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	l, err := m.Create(testTP, [16]byte{9}, Config{Compacted: true, SegmentBytes: 600, IndexIntervalBytes: 64,
		MinCleanableDirtyRatio: 0.01, DeleteRetentionMs: 60_000})
	if err != nil {
		t.Fatal(err)
	}
	c, th := &logCleaner{m: m, throttle: newThrottler(0)}, testThread(1<<20)
	clean := func(records ...string) {
		t.Helper()
		mustAppend(t, l, keyedBatch(t, batchSpec{}, records...))
		rollNow(t, l)
		l.SetHighWatermark(l.LogEndOffset())
		if !c.cleanFilthiest(context.Background(), th, discardLogger()) {
			t.Fatal("nothing to clean")
		}
	}
	clean("a=1", "b=1")
	clean("a", "b=2") // the tombstone of a gets its delete horizon
	checkKeys(t, l, "2:a(tomb)", "3:b=2")
	clock.jump(6 * time.Hour)
	clean("c=1")
	checkKeys(t, l, "2:a(tomb)", "3:b=2", "4:c=1")
	clock.advance(31 * time.Second) // the guard: 62 s on, past the horizon
	clean("c=2")
	checkKeys(t, l, "3:b=2", "5:c=2")
}
