package txn

import (
	"context"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

// TestLoadResumes writes through one coordinator and loads the log into
// another, as a new leader does: states come back, and a transaction left
// prepared is completed with its markers resent.
func TestLoadResumes(t *testing.T) {
	h := newHarness(t)
	done := h.newProducer("done")
	wantErr(t, "add", h.add(done, tpA), nil)
	wantErr(t, "commit", h.end(done, true), nil)
	h.markers.finish(nil)
	h.log.settle()
	open := h.newProducer("open")
	wantErr(t, "add", h.add(open, tpA, tpB), nil)
	prepared := h.newProducer("prepared")
	wantErr(t, "add", h.add(prepared, tpB), nil)
	wantErr(t, "abort", h.end(prepared, false), nil)
	h.markers.take() // the first coordinator never finishes them

	h2 := newHarnessOn(t, testConfig(), h.log, h.clock, h.pids)
	h2.wantState("done", CompleteCommit)
	if d := h2.c.Describe("open"); d.State != Ongoing || len(d.Partitions) != 2 || d.ProducerID != open.pid || d.StartMs < 0 {
		t.Fatalf("open after load %+v", d)
	}
	h2.wantState("prepared", PrepareAbort)
	wantErr(t, "init while completing", h2.init(&producer{id: "prepared"}, 1000).Err, kerr.ConcurrentTransactions)
	jobs := h2.markers.finish(nil)
	if len(jobs) != 1 || jobs[0].TransactionalID != "prepared" || jobs[0].Commit || jobs[0].Partitions[0] != tpB {
		t.Fatalf("resent markers %+v", jobs)
	}
	h2.log.settle()
	h2.wantState("prepared", CompleteAbort)
	// The loaded ongoing transaction carries on.
	wantErr(t, "commit after load", h2.end(open, true), nil)
	if n := h2.c.loadErrors.Load(); n != 0 {
		t.Fatalf("%d load errors", n)
	}
}

// TestUnload: leadership lost forgets the partition's ids and abandons
// marker jobs; their late completion writes nothing.
func TestUnload(t *testing.T) {
	h := newHarness(t)
	p := h.newProducer("tx")
	wantErr(t, "add", h.add(p, tpA), nil)
	wantErr(t, "commit", h.end(p, true), nil)
	jobs := h.markers.take()
	part := h.c.PartitionFor("tx")
	h.c.BecameFollower(part)
	if jobs[0].ctx.Err() != context.Canceled {
		t.Fatal("marker job's context still live after unload")
	}
	jobs[0].done(nil)
	if n := h.log.settle(); n != 0 {
		t.Fatalf("%d writes after unload", n)
	}
	wantErr(t, "describe", h.c.Describe("tx").Err, kerr.NotCoordinator)
	wantErr(t, "add", h.add(p, tpB), kerr.NotCoordinator)
	wantErr(t, "end", h.end(p, true), kerr.NotCoordinator)
	wantErr(t, "init", h.init(&producer{id: "tx"}, 1000).Err, kerr.NotCoordinator)
	// Leading again loads it back, and the commit completes.
	h.c.BecameLeader(part, 8)
	h.waitLoaded()
	if jobs := h.markers.finish(nil); len(jobs) != 1 || jobs[0].CoordinatorEpoch != 8 {
		t.Fatalf("markers after reload %+v", jobs)
	}
	h.log.settle()
	h.wantState("tx", CompleteCommit)
}

// gatedLog holds loading until the test opens the gate.
type gatedLog struct {
	*memLog
	gate chan struct{}
}

func (l gatedLog) Bounds(p int32) (int64, int64, error) {
	<-l.gate
	return l.memLog.Bounds(p)
}

func TestLoadInProgress(t *testing.T) {
	log := gatedLog{memLog: newMemLog(), gate: make(chan struct{})}
	c := New(Options{Config: testConfig(), Log: log, Markers: &fakeMarkers{}, ProducerIDs: &fakePIDs{}, Clock: newFakeClock()})
	defer c.Close()
	c.BecameLeader(c.PartitionFor("tx"), 1)
	wantErr(t, "while loading", c.IsCoordinatorFor("tx"), kerr.CoordinatorLoadInProgress)
	wantErr(t, "list while loading", c.List(ListFilter{MinDuration: -1}).Err, kerr.CoordinatorLoadInProgress)
	wantErr(t, "other partition", c.IsCoordinatorFor(otherPartitionID(c, "tx")), kerr.NotCoordinator)
	close(log.gate)
	deadlineWait(t, func() bool { return c.IsCoordinatorFor("tx") == nil })
}

func otherPartitionID(c *Coordinator, id string) string {
	for _, cand := range []string{"a", "b", "c", "d", "e", "f"} {
		if c.PartitionFor(cand) != c.PartitionFor(id) {
			return cand
		}
	}
	panic("no id in another partition")
}

func deadlineWait(t *testing.T, cond func() bool) {
	t.Helper()
	waitFor(t, "condition", cond)
}

func TestLoadSkipsBadRecords(t *testing.T) {
	h := newHarness(t)
	p := h.newProducer("tx")
	part := h.c.PartitionFor("tx")
	bad := encodeBatch([]record{
		{key: []byte{0}, value: []byte{1}},               // short key
		{key: txnKey("tx"), value: []byte{0, 9}},         // unknown value version
		{key: txnKey("tx"), value: []byte{0, 0, 1}},      // cut value
		{key: []byte{0, 5, 0, 1, 'x'}, value: []byte{1}}, // unknown key version: skipped quietly
	}, 1)
	h.log.Append(part, 0, bad, func(error) {})
	h.log.settle()
	h2 := newHarnessOn(t, testConfig(), h.log, h.clock, h.pids)
	if d := h2.c.Describe("tx"); d.Err != nil || d.ProducerID != p.pid {
		t.Fatalf("tx after bad records %+v", d)
	}
	if n := h2.c.loadErrors.Load(); n != 3 {
		t.Fatalf("%d load errors, want 3", n)
	}
}

func TestRecordsRoundTrip(t *testing.T) {
	tr := transit{producerID: 5, epoch: 3, timeoutMs: 100, state: Ongoing, start: 10, lastUpdate: 20,
		partitions: []TopicPartition{{"a", 0}, {"a", 2}, {"b", 1}}}
	m, err := decodeValue("x", txnValue(tr))
	if err != nil || m.producerID != 5 || m.epoch != 3 || m.timeoutMs != 100 || m.state != Ongoing || m.start != 10 ||
		m.lastUpdate != 20 || len(m.partitions) != 3 || m.lastProducerID != -1 || m.lastEpoch != -1 {
		t.Fatalf("round trip %+v %v", m, err)
	}
	empty := txnValue(transit{producerID: 5, state: Empty, start: -1})
	// Empty is written with null topics, as Kafka does: int32 -1 after
	// version, producer id, epoch, timeout and state.
	if got := empty[2+8+2+4+1 : 2+8+2+4+1+4]; string(got) != "\xff\xff\xff\xff" {
		t.Fatalf("Empty topics encoded as %x", got)
	}
	id, ok, err := decodeKey(txnKey("tid"))
	if id != "tid" || !ok || err != nil {
		t.Fatalf("key %q %v %v", id, ok, err)
	}
}
