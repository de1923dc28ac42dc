package partitionlog

import (
	"errors"
	"math"
	"os"
	"reflect"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

// txnSummary is every piece of transactional state a log exposes, to
// compare a reopened or replicated log with the original.
type txnSummary struct {
	LEO, LSO  int64
	Ongoing   []OngoingTxn
	Aborted   []AbortedTxn
	Producers map[int64][3]int64 // epoch, coordinator epoch, transaction start
	Indexes   map[int64]string   // .txnindex bytes by segment base
}

// summarize sets the high watermark to the log end first, so every marker
// counts as replicated.
func summarize(t *testing.T, l *Log) txnSummary {
	t.Helper()
	l.SetHighWatermark(l.LogEndOffset())
	s := txnSummary{LEO: l.LogEndOffset(), LSO: l.LastStableOffset(), Ongoing: l.OngoingTransactions(),
		Aborted: l.AbortedTransactions(0, math.MaxInt64), Producers: map[int64][3]int64{}, Indexes: map[int64]string{}}
	for _, p := range l.ProducerStates() {
		s.Producers[p.ProducerID] = [3]int64{int64(p.Epoch), int64(p.CoordinatorEpoch), p.CurrentTxnStartOffset}
	}
	for _, base := range segmentBases(l) {
		b, err := os.ReadFile(segmentPath(l.Dir(), base, txnIndexSuffix))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if len(b) > 0 {
			s.Indexes[base] = string(b)
		}
	}
	return s
}

func checkSummary(t *testing.T, what string, got, want txnSummary) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n%+v\nwant\n%+v", what, got, want)
	}
}

