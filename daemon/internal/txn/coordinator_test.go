package txn

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestCommitFlow(t *testing.T) {
	h := newHarness(t)
	p := h.newProducer("tx")
	if p.pid != 1000 || p.epoch != 0 {
		t.Fatalf("first init: pid %d epoch %d", p.pid, p.epoch)
	}
	h.wantState("tx", Empty)
	h.clock.Advance(5)
	wantErr(t, "add a", h.add(p, tpA), nil)
	d := h.c.Describe("tx")
	if d.State != Ongoing || d.StartMs != h.clock.Now().UnixMilli() || len(d.Partitions) != 1 || d.TimeoutMs != 60_000 {
		t.Fatalf("after add: %+v", d)
	}
	wantErr(t, "add a again", h.add(p, tpA), nil)
	wantErr(t, "add b", h.add(p, tpB), nil)
	wantErr(t, "commit", h.end(p, true), nil)
	h.wantState("tx", PrepareCommit)
	wantErr(t, "commit while markers go out", h.end(p, true), kerr.ConcurrentTransactions)
	wantErr(t, "abort while committing", h.end(p, false), kerr.ConcurrentTransactions) // pending CompleteCommit
	jobs := h.markers.finish(nil)
	if len(jobs) != 1 {
		t.Fatalf("%d marker jobs", len(jobs))
	}
	j := jobs[0]
	if !j.Commit || j.ProducerID != p.pid || j.ProducerEpoch != p.epoch || j.CoordinatorEpoch != 7 || len(j.Partitions) != 2 || j.Partitions[0] != tpA {
		t.Fatalf("markers %+v", j)
	}
	h.log.settle()
	d = h.c.Describe("tx")
	if d.State != CompleteCommit || len(d.Partitions) != 0 {
		t.Fatalf("after markers: %+v", d)
	}
	wantErr(t, "commit retry", h.end(p, true), nil)
	wantErr(t, "abort after commit", h.end(p, false), kerr.InvalidTxnState)
	// The next transaction starts from CompleteCommit.
	wantErr(t, "add again", h.add(p, tpB), nil)
	wantErr(t, "abort", h.end(p, false), nil)
	if jobs := h.markers.finish(nil); len(jobs) != 1 || jobs[0].Commit || len(jobs[0].Partitions) != 1 {
		t.Fatalf("abort markers %+v", jobs)
	}
	h.log.settle()
	h.wantState("tx", CompleteAbort)
	wantErr(t, "abort retry", h.end(p, false), nil)
	wantErr(t, "commit after abort", h.end(p, true), kerr.InvalidTxnState)
}

func TestRequestErrors(t *testing.T) {
	type setup func(h *harness) *producer
	empty := func(h *harness) *producer { return h.newProducer("tx") }
	ongoing := func(h *harness) *producer {
		p := h.newProducer("tx")
		wantErr(h.t, "add", h.add(p, tpA), nil)
		return p
	}
	prepared := func(commit bool) setup {
		return func(h *harness) *producer {
			p := ongoing(h)
			wantErr(h.t, "end", h.end(p, commit), nil)
			return p
		}
	}
	completed := func(commit bool) setup {
		return func(h *harness) *producer {
			p := prepared(commit)(h)
			h.markers.finish(nil)
			h.log.settle()
			return p
		}
	}
	other := func(p *producer) *producer { return &producer{id: p.id, pid: p.pid + 1, epoch: p.epoch} }
	stale := func(p *producer) *producer { return &producer{id: p.id, pid: p.pid, epoch: p.epoch - 1} }
	newer := func(p *producer) *producer { return &producer{id: p.id, pid: p.pid, epoch: p.epoch + 1} }
	unknown := func(p *producer) *producer { return &producer{id: "nope", pid: p.pid, epoch: p.epoch} }
	same := func(p *producer) *producer { return p }
	tests := []struct {
		name  string
		setup setup
		who   func(*producer) *producer
		op    string // add, commit, abort
		want  error
	}{
		{"add unknown id", empty, unknown, "add", kerr.InvalidProducerIDMapping},
		{"add other producer id", empty, other, "add", kerr.InvalidProducerIDMapping},
		{"add older epoch", ongoing, stale, "add", kerr.ProducerFenced},
		{"add newer epoch", ongoing, newer, "add", kerr.ProducerFenced},
		{"add while PrepareCommit", prepared(true), same, "add", kerr.ConcurrentTransactions},
		{"add while PrepareAbort", prepared(false), same, "add", kerr.ConcurrentTransactions},
		{"add after CompleteAbort", completed(false), same, "add", nil},
		{"commit unknown id", empty, unknown, "commit", kerr.InvalidProducerIDMapping},
		{"commit other producer id", ongoing, other, "commit", kerr.InvalidProducerIDMapping},
		{"commit older epoch", ongoing, stale, "commit", kerr.ProducerFenced},
		{"commit newer epoch", ongoing, newer, "commit", kerr.ProducerFenced},
		{"commit Empty", empty, same, "commit", kerr.InvalidTxnState},
		{"abort Empty", empty, same, "abort", kerr.InvalidTxnState},
		{"commit Ongoing", ongoing, same, "commit", nil},
		{"abort Ongoing", ongoing, same, "abort", nil},
		{"commit PrepareCommit", prepared(true), same, "commit", kerr.ConcurrentTransactions},
		{"abort PrepareCommit", prepared(true), same, "abort", kerr.ConcurrentTransactions},
		{"commit CompleteCommit", completed(true), same, "commit", nil},
		{"abort CompleteCommit", completed(true), same, "abort", kerr.InvalidTxnState},
		{"commit CompleteAbort", completed(false), same, "commit", kerr.InvalidTxnState},
		{"abort CompleteAbort", completed(false), same, "abort", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			p := tc.who(tc.setup(h))
			var err error
			switch tc.op {
			case "add":
				err = h.add(p, tpB)
			default:
				err = h.end(p, tc.op == "commit")
			}
			wantErr(t, tc.op, err, tc.want)
		})
	}
}

