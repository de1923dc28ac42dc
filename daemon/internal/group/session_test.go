package group

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestSessionExpiryRemovesMember(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.stableGroup("g", a, b)
	for range 5 { // a keeps heartbeating, b has crashed
		h.clock.Advance(3 * time.Second)
		if err := h.heartbeat("g", a); err != nil && err != kerr.RebalanceInProgress {
			t.Fatalf("heartbeat: %v", err)
		}
	}
	wantErr(t, "heartbeat of the expired member", h.heartbeat("g", b), kerr.UnknownMemberID)
	wantErr(t, "heartbeat of the survivor", h.heartbeat("g", a), kerr.RebalanceInProgress)
	h.startJoin("g", a)
	if r := h.joined(a); r.Generation != 2 || len(r.Members) != 1 {
		t.Fatalf("rejoin after expiry: %+v", r)
	}
}

func TestRebalanceTimeoutRemovesMembersThatDoNotRejoin(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b, c := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}, &consumer{client: "c", protos: protos("range")}
	h.stableGroup("g", a, b)
	h.startJoin("g", c) // rebalance; a rejoins, b never does but heartbeats
	h.startJoin("g", a)
	for range 19 {
		h.clock.Advance(3 * time.Second)
		wantErr(t, "heartbeat of b", h.heartbeat("g", b), kerr.RebalanceInProgress)
	}
	if !h.parked(a) {
		t.Fatal("join completed before the rebalance timeout")
	}
	h.clock.Advance(3 * time.Second) // 60 s: the rebalance timeout
	if ra := h.joined(a); len(ra.Members)+len(h.joined(c).Members) != 2 {
		t.Fatalf("generation without b should have 2 members: %+v", ra)
	}
	wantErr(t, "heartbeat of b after the rebalance", h.heartbeat("g", b), kerr.UnknownMemberID)
}

func TestPendingSyncExpiry(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.startJoin("g", a)
	h.startJoin("g", b)
	h.advanceUntilJoined(a, b)
	h.joined(a)
	h.joined(b)
	leader, other := a, b
	if r, _ := a.join.get(); r.Leader != a.id {
		leader, other = b, a
	}
	h.startSync("g", leader, map[string][]byte{a.id: []byte("x"), b.id: []byte("y")})
	h.log.settle()
	h.wantState("g", Stable)
	for range 20 { // the other member heartbeats but never syncs
		h.clock.Advance(3 * time.Second)
		_ = h.heartbeat("g", other)
		_ = h.heartbeat("g", leader)
	}
	wantErr(t, "heartbeat of the member that never synced", h.heartbeat("g", other), kerr.UnknownMemberID)
	h.wantState("g", PreparingRebalance)
}

func TestParkedJoinIsNotExpiredBySession(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.stableGroup("g", a, b)
	h.startJoin("g", a) // a (the leader or not) rejoins and waits for b longer than its session
	h.clock.Advance(15 * time.Second)
	if _, err := h.c.DescribeGroup("g"); err != nil {
		t.Fatal(err)
	}
	d, _ := h.c.DescribeGroup("g")
	if len(d.Members) < 1 || d.Members[0].MemberID == "" {
		t.Fatalf("members %+v", d.Members)
	}
	found := false
	for _, m := range d.Members {
		found = found || m.MemberID == a.id
	}
	if !found {
		t.Fatal("a member parked in JoinGroup expired by its session timeout")
	}
}

