package partitionlog

import (
	"errors"
	"math"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// idem describes one idempotent batch of a test: producer, epoch, base
// sequence and record count (0 means 1).
type idem struct {
	pid     int64
	epoch   int16
	seq     int32
	records int
	txn     bool
}

func idemBatch(t testing.TB, b idem) []byte {
	t.Helper()
	return buildBatch(t, batchSpec{records: max(b.records, 1), valueSize: 8, producer: b.pid, seq: b.seq,
		editBatch: func(kb *kmsg.RecordBatch) {
			kb.ProducerEpoch = b.epoch
			if b.txn {
				kb.Attributes |= recordbatch.AttrTransactional
			}
		}})
}

// step is one append of a rules test and what it must give: the base
// offset written (or answered, for a duplicate), or an error.
type step struct {
	batches []idem
	offset  int64
	dup     bool
	err     error
}

func TestProducerRules(t *testing.T) {
	const p = 7
	tests := []struct {
		name  string
		steps []step
	}{
		{"an unknown producer may start at any sequence", []step{
			{batches: []idem{{pid: p, seq: 42, records: 2}}, offset: 0},
			{batches: []idem{{pid: p, seq: 44}}, offset: 2},
		}},
		{"a resent batch answers its original offset and writes nothing", []step{
			{batches: []idem{{pid: p, seq: 0, records: 2}}, offset: 0},
			{batches: []idem{{pid: p, seq: 2, records: 3}}, offset: 2},
			{batches: []idem{{pid: p, seq: 0, records: 2}}, offset: 0, dup: true},
			{batches: []idem{{pid: p, seq: 2, records: 3}}, offset: 2, dup: true},
			{batches: []idem{{pid: p, seq: 5}}, offset: 5},
		}},
		{"a gap is OUT_OF_ORDER_SEQUENCE_NUMBER", []step{
			{batches: []idem{{pid: p, seq: 0, records: 2}}, offset: 0},
			{batches: []idem{{pid: p, seq: 3}}, err: ErrOutOfOrderSequence},
			{batches: []idem{{pid: p, seq: 2}}, offset: 2},
		}},
		{"a sequence overlapping a written batch is out of order", []step{
			{batches: []idem{{pid: p, seq: 0, records: 3}}, offset: 0},
			{batches: []idem{{pid: p, seq: 1, records: 2}}, err: ErrOutOfOrderSequence},
		}},
		{"an older epoch is INVALID_PRODUCER_EPOCH", []step{
			{batches: []idem{{pid: p, epoch: 3, seq: 0}}, offset: 0},
			{batches: []idem{{pid: p, epoch: 2, seq: 1}}, err: ErrInvalidProducerEpoch},
			{batches: []idem{{pid: p, epoch: 2, seq: 0}}, err: ErrInvalidProducerEpoch},
		}},
		{"a new epoch starts at 0 and forgets the old batches", []step{
			{batches: []idem{{pid: p, epoch: 0, seq: 0}}, offset: 0},
			{batches: []idem{{pid: p, epoch: 1, seq: 1}}, err: ErrOutOfOrderSequence},
			{batches: []idem{{pid: p, epoch: 1, seq: 0}}, offset: 1},
			{batches: []idem{{pid: p, epoch: 0, seq: 0}}, err: ErrInvalidProducerEpoch},
			{batches: []idem{{pid: p, epoch: 1, seq: 0}}, offset: 1, dup: true},
			{batches: []idem{{pid: p, epoch: 1, seq: 1}}, offset: 2},
		}},
		{"the sequence wraps from MaxInt32 to 0", []step{
			{batches: []idem{{pid: p, seq: math.MaxInt32 - 1, records: 2}}, offset: 0},
			{batches: []idem{{pid: p, seq: 0, records: 3}}, offset: 2},
			{batches: []idem{{pid: p, seq: math.MaxInt32 - 1, records: 2}}, offset: 0, dup: true},
			{batches: []idem{{pid: p, seq: 3}}, offset: 5},
		}},
		{"a batch straddling MaxInt32 wraps inside", []step{
			{batches: []idem{{pid: p, seq: math.MaxInt32, records: 3}}, offset: 0},
			{batches: []idem{{pid: p, seq: math.MaxInt32, records: 3}}, offset: 0, dup: true},
			{batches: []idem{{pid: p, seq: 2}}, offset: 3},
		}},
		{"five batches are remembered, not six", []step{
			{batches: []idem{{pid: p, seq: 0}}, offset: 0},
			{batches: []idem{{pid: p, seq: 1}}, offset: 1},
			{batches: []idem{{pid: p, seq: 2}}, offset: 2},
			{batches: []idem{{pid: p, seq: 3}}, offset: 3},
			{batches: []idem{{pid: p, seq: 4}}, offset: 4},
			{batches: []idem{{pid: p, seq: 5}}, offset: 5},
			{batches: []idem{{pid: p, seq: 1}}, offset: 1, dup: true},
			{batches: []idem{{pid: p, seq: 3}}, offset: 3, dup: true},
			{batches: []idem{{pid: p, seq: 5}}, offset: 5, dup: true},
			{batches: []idem{{pid: p, seq: 0}}, err: ErrOutOfOrderSequence},
		}},
		{"several batches of one producer in one append follow each other", []step{
			{batches: []idem{{pid: p, seq: 0, records: 2}, {pid: p, seq: 2}, {pid: p, seq: 3, records: 2}}, offset: 0},
			{batches: []idem{{pid: p, seq: 5}, {pid: p, seq: 7}}, err: ErrOutOfOrderSequence},
			{batches: []idem{{pid: p, seq: 2}}, offset: 2, dup: true},
			{batches: []idem{{pid: p, seq: 5}, {pid: p, seq: 6}}, offset: 5},
		}},
		{"producers are independent", []step{
			{batches: []idem{{pid: 1, seq: 0}, {pid: 2, seq: 10}}, offset: 0},
			{batches: []idem{{pid: 2, seq: 11}, {pid: 1, seq: 1}}, offset: 2},
			{batches: []idem{{pid: 1, seq: 1}}, offset: 3, dup: true},
			{batches: []idem{{pid: 2, seq: 13}}, err: ErrOutOfOrderSequence},
		}},
		{"batches without a producer id are never duplicates", []step{
			{batches: []idem{{pid: -1, seq: -1}}, offset: 0},
			{batches: []idem{{pid: -1, seq: -1}}, offset: 1},
		}},
		{"a transactional batch begins a transaction, a plain one then is INVALID_TXN_STATE", []step{
			{batches: []idem{{pid: p, seq: 0, txn: true}}, offset: 0},
			{batches: []idem{{pid: p, seq: 1, txn: true}}, offset: 1},
			{batches: []idem{{pid: p, seq: 2}}, err: ErrInvalidTxnState},
			{batches: []idem{{pid: 8, seq: 0}}, offset: 2},
		}},
		{"a plain batch after a transactional one in the same append is INVALID_TXN_STATE", []step{
			{batches: []idem{{pid: p, seq: 0, txn: true}, {pid: p, seq: 1}}, err: ErrInvalidTxnState},
			{batches: []idem{{pid: p, seq: 0}, {pid: p, seq: 1, txn: true}}, offset: 0},
		}},
		{"a transactional batch without producer id is INVALID_RECORD", []step{
			{batches: []idem{{pid: -1, seq: -1, txn: true}}, err: ErrInvalidRecord},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLog(t, Config{}, nil)
			for i, s := range tt.steps {
				runStep(t, l, i, s)
			}
		})
	}
}

func runStep(t *testing.T, l *Log, i int, s step) {
	t.Helper()
	var payload [][]byte
	for _, b := range s.batches {
		payload = append(payload, idemBatch(t, b))
	}
	leo := l.LogEndOffset()
	info, err := l.Append(concat(payload...), 0)
	if s.err != nil {
		if !errors.Is(err, s.err) || l.LogEndOffset() != leo {
			t.Fatalf("step %d: err %v, log end %d -> %d; want %v and nothing written", i, err, leo, l.LogEndOffset(), s.err)
		}
		return
	}
	if err != nil {
		t.Fatalf("step %d: %v", i, err)
	}
	if info.FirstOffset != s.offset || info.Duplicate != s.dup {
		t.Fatalf("step %d: offset %d duplicate %v, want %d %v", i, info.FirstOffset, info.Duplicate, s.offset, s.dup)
	}
	if s.dup && l.LogEndOffset() != leo {
		t.Fatalf("step %d: a duplicate moved the log end %d -> %d", i, leo, l.LogEndOffset())
	}
}

// TestDuplicateAnswersTheOriginalAppend: the last offset (what acks=all
// waits for) and the timestamp are those of the first write.
func TestDuplicateAnswersTheOriginalAppend(t *testing.T) {
	l := testLog(t, Config{TimestampType: LogAppendTime}, nil)
	mustAppend(t, l, buildBatch(t, batchSpec{records: 3}))
	first := mustAppend(t, l, idemBatch(t, idem{pid: 9, seq: 0, records: 4}))
	l.clock.(*manualClock).advance(5000)
	again := mustAppend(t, l, idemBatch(t, idem{pid: 9, seq: 0, records: 4}))
	if !again.Duplicate || again.FirstOffset != 3 || again.LastOffset != 6 || again.LogAppendTime != first.LogAppendTime {
		t.Fatalf("duplicate answered %+v, first write %+v", again, first)
	}
}

func TestSequenceArithmetic(t *testing.T) {
	tests := []struct {
		seq, delta, inc, dec int32
	}{
		{0, 0, 0, 0},
		{5, 3, 8, 2},
		{math.MaxInt32, 1, 0, math.MaxInt32 - 1},
		{math.MaxInt32 - 1, 3, 1, math.MaxInt32 - 4},
		{1, 3, 4, math.MaxInt32 - 1},
	}
	for _, tt := range tests {
		if got := incrementSequence(tt.seq, tt.delta); got != tt.inc {
			t.Errorf("increment(%d, %d) = %d, want %d", tt.seq, tt.delta, got, tt.inc)
		}
		if got := decrementSequence(tt.seq, tt.delta); got != tt.dec {
			t.Errorf("decrement(%d, %d) = %d, want %d", tt.seq, tt.delta, got, tt.dec)
		}
		if got := decrementSequence(incrementSequence(tt.seq, tt.delta), tt.delta); got != tt.seq {
			t.Errorf("decrement(increment(%d, %d)) = %d", tt.seq, tt.delta, got)
		}
	}
	if !inSequence(math.MaxInt32, 0) || !inSequence(-1, 0) || inSequence(3, 5) || inSequence(math.MaxInt32, math.MinInt32) {
		t.Fatal("inSequence")
	}
}