func TestInitErrors(t *testing.T) {
	tests := []struct {
		name string
		req  InitRequest
		want error
	}{
		{"empty transactional id", InitRequest{TimeoutMs: 1000, ProducerID: -1, ProducerEpoch: -1}, kerr.InvalidRequest},
		{"zero timeout", InitRequest{TransactionalID: "tx", ProducerID: -1, ProducerEpoch: -1}, kerr.InvalidTransactionTimeout},
		{"timeout above max", InitRequest{TransactionalID: "tx", TimeoutMs: 900_001, ProducerID: -1, ProducerEpoch: -1}, kerr.InvalidTransactionTimeout},
		{"producer id without epoch", InitRequest{TransactionalID: "tx", TimeoutMs: 1000, ProducerID: 5, ProducerEpoch: -1}, kerr.InvalidRequest},
		{"max timeout", InitRequest{TransactionalID: "tx", TimeoutMs: 900_000, ProducerID: -1, ProducerEpoch: -1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			a := &answer[InitResult]{}
			h.c.InitProducerID(tc.req, a.set)
			r := a.wait(h)
			wantErr(t, "init", r.Err, tc.want)
			if tc.want != nil && (r.ProducerID != -1 || r.ProducerEpoch != -1) {
				t.Fatalf("error answer with producer %d/%d", r.ProducerID, r.ProducerEpoch)
			}
		})
	}
}

func TestInitAllocationFails(t *testing.T) {
	h := newHarness(t)
	h.pids.err = kerr.UnknownServerError
	r := h.init(&producer{id: "tx"}, 1000)
	wantErr(t, "init", r.Err, kerr.CoordinatorNotAvailable)
}

// TestInitFencesOngoing: a new instance of the producer aborts the old
// one's transaction at a bumped epoch and retries until it is done.
func TestInitFencesOngoing(t *testing.T) {
	h := newHarness(t)
	old := h.newProducer("tx")
	wantErr(t, "add", h.add(old, tpA), nil)
	fresh := &producer{id: "tx"}
	wantErr(t, "init during ongoing", h.init(fresh, 1000).Err, kerr.ConcurrentTransactions)
	h.wantState("tx", PrepareAbort)
	wantErr(t, "init while aborting", h.init(fresh, 1000).Err, kerr.ConcurrentTransactions)
	jobs := h.markers.finish(nil)
	if len(jobs) != 1 || jobs[0].Commit || jobs[0].ProducerEpoch != 1 {
		t.Fatalf("fencing markers %+v", jobs)
	}
	h.log.settle()
	h.wantState("tx", CompleteAbort)
	r := h.init(fresh, 1000)
	if r.Err != nil || r.ProducerID != old.pid || r.ProducerEpoch != 2 {
		t.Fatalf("init after fence: %+v", r)
	}
	wantErr(t, "old producer adds", h.add(old, tpB), kerr.ProducerFenced)
	wantErr(t, "old producer commits", h.end(old, true), kerr.ProducerFenced)
	if d := h.c.Describe("tx"); d.TimeoutMs != 1000 || d.State != Empty {
		t.Fatalf("after re-init %+v", d)
	}
}