func TestLeaveGroup(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.stableGroup("g", a, b)
	errs, err := h.c.Leave("g", []LeavingMember{{MemberID: b.id}, {MemberID: "nobody"}})
	if err != nil || errs[0] != nil || errs[1] != kerr.UnknownMemberID {
		t.Fatalf("leave: %v %v", errs, err)
	}
	h.wantState("g", PreparingRebalance)
	h.startJoin("g", a)
	if r := h.joined(a); r.Generation != 2 || len(r.Members) != 1 {
		t.Fatalf("after leave: %+v", r)
	}
	errs, err = h.c.Leave("unknown", []LeavingMember{{MemberID: "x"}})
	if err != nil || errs[0] != kerr.UnknownMemberID {
		t.Fatalf("leave of an unknown group: %v %v", errs, err)
	}
	h.startSync("g", a, map[string][]byte{a.id: []byte("a-a")})
	h.log.settle()
	errs, _ = h.c.Leave("g", []LeavingMember{{MemberID: a.id}})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	h.wantState("g", Empty)
}

func TestLeaveOfParkedMemberAnswersItsJoin(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.stableGroup("g", a, b)
	h.startJoin("g", a)
	if _, err := h.c.Leave("g", []LeavingMember{{MemberID: a.id}}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "parked join of the leaving member", h.joined(a).Err, kerr.UnknownMemberID)
}

func TestSyncValidation(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range")}
	h.stableGroup("g", a)
	other := "roundrobin"
	connect := "connect"
	tests := []struct {
		name string
		req  SyncRequest
		want error
	}{
		{"unknown group", SyncRequest{Group: "x", Generation: 1, MemberID: a.id}, kerr.UnknownMemberID},
		{"unknown member", SyncRequest{Group: "g", Generation: 1, MemberID: "x"}, kerr.UnknownMemberID},
		{"stale generation", SyncRequest{Group: "g", Generation: 0, MemberID: a.id}, kerr.IllegalGeneration},
		{"other protocol type", SyncRequest{Group: "g", Generation: 1, MemberID: a.id, ProtocolType: &connect}, kerr.InconsistentGroupProtocol},
		{"other protocol", SyncRequest{Group: "g", Generation: 1, MemberID: a.id, Protocol: &other}, kerr.InconsistentGroupProtocol},
		{"stable group returns the assignment", SyncRequest{Group: "g", Generation: 1, MemberID: a.id}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got SyncResult
			h.c.Sync(tt.req, func(r SyncResult) { got = r })
			wantErr(t, "sync", got.Err, tt.want)
			if tt.want == nil && string(got.Assignment) != "a-a" {
				t.Fatalf("assignment %q", got.Assignment)
			}
		})
	}
}

func TestSyncAnsweredOnlyAfterWrite(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range")}
	h.startJoin("g", a)
	h.advanceUntilJoined(a)
	h.joined(a)
	h.startSync("g", a, map[string][]byte{a.id: []byte("x")})
	if _, n := a.sync.get(); n != 0 {
		t.Fatal("SyncGroup answered before the group record was committed")
	}
	h.wantState("g", CompletingRebalance)
	h.log.settle()
	if r := h.synced(a); r.Err != nil || string(r.Assignment) != "x" {
		t.Fatalf("sync %+v", r)
	}
}

func TestSyncWriteFailureRebalances(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range")}
	h.startJoin("g", a)
	h.advanceUntilJoined(a)
	h.joined(a)
	h.log.failErr = kerr.NotEnoughReplicas
	h.startSync("g", a, map[string][]byte{a.id: []byte("x")})
	h.log.settle()
	wantErr(t, "sync after a failed write", h.synced(a).Err, kerr.CoordinatorNotAvailable)
	h.wantState("g", PreparingRebalance)
}

func TestMemberRejoiningDuringCompletingRebalanceFailsParkedSyncs(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.startJoin("g", a)
	h.startJoin("g", b)
	h.advanceUntilJoined(a, b)
	h.joined(a)
	h.joined(b)
	follower := a
	if r, _ := a.join.get(); r.Leader == a.id {
		follower = b
	}
	h.startSync("g", follower, nil)
	follower.protos = protos("roundrobin", "range") // changed metadata: rebalance
	h.startJoin("g", follower)
	wantErr(t, "parked sync", h.synced(follower).Err, kerr.RebalanceInProgress)
	h.wantState("g", PreparingRebalance)
}
