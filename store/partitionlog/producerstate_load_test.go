package partitionlog

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

// producerFixture appends 40 batches from three producers (one bumping its
// epoch halfway) mixed with batches without a producer id, over segments
// of about six batches.
func producerFixture(t *testing.T, cfg Config) *Log {
	t.Helper()
	one := len(idemBatch(t, idem{pid: 1, records: 2}))
	cfg.SegmentBytes, cfg.IndexIntervalBytes = int64(6*one), 1
	l := testLog(t, cfg, nil)
	seqs := map[int64]int32{}
	for i := range 40 {
		pid := int64(i%4 + 1) // 4 means no producer id
		if pid == 4 {
			mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 8}))
			continue
		}
		epoch := int16(0)
		if pid == 2 && i >= 20 {
			if epoch = 1; i < 24 {
				seqs[pid] = 0 // the first batch of the new epoch
			}
		}
		mustAppend(t, l, idemBatch(t, idem{pid: pid, epoch: epoch, seq: seqs[pid], records: 2}))
		seqs[pid] += 2
	}
	return l
}

// replayAll is the producer state of the whole log, built from its
// batches as a consumer reads them.
func replayAll(t *testing.T, l *Log) producerMap {
	t.Helper()
	s := scratchState()
	for b := readAll(t, l, l.LogStartOffset()); len(b) > 0; {
		h, err := splitBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		if idempotent(h) {
			if err := s.replayBatch(h, func() (header, error) { return h, nil }, nil); err != nil {
				t.Fatal(err)
			}
		}
		b = b[len(h):]
	}
	return s.producers
}

// scratchState is a log with no segment, only producer state, for replays
// in memory.
func scratchState() *Log {
	l := &Log{producers: producerMap{}}
	l.txns.init()
	return l
}

// checkStateMatchesLog: the log's producers are those of the log, with
// the same epoch and last batch, and the batches held are the newest of
// those the log has (a snapshot keeps only each producer's last batch, so
// after one fewer may be held).
func checkStateMatchesLog(t *testing.T, l *Log) {
	t.Helper()
	got, want := l.ProducerStates(), replayAll(t, l).export()
	if len(got) != len(want) {
		t.Fatalf("%d producers, the log has %d:\n%+v\n%+v", len(got), len(want), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		n := len(g.Batches)
		if g.ProducerID != w.ProducerID || g.Epoch != w.Epoch || g.LastSequence != w.LastSequence ||
			g.LastTimestamp != w.LastTimestamp || n == 0 || n > len(w.Batches) ||
			!slices.Equal(g.Batches, w.Batches[len(w.Batches)-n:]) {
			t.Fatalf("producer state\n%+v\ndoes not match the log's\n%+v", g, w)
		}
	}
}

func TestProducerStateRecovery(t *testing.T) {
	tests := []struct {
		name  string
		clean bool
		edit  func(t testing.TB, dir string) // between close and open
		exact bool                           // every batch is read back: state identical to before
	}{
		{name: "clean shutdown", clean: true},
		{name: "crash recovers from the recovery point", clean: false},
		{name: "no snapshot at all", clean: false, edit: removeSnapshots, exact: true},
		{name: "clean shutdown without snapshot", clean: true, edit: removeSnapshots, exact: true},
		{name: "damaged newest snapshot", clean: true, edit: damageNewestSnapshot},
		{name: "every snapshot damaged", clean: false, edit: damageAllSnapshots, exact: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := producerFixture(t, Config{})
			before := l.ProducerStates()
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			if tt.edit != nil {
				tt.edit(t, l.Dir())
			}
			l = openAgain(t, l, tt.clean, 0)
			checkStateMatchesLog(t, l)
			if got := l.ProducerStates(); tt.exact && !reflect.DeepEqual(got, before) {
				t.Fatalf("rebuilt\n%+v\nbefore\n%+v", got, before)
			}
			// The rebuilt state still refuses and accepts what the old one did.
			runStep(t, l, 0, step{batches: []idem{{pid: 3, seq: 18, records: 2}}, offset: 76, dup: true})
			runStep(t, l, 1, step{batches: []idem{{pid: 2, epoch: 0, seq: 20}}, err: ErrInvalidProducerEpoch})
			runStep(t, l, 2, step{batches: []idem{{pid: 1, seq: 21}}, err: ErrOutOfOrderSequence})
			runStep(t, l, 3, step{batches: []idem{{pid: 1, seq: 20}}, offset: 80})
		})
	}
}

