package txn

import (
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// TestTimeoutAborts: an ongoing transaction past its timeout is aborted
// by the coordinator at a bumped epoch, fencing the producer.
func TestTimeoutAborts(t *testing.T) {
	h := newHarness(t)
	h.c.Start()
	p := &producer{id: "tx"}
	if r := h.init(p, 15_000); r.Err != nil {
		t.Fatal(r.Err)
	}
	wantErr(t, "add", h.add(p, tpA), nil)
	h.clock.Advance(h.c.cfg.AbortTimedOutInterval) // 10 s: not yet
	h.wantState("tx", Ongoing)
	h.clock.Advance(h.c.cfg.AbortTimedOutInterval)
	h.log.settle()
	h.wantState("tx", PrepareAbort)
	jobs := h.markers.finish(nil)
	if len(jobs) != 1 || jobs[0].Commit || jobs[0].ProducerEpoch != p.epoch+1 {
		t.Fatalf("timeout markers %+v", jobs)
	}
	h.log.settle()
	h.wantState("tx", CompleteAbort)
	wantErr(t, "producer adds", h.add(p, tpB), kerr.ProducerFenced)
	wantErr(t, "producer commits", h.end(p, true), kerr.ProducerFenced)
	if r := h.init(p, 15_000); r.Err != nil || r.ProducerEpoch != 2 {
		t.Fatalf("init after timeout %+v", r)
	}
}

// TestIDExpiry: an id idle for transactional.id.expiration.ms is removed
// with a tombstone; an ongoing one is kept; the removal survives a load.
func TestIDExpiry(t *testing.T) {
	cfg := testConfig()
	cfg.IDExpiration, cfg.RemoveExpiredInterval = 10*time.Minute, time.Minute
	h := newHarnessOn(t, cfg, newMemLog(), newFakeClock(), &fakePIDs{next: 1000})
	h.c.Start()
	idle := h.newProducer("idle")
	busy := &producer{id: "busy"}
	if r := h.init(busy, int32(cfg.MaxTimeout.Milliseconds())); r.Err != nil {
		t.Fatal(r.Err)
	}
	wantErr(t, "add", h.add(busy, tpA), nil)
	h.clock.Advance(cfg.IDExpiration - time.Millisecond)
	h.log.settle()
	h.wantState("idle", Empty) // not idle long enough at the last check
	h.clock.Advance(cfg.RemoveExpiredInterval)
	h.log.settle()
	wantErr(t, "idle described", h.c.Describe("idle").Err, kerr.TransactionalIDNotFound)
	wantErr(t, "idle adds", h.add(idle, tpA), kerr.InvalidProducerIDMapping)
	h.wantState("busy", Ongoing) // an ongoing transaction never expires
	h2 := newHarnessOn(t, cfg, h.log, h.clock, h.pids)
	wantErr(t, "idle after load", h2.c.Describe("idle").Err, kerr.TransactionalIDNotFound)
	if r := h2.init(&producer{id: "idle"}, 1000); r.Err != nil || r.ProducerID == idle.pid || r.ProducerEpoch != 0 {
		t.Fatalf("init of an expired id %+v", r)
	}
}

func TestList(t *testing.T) {
	h := newHarness(t)
	a, b := h.newProducer("a"), h.newProducer("b")
	h.newProducer("c")
	wantErr(t, "add", h.add(a, tpA), nil)
	h.clock.Advance(time.Minute)
	wantErr(t, "add", h.add(b, tpA), nil)
	h.clock.Advance(time.Second)
	ids := func(l Listing) []string {
		var out []string
		for _, t := range l.Transactions {
			out = append(out, t.TransactionalID)
		}
		slices.Sort(out)
		return out
	}
	tests := []struct {
		name    string
		f       ListFilter
		want    []string
		unknown []string
	}{
		{"all", ListFilter{MinDuration: -1}, []string{"a", "b", "c"}, nil},
		{"ongoing", ListFilter{States: []string{"Ongoing"}, MinDuration: -1}, []string{"a", "b"}, nil},
		{"unknown state", ListFilter{States: []string{"Empty", "Bogus"}, MinDuration: -1}, []string{"c"}, []string{"Bogus"}},
		{"producer id", ListFilter{ProducerIDs: []int64{b.pid}, MinDuration: -1}, []string{"b"}, nil},
		{"running over 30s", ListFilter{States: []string{"Ongoing"}, MinDuration: 30 * time.Second}, []string{"a"}, nil},
	}
	for _, tc := range tests {
		l := h.c.List(tc.f)
		if l.Err != nil || !slices.Equal(ids(l), tc.want) || !slices.Equal(l.UnknownStates, tc.unknown) {
			t.Fatalf("%s: %+v", tc.name, l)
		}
	}
}
