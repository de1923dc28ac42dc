package group

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestStaticMemberRestartKeepsAssignmentWithoutRebalance(t *testing.T) {
	h := newHarness(t, testConfig())
	i1, i2 := "inst-1", "inst-2"
	a := &consumer{client: "a", instance: &i1, protos: protos("range")}
	b := &consumer{client: "b", instance: &i2, protos: protos("range")}
	h.stableGroup("g", a, b)
	old := *b
	// b restarts: a new process joins with its instance id and no member id.
	b2 := &consumer{client: "b", instance: &i2, protos: protos("range")}
	h.startJoin("g", b2)
	if _, n := b2.join.get(); n != 0 {
		t.Fatal("answered before the group record was written")
	}
	h.log.settle()
	r := h.joined(b2)
	if r.Err != nil || r.Generation != 1 || b2.id == old.id {
		t.Fatalf("static rejoin: %+v (old id %s)", r, old.id)
	}
	h.wantState("g", Stable)
	h.startSync("g", b2, nil)
	if s := h.synced(b2); string(s.Assignment) != "a-b" {
		t.Fatalf("assignment after restart %q, want the old one", s.Assignment)
	}
	wantErr(t, "heartbeat of the old process", h.heartbeat("g", &old), kerr.FencedInstanceID)
	if err := h.heartbeat("g", a); err != nil {
		t.Fatalf("other member disturbed: %v", err)
	}
}

func TestStaticLeaderRestartSkipsAssignment(t *testing.T) {
	h := newHarness(t, testConfig())
	i1 := "inst-1"
	a := &consumer{client: "a", instance: &i1, protos: protos("range")}
	h.stableGroup("g", a)
	a2 := &consumer{client: "a", instance: &i1, protos: protos("range")}
	h.startJoin("g", a2)
	h.log.settle()
	r := h.joined(a2)
	if r.Leader != a2.id || !r.SkipAssignment || len(r.Members) != 1 {
		t.Fatalf("v9 static leader rejoin: %+v", r)
	}
	// Before v9 the old leader id comes back, so the client does not assign.
	a3 := &consumer{client: "a", instance: &i1, protos: protos("range")}
	req := h.joinReq("g", a3)
	req.SupportsSkipAssignment = false
	var r3 JoinResult
	h.c.Join(req, func(jr JoinResult) { r3 = jr })
	h.log.settle()
	if r3.Leader != a2.id || r3.MemberID == a2.id || len(r3.Members) != 0 {
		t.Fatalf("v8 static leader rejoin: %+v", r3)
	}
}

func TestStaticMemberAdministrativeRemoval(t *testing.T) {
	h := newHarness(t, testConfig())
	i1 := "inst-1"
	a := &consumer{client: "a", instance: &i1, protos: protos("range")}
	h.stableGroup("g", a)
	errs, err := h.c.Leave("g", []LeavingMember{{InstanceID: &i1}})
	if err != nil || errs[0] != nil {
		t.Fatalf("remove by instance id: %v %v", errs, err)
	}
	h.clock.Advance(0)
	h.wantState("g", Empty)
	wrong := "other"
	errs, _ = h.c.Leave("g", []LeavingMember{{InstanceID: &wrong}})
	wantErr(t, "remove an unknown instance", errs[0], kerr.UnknownMemberID)
}

func TestStaticMemberFencedOnSyncAndCommit(t *testing.T) {
	h := newHarness(t, testConfig())
	i1 := "inst-1"
	a := &consumer{client: "a", instance: &i1, protos: protos("range")}
	h.stableGroup("g", a)
	var sr SyncResult
	h.c.Sync(SyncRequest{Group: "g", Generation: 1, MemberID: "impostor", InstanceID: &i1}, func(r SyncResult) { sr = r })
	wantErr(t, "sync", sr.Err, kerr.FencedInstanceID)
	var errs []error
	h.c.CommitOffsets(CommitRequest{Group: "g", Generation: 1, MemberID: "impostor", InstanceID: &i1,
		Offsets: []CommitOffset{{TopicPartition: TopicPartition{"t", 0}, Offset: 1}}}, func(e []error) { errs = e })
	wantErr(t, "commit", errs[0], kerr.FencedInstanceID)
}
