package group

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

// TestLoadRestoresGroupsAndOffsets writes through one coordinator and
// loads the same log into another, as a new leader does.
func TestLoadRestoresGroupsAndOffsets(t *testing.T) {
	cfg := testConfig()
	h := newHarness(t, cfg)
	i1 := "inst"
	a := &consumer{client: "a", instance: &i1, protos: protos("range")}
	b := &consumer{client: "b", protos: protos("range")}
	h.stableGroup("cg", a, b)
	commitOne(h, CommitRequest{Group: "cg", Generation: 1, MemberID: a.id, RetentionMs: -1,
		Offsets: []CommitOffset{{TopicPartition: TopicPartition{"t", 0}, Offset: 10, LeaderEpoch: 2, Timestamp: -1}}})
	commitOne(h, simpleCommit("simple", "t", 1, 5))
	commitOne(h, simpleCommit("simple", "t", 1, 6))
	commitOne(h, simpleCommit("deleted", "t", 0, 1))
	if errs := h.c.DeleteGroups([]string{"deleted"}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	h.log.settle()

	h2 := newHarnessOn(t, cfg, h.log, h.clock)
	got, _ := h2.c.FetchOffsets("cg", nil)
	if len(got) != 1 || got[0].Offset != 10 || got[0].LeaderEpoch != 2 {
		t.Fatalf("cg offsets %+v", got)
	}
	got, _ = h2.c.FetchOffsets("simple", nil)
	if len(got) != 1 || got[0].Offset != 6 {
		t.Fatalf("simple offsets %+v", got)
	}
	h2.wantState("deleted", Dead)
	d, _ := h2.c.DescribeGroup("cg")
	if d.State != Stable || len(d.Members) != 2 || d.Protocol != "range" {
		t.Fatalf("cg after load %+v", d)
	}
	// The loaded members carry on without a rebalance...
	if err := h2.heartbeat("cg", a); err != nil {
		t.Fatalf("heartbeat after load: %v", err)
	}
	h2.startSync("cg", b, nil)
	if r := h2.synced(b); string(r.Assignment) != "a-b" {
		t.Fatalf("assignment after load %q", r.Assignment)
	}
	// ...and a static member's instance id still fences.
	wantErr(t, "fenced", h2.heartbeat("cg", &consumer{id: "x", instance: &i1, gen: 1}), kerr.FencedInstanceID)
}

func TestLoadSkipsControlBatchesAndRejectsCompressed(t *testing.T) {
	batch := encodeBatch([]record{{key: groupKey("g"), value: nil}}, 1)
	recs, next, err := decodeBatches(batch)
	if err != nil || len(recs) != 1 || next != 1 {
		t.Fatalf("plain: %v %d %v", recs, next, err)
	}
	control := markerBatch(7, 1, true)
	if recs, _, err := decodeBatches(control); err != nil || len(recs) != 1 || recs[0].marker == nil || !recs[0].marker.commit || recs[0].producerID != 7 {
		t.Fatalf("control batch: %+v %v", recs, err)
	}
	gz := append([]byte(nil), batch...)
	gz[22] |= 0x01
	if _, _, err := decodeBatches(gz); err == nil {
		t.Fatal("compressed batch accepted")
	}
	if recs, next, err := decodeBatches(batch[:len(batch)-1]); err != nil || len(recs) != 0 || next != -1 {
		t.Fatalf("cut batch: %v %d %v", recs, next, err)
	}
}
