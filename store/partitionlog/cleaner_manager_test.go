package partitionlog

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/vfs"
)

func compactManager(t *testing.T, dir string, cleaner CleanerOptions) *Manager {
	t.Helper()
	m, err := OpenManager([]string{dir}, ManagerOptions{
		Logger:  discardLogger(),
		Cleaner: cleaner,
		Config: func(TopicPartition) Config {
			return Config{Compacted: true, SegmentBytes: 600, MinCleanableDirtyRatio: 0.01}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestManagerRunCompactsAndCheckpoints(t *testing.T) {
	dir := t.TempDir()
	m := compactManager(t, dir, CleanerOptions{Backoff: 5 * time.Millisecond, Threads: 2})
	cfg := Config{Compacted: true, SegmentBytes: 600, MinCleanableDirtyRatio: 0.01}
	logs := make([]*Log, 3)
	for i := range logs {
		l, err := m.Create(TopicPartition{Topic: "compacted", Partition: int32(i)}, [16]byte{9}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		fillUpdates(t, l, 30, 3, 4, recordbatch.None, false)
		l.SetHighWatermark(l.LogEndOffset())
		logs[i] = l
	}
	plain, err := m.Create(TopicPartition{Topic: "plain", Partition: 0}, [16]byte{8}, Config{SegmentBytes: 600})
	if err != nil {
		t.Fatal(err)
	}
	fillUpdates(t, plain, 30, 3, 4, recordbatch.None, false)
	plain.SetHighWatermark(plain.LogEndOffset())
	plainSize := plain.Size()

	ctx, cancel := contextWithCancel()
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	for _, l := range logs {
		waitFor(t, "the cleaner to compact "+l.tp.String(), func() bool {
			off, ok := l.cleaning.checkpoint()
			return ok && off == l.LogEndOffset()
		})
		if n := len(logRecords(t, l)); n != 4 {
			t.Fatalf("%s keeps %d records, want 4", l.tp, n)
		}
	}
	cancel()
	<-done
	if plain.Size() != plainSize {
		t.Fatal("the cleaner touched a topic without cleanup.policy=compact")
	}
	ckpt, err := readOffsetCheckpoint(vfs.OS{}, filepath.Join(dir, cleanerOffsetFile))
	if err != nil || len(ckpt) != 3 {
		t.Fatalf("cleaner-offset-checkpoint %v (%v), want the 3 compacted partitions", ckpt, err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := compactManager(t, dir, CleanerOptions{Disabled: true})
	defer m2.Close()
	for _, l := range logs {
		l2, _ := m2.Get(l.tp)
		if off, ok := l2.cleaning.checkpoint(); !ok || off != l.LogEndOffset() {
			t.Fatalf("%s: checkpoint after restart %d (%v), want %d", l.tp, off, ok, l.LogEndOffset())
		}
	}
}

func TestManagerRunCleanerStopsPromptly(t *testing.T) {
	m := compactManager(t, t.TempDir(), CleanerOptions{Backoff: time.Hour})
	defer m.Close()
	ctx, cancel := contextWithCancel()
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel while the cleaner backed off for an hour")
	}
}

func TestCleanerThreadsNeverShareALog(t *testing.T) {
	m := compactManager(t, t.TempDir(), CleanerOptions{Disabled: true})
	defer m.Close()
	l, err := m.Create(TopicPartition{Topic: "c", Partition: 0}, [16]byte{1}, Config{Compacted: true, SegmentBytes: 600})
	if err != nil {
		t.Fatal(err)
	}
	fillUpdates(t, l, 10, 2, 3, recordbatch.None, false)
	l.SetHighWatermark(l.LogEndOffset())
	c := &logCleaner{m: m}
	first, ok := c.pick(discardLogger())
	if !ok || first.log != l {
		t.Fatal("the dirty log was not picked")
	}
	if _, ok := c.pick(discardLogger()); ok {
		t.Fatal("a log in progress was picked again")
	}
	l.cleaning.end(first.gen, 0, false)
	l.cleaning.markUncleanable()
	if _, ok := c.pick(discardLogger()); ok {
		t.Fatal("an uncleanable log was picked")
	}
}

func TestCleanerSkipsALogItCannotClean(t *testing.T) {
	m := compactManager(t, t.TempDir(), CleanerOptions{Disabled: true})
	defer m.Close()
	l, err := m.Create(TopicPartition{Topic: "c", Partition: 0}, [16]byte{1}, Config{Compacted: true, SegmentBytes: 600})
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "a=1", "b=1", "c=1", "d=1"))
	rollNow(t, l)
	l.SetHighWatermark(l.LogEndOffset())
	c := &logCleaner{m: m}
	th := testThread(3 * mapSlotBytes) // two keys fit, the batch has four
	ctx, cancel := contextWithCancel()
	defer cancel()
	if !c.cleanFilthiest(ctx, th, discardLogger()) {
		t.Fatal("the dirty log was not tried")
	}
	if l.cleaning.available() {
		t.Fatal("a log whose first dirty batch does not fit the map stays available, to be retried in a loop")
	}
	if c.cleanFilthiest(ctx, th, discardLogger()) {
		t.Fatal("an uncleanable log was tried again")
	}
}