// TestInitKIP360: a producer re-initializing with its id and epoch gets
// the next epoch; a retry of that (its answer lost) gets the same one; an
// older instance is fenced.
func TestInitKIP360(t *testing.T) {
	h := newHarness(t)
	p := h.newProducer("tx")
	initWith := func(pid int64, epoch int16) InitResult {
		a := &answer[InitResult]{}
		h.c.InitProducerID(InitRequest{TransactionalID: "tx", TimeoutMs: 1000, ProducerID: pid, ProducerEpoch: epoch}, a.set)
		return a.wait(h)
	}
	if r := initWith(p.pid, 0); r.Err != nil || r.ProducerEpoch != 1 {
		t.Fatalf("bump: %+v", r)
	}
	if r := initWith(p.pid, 0); r.Err != nil || r.ProducerEpoch != 1 {
		t.Fatalf("retry of the bump: %+v", r)
	}
	if r := initWith(p.pid, 1); r.Err != nil || r.ProducerEpoch != 2 {
		t.Fatalf("second bump: %+v", r)
	}
	wantErr(t, "stale epoch", initWith(p.pid, 0).Err, kerr.ProducerFenced)
	wantErr(t, "unknown producer id", initWith(p.pid+7, 2).Err, kerr.ProducerFenced)
	// Without an id and epoch, it is a new instance: bump, forget the last.
	if r := h.init(p, 1000); r.Err != nil || r.ProducerEpoch != 3 {
		t.Fatalf("plain init: %+v", r)
	}
	wantErr(t, "retry after a new instance", initWith(p.pid, 2).Err, kerr.ProducerFenced)
}

// TestEpochExhaustion: at the last epochs the producer id is rotated; a
// KIP-360 retry with the old id and epoch gets the new id again.
func TestEpochExhaustion(t *testing.T) {
	h := newHarness(t)
	p := h.newProducer("tx")
	s, _ := h.c.lockShard("tx")
	s.txns["tx"].epoch = 32766
	s.mu.Unlock()
	a := &answer[InitResult]{}
	h.c.InitProducerID(InitRequest{TransactionalID: "tx", TimeoutMs: 1000, ProducerID: p.pid, ProducerEpoch: 32766}, a.set)
	r := a.wait(h)
	if r.Err != nil || r.ProducerID == p.pid || r.ProducerEpoch != 0 {
		t.Fatalf("rotation: %+v", r)
	}
	a = &answer[InitResult]{}
	h.c.InitProducerID(InitRequest{TransactionalID: "tx", TimeoutMs: 1000, ProducerID: p.pid, ProducerEpoch: 32766}, a.set)
	if r2 := a.wait(h); r2.Err != nil || r2.ProducerID != r.ProducerID || r2.ProducerEpoch != 0 {
		t.Fatalf("retry of the rotation: %+v (first %+v)", r2, r)
	}
	// A plain init at an exhausted epoch rotates too.
	s, _ = h.c.lockShard("tx")
	s.txns["tx"].epoch = 32767
	s.mu.Unlock()
	if r3 := h.init(p, 1000); r3.Err != nil || r3.ProducerID == r.ProducerID || r3.ProducerEpoch != 0 {
		t.Fatalf("plain rotation: %+v", r3)
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name     string
		fail     error
		syncFail bool
		want     error
	}{
		{"not enough replicas", kerr.NotEnoughReplicas, false, kerr.CoordinatorNotAvailable},
		{"timed out", kerr.RequestTimedOut, false, kerr.CoordinatorNotAvailable},
		{"not leader", kerr.NotLeaderForPartition, false, kerr.NotCoordinator},
		{"storage", kerr.KafkaStorageError, false, kerr.NotCoordinator},
		{"too large", kerr.MessageTooLarge, false, kerr.UnknownServerError},
		{"not leader at append", kerr.NotLeaderForPartition, true, kerr.NotCoordinator},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			p := h.newProducer("tx")
			if tc.syncFail {
				h.log.syncErr = tc.fail
			} else {
				h.log.setFail(tc.fail)
			}
			wantErr(t, "add", h.add(p, tpA), tc.want)
			h.log.syncErr = nil
			h.log.setFail(nil)
			h.wantState("tx", Empty) // nothing applied, nothing pending
			wantErr(t, "add again", h.add(p, tpA), nil)
			h.wantState("tx", Ongoing)
		})
	}
}