func TestTxnStateSurvivesReopening(t *testing.T) {
	tests := []struct {
		name          string
		clean         bool
		recoverActive bool // recovery point at the active segment, else 0
		edit          func(t testing.TB, dir string)
	}{
		{name: "clean shutdown", clean: true},
		{name: "crash, every segment recovered"},
		{name: "crash, the active segment recovered from its snapshot", recoverActive: true},
		{name: "crash without snapshots", edit: removeSnapshots},
		{name: "crash without snapshots nor transaction indexes", edit: func(t testing.TB, dir string) {
			removeSnapshots(t, dir)
			removeFilesEnding(t, dir, txnIndexSuffix)
		}},
		{name: "clean shutdown with a torn transaction index tail", clean: true, edit: func(t testing.TB, dir string) {
			tearTxnIndexes(t, dir)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := txnLog(t, 300)
			want := summarize(t, l)
			if len(want.Indexes) < 3 {
				t.Fatalf("fixture spreads its aborts over %d segments", len(want.Indexes))
			}
			rp := int64(0)
			if tt.recoverActive {
				rp = l.active().base
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			if tt.edit != nil {
				tt.edit(t, l.Dir())
			}
			l = openAgain(t, l, tt.clean, rp)
			checkSummary(t, "reopened", summarize(t, l), want)
			// The open transaction still refuses a plain write of its producer.
			w := newTxnWriter(t, l)
			w.seqs[1] = 8 // its four batches took 0..7
			if _, err := w.apply(txnOp{pid: 1}); !errors.Is(err, ErrInvalidTxnState) {
				t.Fatalf("a plain batch of producer 1 during its transaction: %v", err)
			}
		})
	}
}

func removeFilesEnding(t testing.TB, dir, suffix string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if len(e.Name()) > len(suffix) && e.Name()[len(e.Name())-len(suffix):] == suffix {
			if err := os.Remove(dir + "/" + e.Name()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// tearTxnIndexes appends half an entry to every .txnindex.
func tearTxnIndexes(t testing.TB, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); len(n) > len(txnIndexSuffix) && n[len(n)-len(txnIndexSuffix):] == txnIndexSuffix {
			f, err := os.OpenFile(dir+"/"+n, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(make([]byte, 17))
			f.Close()
		}
	}
}

// TestTxnCrashCutAtEveryByte cuts the active segment at every byte (it
// holds markers and transactional batches), reopens after a crash, and
// compares with a log that received only the whole batches before the cut.
func TestTxnCrashCutAtEveryByte(t *testing.T) {
	l := txnLog(t, 300)
	active := l.active().base
	pos, kinds := activeBatches(t, l)
	if !kinds[recordbatch.AttrControl] || !kinds[recordbatch.AttrTransactional] {
		t.Fatalf("the active segment lacks a marker or a transactional batch: %v", kinds)
	}
	abandon(l)
	f := crashFixture{dir: l.Dir()}
	opsBefore := opsBelow(active)
	refs := map[int]txnSummary{} // by whole batches kept
	for _, rp := range []int64{0, active} {
		for cut := int64(0); cut <= pos[len(pos)-1]; cut++ {
			if rp != 0 && !nearBoundary(pos, cut) {
				continue // every byte once is enough; from the snapshot, the boundaries
			}
			dir := f.copyTo(t)
			if err := os.Truncate(segmentPath(dir, active, logSuffix), cut); err != nil {
				t.Fatal(err)
			}
			got := f.openTxn(t, dir, rp)
			whole := 0
			for whole+1 < len(pos) && pos[whole+1] <= cut {
				whole++
			}
			ref, ok := refs[whole]
			if !ok {
				ref = summarize(t, txnLog0(t, txnWorkload[:opsBefore+whole]))
				refs[whole] = ref
			}
			checkSummary(t, "cut at byte "+itoa(cut)+" recovering from "+itoa(rp), summarize(t, got), ref)
			got.Close()
		}
	}
}

func nearBoundary(pos []int64, cut int64) bool {
	for _, p := range pos {
		if cut >= p-1 && cut <= p+1 {
			return true
		}
	}
	return false
}

// activeBatches returns the start of each batch of the active segment,
// then its end, and which kinds of batch it holds.
func activeBatches(t *testing.T, l *Log) ([]int64, map[int16]bool) {
	t.Helper()
	seg := l.active()
	var pos []int64
	kinds := map[int16]bool{}
	sc := newHeaderScanner(seg.log, 0, seg.size.Load())
	defer sc.release()
	for p, h, ok := sc.next(); ok; p, h, ok = sc.next() {
		pos = append(pos, p)
		if h.Control() {
			kinds[recordbatch.AttrControl] = true
		} else if h.Transactional() {
			kinds[recordbatch.AttrTransactional] = true
		}
	}
	return append(pos, seg.size.Load()), kinds
}

// opsBelow counts the workload's ops (one batch each) whose batch ends
// at or below offset.
func opsBelow(offset int64) int {
	end := int64(0)
	for i, op := range txnWorkload {
		end += 2
		if op.marker {
			end--
		}
		if end > offset {
			return i
		}
	}
	return len(txnWorkload)
}

// txnLog0 is a log with segment.bytes 300 that received ops.
func txnLog0(t *testing.T, ops []txnOp) *Log {
	l := testLog(t, Config{SegmentBytes: 300, IndexIntervalBytes: 1, SegmentIndexBytes: 4096}, nil)
	newTxnWriter(t, l).run(ops...)
	return l
}

func (f crashFixture) openTxn(t *testing.T, dir string, recoveryPoint int64) *Log {
	t.Helper()
	l, err := openLog(logOptions{dir: dir, tp: testTP, cfg: Config{SegmentBytes: 300, IndexIntervalBytes: 1, SegmentIndexBytes: 4096},
		clock: newManualClock(1_000_000), logger: discardLogger(), recoveryPoint: recoveryPoint})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func itoa(n int64) string { return string(appendInt(nil, n)) }

func appendInt(b []byte, n int64) []byte {
	if n < 0 {
		return appendInt(append(b, '-'), -n)
	}
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// TestTxnTruncation: cutting a marker reopens its transaction and drops
// its aborted entry; cutting a transaction's first batch forgets it.
func TestTxnTruncation(t *testing.T) {
	for _, cut := range []int64{31, 29, 24, 20, 17, 16, 7, 6, 1} {
		l := txnLog(t, 300)
		if err := l.TruncateTo(cut); err != nil {
			t.Fatal(err)
		}
		ref := txnLog0(t, txnWorkload[:opsBelow(cut)])
		checkSummary(t, "truncated to "+itoa(cut), summarize(t, l), summarize(t, ref))
	}
}

// TestTxnIndexGoesWithItsSegment: retention and a log start move delete a
// segment's .txnindex with it.
func TestTxnIndexGoesWithItsSegment(t *testing.T) {
	l := txnLog(t, 300)
	bases := segmentBases(l)
	i := 0
	for ; i < len(bases); i++ {
		if _, err := os.Stat(segmentPath(l.Dir(), bases[i], txnIndexSuffix)); err == nil {
			break
		}
	}
	if i+1 >= len(bases) {
		t.Fatal("no closed segment has a transaction index")
	}
	path := segmentPath(l.Dir(), bases[i], txnIndexSuffix)
	if err := l.AdvanceLogStartOffset(bases[i+1]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the deleted segment's transaction index remains: %v", err)
	}
	if got := l.AbortedTransactions(0, math.MaxInt64); len(got) == 0 || got[0] == wantAborted[0] {
		t.Fatalf("aborted after deletion %+v", got)
	}
}

func TestFollowerBuildsTheLeadersTxnState(t *testing.T) {
	leader := txnLog(t, 300)
	follower := testLog(t, Config{SegmentBytes: 300, IndexIntervalBytes: 1, SegmentIndexBytes: 4096}, nil)
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
	checkSummary(t, "follower", summarize(t, follower), summarize(t, leader))
}

// TestCleanerCarriesTheTxnIndex: segments cleaned into one keep their
// aborted transactions, in the cleaned segment's .txnindex, across a
// reopening too.
func TestCleanerCarriesTheTxnIndex(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	txnKeyed := func(pid int64, seq int32, kv string) []byte {
		return keyedBatch(t, batchSpec{producer: pid, seq: seq, editBatch: func(b *kmsgBatch) { b.Attributes |= recordbatch.AttrTransactional }}, kv)
	}
	w := newTxnWriter(t, l)
	mustAppend(t, l, txnKeyed(7, 0, "a=1"))
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "b=1"))
	w.run(abort(7))
	rollNow(t, l)
	mustAppend(t, l, txnKeyed(8, 0, "a=2"))
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "b=2"))
	w.run(abort(8))
	rollNow(t, l)
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "b=3"))
	rollNow(t, l)
	before := l.AbortedTransactions(0, math.MaxInt64)
	if len(before) != 2 {
		t.Fatalf("aborted before cleaning %+v", before)
	}
	segs := l.NumSegments()
	mustClean(t, l, testThread(1<<20), 5000)
	if l.NumSegments() >= segs {
		t.Fatalf("%d segments after cleaning, %d before: nothing merged", l.NumSegments(), segs)
	}
	want := summarize(t, l)
	if !reflect.DeepEqual(want.Aborted, before) {
		t.Fatalf("aborted after cleaning %+v, want %+v", want.Aborted, before)
	}
	if b := want.Indexes[segmentBases(l)[0]]; len(b) != 2*txnIndexEntrySize {
		t.Fatalf("the cleaned segment's .txnindex holds %d bytes: %v", len(b), want.Indexes)
	}
	for _, clean := range []bool{true, false} {
		l = reopen(t, l, clean, 0)
		checkSummary(t, "reopened after cleaning", summarize(t, l), want)
	}
}
