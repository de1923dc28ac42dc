package partitionlog

import (
	"errors"
	"math"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// txnOp is one step of a transactional workload: a data batch of a
// producer (transactional or not), or a marker.
type txnOp struct {
	pid    int64
	txn    bool // data: transactional
	marker bool
	commit bool
	epoch  int16
	cEpoch int32 // marker's coordinator epoch
}

func data(pid int64, txn bool) txnOp { return txnOp{pid: pid, txn: txn} }
func abort(pid int64) txnOp          { return txnOp{pid: pid, marker: true} }
func commit(pid int64) txnOp         { return txnOp{pid: pid, marker: true, commit: true} }

// txnWriter applies ops to a leader log, tracking each producer's sequence.
type txnWriter struct {
	t    testing.TB
	l    *Log
	seqs map[int64]int32
}

func newTxnWriter(t testing.TB, l *Log) *txnWriter {
	return &txnWriter{t: t, l: l, seqs: map[int64]int32{}}
}

func (w *txnWriter) apply(op txnOp) (AppendInfo, error) {
	if op.marker {
		return w.l.AppendTxnMarker(TxnMarker{ProducerID: op.pid, ProducerEpoch: op.epoch, CoordinatorEpoch: op.cEpoch, Commit: op.commit}, 0)
	}
	info, err := w.l.Append(idemBatch(w.t, idem{pid: op.pid, epoch: op.epoch, seq: w.seqs[op.pid], records: 2, txn: op.txn}), 0)
	if err == nil {
		w.seqs[op.pid] += 2
	}
	return info, err
}

func (w *txnWriter) run(ops ...txnOp) {
	w.t.Helper()
	for i, op := range ops {
		if _, err := w.apply(op); err != nil {
			w.t.Fatalf("op %d %+v: %v", i, op, err)
		}
	}
}

// txnWorkload interleaves three transactional producers, a plain
// idempotent one (4) and a stray marker (5), leaving producer 1's third
// transaction open. Offsets: each data batch holds 2 records, a marker 1.
var txnWorkload = []txnOp{
	data(1, true), data(2, true), data(1, true), abort(1), // 0 2 4 6
	data(4, false), data(3, true), commit(2), data(1, true), // 7 9 11 12
	data(3, true), abort(3), abort(1), data(2, true), // 14 16 17 18
	abort(2), commit(5), data(4, false), data(1, true), // 20 21 22 24
	data(3, true), commit(3), data(2, true), abort(2), // 26 28 29 31
}

// wantAborted is what txnWorkload aborts, with Kafka's last stable offsets.
var wantAborted = []AbortedTxn{
	{ProducerID: 1, FirstOffset: 0, LastOffset: 6, LastStableOffset: 2},   // 2 ongoing since 2
	{ProducerID: 3, FirstOffset: 9, LastOffset: 16, LastStableOffset: 12}, // 1 ongoing since 12
	{ProducerID: 1, FirstOffset: 12, LastOffset: 17, LastStableOffset: 18},
	{ProducerID: 2, FirstOffset: 18, LastOffset: 20, LastStableOffset: 21},
	{ProducerID: 2, FirstOffset: 29, LastOffset: 31, LastStableOffset: 24}, // 1 ongoing since 24
}

func txnLog(t testing.TB, segmentBytes int64) *Log {
	t.Helper()
	cfg := Config{IndexIntervalBytes: 1, SegmentIndexBytes: 4096} // small preallocated indexes: cheap to copy
	if segmentBytes > 0 {
		cfg.SegmentBytes = segmentBytes
	}
	l := testLog(t, cfg, nil)
	newTxnWriter(t, l).run(txnWorkload...)
	l.SetHighWatermark(l.LogEndOffset())
	return l
}

func TestTxnWorkload(t *testing.T) {
	for _, segBytes := range []int64{0, 300} {
		l := txnLog(t, segBytes)
		if segBytes > 0 && l.NumSegments() < 4 {
			t.Fatalf("%d segments", l.NumSegments())
		}
		if got := l.AbortedTransactions(0, math.MaxInt64); !reflect.DeepEqual(got, wantAborted) {
			t.Fatalf("segment.bytes %d: aborted\n%+v\nwant\n%+v", segBytes, got, wantAborted)
		}
		if got := l.LastStableOffset(); got != 24 {
			t.Fatalf("LSO %d, want 24 (producer 1's open transaction)", got)
		}
		want := []OngoingTxn{{ProducerID: 1, FirstOffset: 24}}
		got := l.OngoingTransactions()
		for i := range got {
			got[i].LastTimestamp = 0
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ongoing %+v, want %+v", got, want)
		}
		checkTxnStates(t, l, map[int64][2]int64{1: {0, 24}, 2: {0, -1}, 3: {0, -1}, 4: {-1, -1}, 5: {0, -1}})
	}
}

// checkTxnStates compares each producer's coordinator epoch and ongoing
// transaction start.
func checkTxnStates(t *testing.T, l *Log, want map[int64][2]int64) {
	t.Helper()
	got := map[int64][2]int64{}
	for _, s := range l.ProducerStates() {
		got[s.ProducerID] = [2]int64{int64(s.CoordinatorEpoch), s.CurrentTxnStartOffset}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("coordinator epochs and transaction starts %v, want %v", got, want)
	}
}

// TestAbortedTransactionsRanges: for every range, the answer (found from
// the segment holding from, stopping at a last stable offset past upTo)
// is exactly the entries overlapping it.
func TestAbortedTransactionsRanges(t *testing.T) {
	l := txnLog(t, 300)
	end := l.LogEndOffset()
	for from := int64(0); from <= end; from++ {
		for upTo := from; upTo <= end+1; upTo++ {
			var want []AbortedTxn
			for _, e := range wantAborted {
				if e.LastOffset >= from && e.FirstOffset < upTo {
					want = append(want, e)
				}
			}
			if got := l.AbortedTransactions(from, upTo); !reflect.DeepEqual(got, want) {
				t.Fatalf("[%d, %d): %+v, want %+v", from, upTo, got, want)
			}
		}
	}
}

func TestTxnRules(t *testing.T) {
	tests := []struct {
		name string
		ops  []txnOp
		err  error // of the last op
	}{
		{"a plain batch during a transaction is INVALID_TXN_STATE",
			[]txnOp{data(1, true), data(1, false)}, ErrInvalidTxnState},
		{"after the marker a plain batch is fine",
			[]txnOp{data(1, true), commit(1), data(1, false)}, nil},
		{"a marker of an older epoch is INVALID_PRODUCER_EPOCH",
			[]txnOp{{pid: 1, txn: true, epoch: 2}, {pid: 1, marker: true, epoch: 1}}, ErrInvalidProducerEpoch},
		{"a marker of an older coordinator epoch is fenced",
			[]txnOp{data(1, true), {pid: 1, marker: true, cEpoch: 3}, data(1, true), {pid: 1, marker: true, cEpoch: 2}},
			ErrTransactionCoordinatorFenced},
		{"a marker of a newer epoch moves the producer to it (its sequence restarts)",
			[]txnOp{data(1, true), {pid: 1, marker: true, epoch: 1}, {pid: 1, epoch: 1}}, ErrOutOfOrderSequence},
		{"a marker without transaction is written",
			[]txnOp{commit(9), abort(9)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLog(t, Config{}, nil)
			w := newTxnWriter(t, l)
			w.run(tt.ops[:len(tt.ops)-1]...)
			leo := l.LogEndOffset()
			_, err := w.apply(tt.ops[len(tt.ops)-1])
			if !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if err != nil && l.LogEndOffset() != leo {
				t.Fatalf("a refused op moved the log end %d -> %d", leo, l.LogEndOffset())
			}
		})
	}
}

func TestNoAbortedEntryForAMarkerWithoutTransaction(t *testing.T) {
	l := testLog(t, Config{}, nil)
	newTxnWriter(t, l).run(abort(9), abort(9))
	if got := l.AbortedTransactions(0, math.MaxInt64); got != nil {
		t.Fatalf("aborted %+v", got)
	}
	if _, err := os.Stat(l.active().path(txnIndexSuffix)); !os.IsNotExist(err) {
		t.Fatalf("a .txnindex exists without entry: %v", err)
	}
}

func TestTxnMarkerBatch(t *testing.T) {
	for _, commit := range []bool{false, true} {
		m := TxnMarker{ProducerID: 42, ProducerEpoch: 3, CoordinatorEpoch: 7, Commit: commit}
		b := encodeMarker(m, 5, 1234)
		var kb kmsg.RecordBatch
		if err := kb.ReadFrom(b); err != nil {
			t.Fatal(err)
		}
		if kb.Attributes != recordbatch.AttrControl|recordbatch.AttrTransactional || kb.ProducerID != 42 || kb.ProducerEpoch != 3 ||
			kb.FirstSequence != -1 || kb.NumRecords != 1 || kb.FirstTimestamp != 1234 || kb.MaxTimestamp != 1234 ||
			kb.PartitionLeaderEpoch != 5 || kb.Magic != 2 || int(kb.Length) != len(b)-recordbatch.LogOverhead {
			t.Fatalf("batch %+v", kb)
		}
		if err := checkCRC(header(b)); err != nil {
			t.Fatal(err)
		}
		var r kmsg.Record
		if err := r.ReadFrom(kb.Records); err != nil {
			t.Fatal(err)
		}
		var key kmsg.ControlRecordKey
		var value kmsg.EndTxnMarker
		if key.ReadFrom(r.Key) != nil || value.ReadFrom(r.Value) != nil || key.Version != 0 || value.Version != 0 ||
			(key.Type == 1) != commit || value.CoordinatorEpoch != 7 {
			t.Fatalf("key %+v value %+v", key, value)
		}
		if got, ok := markerOf(header(b)); !ok || got != m {
			t.Fatalf("markerOf %+v %v, want %+v", got, ok, m)
		}
	}
}

func TestLastStableOffsetFollowsTheHighWatermark(t *testing.T) {
	l := testLog(t, Config{}, nil)
	w := newTxnWriter(t, l)
	type check struct {
		op      *txnOp
		hw, lso int64
	}
	op := func(o txnOp) *txnOp { return &o }
	steps := []check{
		{op: op(data(4, false)), hw: 2, lso: 2},
		{op: op(data(1, true)), hw: 4, lso: 2},  // 1 ongoing at 2
		{op: op(data(2, true)), hw: 6, lso: 2},  // 2 ongoing at 4
		{op: op(commit(1)), hw: 6, lso: 2},      // 1's marker at 6 above the HW
		{hw: 7, lso: 4},                         // replicated: 2's start is next
		{op: op(abort(2)), hw: 7, lso: 4},       // marker at 7 not replicated
		{hw: 8, lso: 8},                         // nothing unstable
		{op: op(data(1, true)), hw: 10, lso: 8}, // 1 ongoing at 8
	}
	for i, s := range steps {
		ch := l.Changed()
		if s.op != nil {
			w.run(*s.op)
		}
		l.SetHighWatermark(s.hw)
		if got := l.LastStableOffset(); got != s.lso {
			t.Fatalf("step %d: LSO %d, want %d", i, got, s.lso)
		}
		select {
		case <-ch:
		default:
			t.Fatalf("step %d: no wake-up", i)
		}
	}
}

// TestTxnIndexFileFormat: the file is Kafka's, entry by entry.
func TestTxnIndexFileFormat(t *testing.T) {
	l := txnLog(t, 0)
	got, err := os.ReadFile(l.active().path(txnIndexSuffix))
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for _, e := range wantAborted {
		want = appendTxnIndexEntry(want, e)
	}
	if !slices.Equal(got, want) || len(got) != 34*len(wantAborted) {
		t.Fatalf("file\n%x\nwant\n%x", got, want)
	}
	if got[0] != 0 || got[1] != 0 || got[9] != 1 || got[25] != 6 || got[33] != 2 {
		t.Fatalf("first entry %x is not version 0, pid 1, last 6, lso 2", got[:34])
	}
}