// TestFailedFenceKeepsEpoch: a fencing abort whose write fails does not
// bump the epoch twice.
func TestFailedFenceKeepsEpoch(t *testing.T) {
	h := newHarness(t)
	old := h.newProducer("tx")
	wantErr(t, "add", h.add(old, tpA), nil)
	h.log.setFail(kerr.NotEnoughReplicas)
	wantErr(t, "fence fails", h.init(&producer{id: "tx"}, 1000).Err, kerr.CoordinatorNotAvailable)
	h.log.setFail(nil)
	wantErr(t, "old producer fenced anyway", h.add(old, tpB), kerr.ProducerFenced)
	wantErr(t, "fence again", h.init(&producer{id: "tx"}, 1000).Err, kerr.ConcurrentTransactions)
	if jobs := h.markers.finish(nil); len(jobs) != 1 || jobs[0].ProducerEpoch != 1 {
		t.Fatalf("markers %+v", jobs)
	}
	h.log.settle()
	if r := h.init(&producer{id: "tx"}, 1000); r.Err != nil || r.ProducerEpoch != 2 {
		t.Fatalf("init %+v", r)
	}
}

func TestCompleteRetriedWhileLogUnavailable(t *testing.T) {
	h := newHarness(t)
	p := h.newProducer("tx")
	wantErr(t, "add", h.add(p, tpA), nil)
	wantErr(t, "commit", h.end(p, true), nil)
	h.log.setFail(kerr.NotEnoughReplicas)
	h.markers.finish(nil)
	h.log.settle()
	h.wantState("tx", PrepareCommit)
	h.log.setFail(nil)
	h.clock.Advance(completeRetryBackoff)
	h.log.settle()
	h.wantState("tx", CompleteCommit)
}

func TestVerifyPartitions(t *testing.T) {
	h := newHarness(t)
	p := h.newProducer("tx")
	wantErr(t, "add", h.add(p, tpA), nil)
	got := h.c.VerifyPartitions("tx", p.pid, p.epoch, []TopicPartition{tpA, tpB})
	if len(got) != 2 || got[tpA] != nil || got[tpB] != kerr.TransactionAbortable {
		t.Fatalf("verify: %v", got)
	}
	for _, tc := range []struct {
		id    string
		pid   int64
		epoch int16
		want  error
	}{
		{"nope", p.pid, p.epoch, kerr.InvalidProducerIDMapping},
		{"tx", p.pid + 1, p.epoch, kerr.InvalidProducerIDMapping},
		{"tx", p.pid, p.epoch + 1, kerr.ProducerFenced},
		{"", p.pid, p.epoch, kerr.InvalidRequest},
	} {
		if got := h.c.VerifyPartitions(tc.id, tc.pid, tc.epoch, []TopicPartition{tpA}); got[tpA] != tc.want {
			t.Fatalf("verify %+v: %v", tc, got)
		}
	}
	wantErr(t, "commit", h.end(p, true), nil)
	if got := h.c.VerifyPartitions("tx", p.pid, p.epoch, []TopicPartition{tpA}); got[tpA] != kerr.ConcurrentTransactions {
		t.Fatalf("verify while committing: %v", got)
	}
}

// TestEndWithoutPartitions: a transaction that added no partition (an
// empty AddPartitions) ends without markers.
func TestEndWithoutPartitions(t *testing.T) {
	h := newHarness(t)
	p := h.newProducer("tx")
	wantErr(t, "add nothing", h.add(p), nil)
	h.wantState("tx", Ongoing)
	wantErr(t, "commit", h.end(p, true), nil)
	h.log.settle()
	h.wantState("tx", CompleteCommit)
	if jobs := h.markers.take(); len(jobs) != 0 {
		t.Fatalf("markers for an empty transaction: %+v", jobs)
	}
}