func snapshotFiles(t testing.TB, dir string) []int64 {
	t.Helper()
	offsets, err := listSnapshots(vfs.OS{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	return offsets
}

func removeSnapshots(t testing.TB, dir string) {
	for _, o := range snapshotFiles(t, dir) {
		if err := os.Remove(snapshotPath(dir, o)); err != nil {
			t.Fatal(err)
		}
	}
}

func damageNewestSnapshot(t testing.TB, dir string) {
	offsets := snapshotFiles(t, dir)
	path := snapshotPath(dir, offsets[len(offsets)-1])
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[12] ^= 0xff
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func damageAllSnapshots(t testing.TB, dir string) {
	for _, o := range snapshotFiles(t, dir) {
		if err := os.WriteFile(snapshotPath(dir, o), []byte{0, 1, 2}, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestProducerSnapshotsFollowTheSegments(t *testing.T) {
	l := producerFixture(t, Config{})
	bases := segmentBases(l)
	if got := snapshotFiles(t, l.Dir()); !slices.Equal(got, bases[1:]) {
		t.Fatalf("snapshots at %v, want one per rolled segment %v", got, bases[1:])
	}
	l.SetHighWatermark(l.LogEndOffset())
	if err := l.AdvanceLogStartOffset(bases[2]); err != nil {
		t.Fatal(err)
	}
	if got := snapshotFiles(t, l.Dir()); got[0] != bases[2] {
		t.Fatalf("after deleting two segments snapshots are %v", got)
	}
	// Kafka keeps producers whose batches were deleted until they expire.
	runStep(t, l, 0, step{batches: []idem{{pid: 3, seq: 18, records: 2}}, offset: 76, dup: true})
	if err := l.TruncateFullyAndStartAt(500); err != nil {
		t.Fatal(err)
	}
	if got := snapshotFiles(t, l.Dir()); len(got) != 0 || len(l.ProducerStates()) != 0 {
		t.Fatalf("after a full truncation: snapshots %v, state %+v", got, l.ProducerStates())
	}
}

func segmentBases(l *Log) []int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []int64
	for _, s := range l.segs {
		out = append(out, s.base)
	}
	return out
}

func TestProducerStateTruncation(t *testing.T) {
	tests := []struct {
		name string
		to   int64
	}{
		{"inside the last segment", 76},
		{"at a segment base", 72},
		{"below the last batches of every producer", 40},
		{"below the epoch bump", 38},
		{"to the first batch", 2},
		{"to nothing", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := producerFixture(t, Config{})
			if err := l.TruncateTo(tt.to); err != nil {
				t.Fatal(err)
			}
			checkStateMatchesLog(t, l)
			for _, o := range snapshotFiles(t, l.Dir()) {
				if o > tt.to {
					t.Fatalf("snapshot at %d survives a truncation to %d", o, tt.to)
				}
			}
			// Appending again continues from the truncated state, and a
			// reopen after a crash agrees with it.
			next := replayAll(t, l).entry(1).lastSeq() + 1
			runStep(t, l, 0, step{batches: []idem{{pid: 1, seq: next}}, offset: l.LogEndOffset()})
			before := l.ProducerStates()
			abandon(l)
			l = openAgain(t, l, false, 0)
			checkStateMatchesLog(t, l)
			if got := l.ProducerStates(); len(got) != len(before) {
				t.Fatalf("after a crash %d producers, before %d", len(got), len(before))
			}
		})
	}
}

func TestFollowerBuildsTheLeadersState(t *testing.T) {
	leader := producerFixture(t, Config{})
	follower := testLog(t, Config{SegmentBytes: leader.Config().SegmentBytes}, nil)
	for b := readAll(t, leader, 0); len(b) > 0; {
		h, err := splitBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := follower.AppendAsFollower(h); err != nil {
			t.Fatal(err)
		}
		b = b[len(h):]
	}
	if got, want := follower.ProducerStates(), leader.ProducerStates(); !reflect.DeepEqual(got, want) {
		t.Fatalf("follower\n%+v\nleader\n%+v", got, want)
	}
	// Promoted, the follower answers a retry of the leader's last batch.
	runStep(t, follower, 0, step{batches: []idem{{pid: 3, seq: 18, records: 2}}, offset: 76, dup: true})
}

func TestIdleProducersExpire(t *testing.T) {
	clock := newManualClock(1_000_000)
	l := testLog(t, Config{}, clock)
	l.producerIDExpirationMs = 60_000
	mustAppend(t, l, buildBatch(t, batchSpec{records: 2, producer: 5, baseTs: 1_000_000}))
	mustAppend(t, l, buildBatch(t, batchSpec{records: 2, producer: 6, baseTs: 1_030_000}))
	clock.advance(59_999 * time.Millisecond)
	if n := l.ExpireProducers(); n != 0 {
		t.Fatalf("expired %d producers before their time", n)
	}
	clock.advance(time.Millisecond)
	if n := l.ExpireProducers(); n != 1 || len(l.ProducerStates()) != 1 {
		t.Fatalf("expired %d, left %+v", n, l.ProducerStates())
	}
	// The forgotten producer is unknown: any sequence goes.
	if info := mustAppend(t, l, buildBatch(t, batchSpec{producer: 5, seq: 9, baseTs: 1_060_000})); info.FirstOffset != 4 {
		t.Fatalf("the expired producer's batch went to %d", info.FirstOffset)
	}
	// Producer 6, idle for 60 s at the next open, is still in the snapshot
	// written on close but not loaded from it.
	clock.advance(30_000 * time.Millisecond)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	o := logOptions{dir: l.Dir(), tp: l.tp, cfg: l.Config(), clock: clock, logger: discardLogger(), clean: true, producerIDExpirationMs: 60_000}
	l, err := openLog(o)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if got := l.ProducerStates(); len(got) != 1 || got[0].ProducerID != 5 || got[0].LastSequence != 9 {
		t.Fatalf("after reopening: %+v", got)
	}
}

func TestProducerSnapshotFormat(t *testing.T) {
	m := producerMap{}
	m.entry(1000).addBatch(3, producerBatch{lastSeq: 9, lastOffset: 41, offsetDelta: 4, timestamp: 1234})
	m.entry(2000).setEpoch(0)
	data := encodeProducerSnapshot(m)
	if len(data) != snapshotHeaderSize+2*snapshotEntrySize || data[1] != 1 {
		t.Fatalf("%d bytes, version byte %d", len(data), data[1])
	}
	// Kafka's field order, big-endian: id, epoch, last seq, last offset,
	// offset delta, timestamp, coordinator epoch, txn first offset.
	want := []byte{0, 0, 0, 0, 0, 0, 3, 0xe8, 0, 3, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 41, 0, 0, 0, 4,
		0, 0, 0, 0, 0, 0, 4, 0xd2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	if got := data[snapshotHeaderSize : snapshotHeaderSize+snapshotEntrySize]; !slices.Equal(got, want) {
		t.Fatalf("entry bytes\n%v\nwant\n%v", got, want)
	}
	back, err := decodeProducerSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.export(), m.export()) {
		t.Fatalf("round trip\n%+v\n%+v", back.export(), m.export())
	}
	for _, bad := range [][]byte{nil, data[:9], data[:len(data)-1], append(slices.Clone(data), 0)} {
		if _, err := decodeProducerSnapshot(bad); err == nil {
			t.Fatalf("decoded %d bytes", len(bad))
		}
	}
}

func TestStraySnapshotsAreRemovedOnOpen(t *testing.T) {
	l := producerFixture(t, Config{})
	dir := l.Dir()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	leo := l.LogEndOffset()
	for _, o := range []int64{leo + 10, 1 << 40} {
		if err := os.WriteFile(snapshotPath(dir, o), encodeProducerSnapshot(producerMap{}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l = openAgain(t, l, true, 0)
	checkStateMatchesLog(t, l)
	for _, o := range snapshotFiles(t, dir) {
		if o > leo {
			t.Fatalf("snapshot %s above the log end was kept", filepath.Base(snapshotPath(dir, o)))
		}
	}
}
