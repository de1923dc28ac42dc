package group

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestFirstJoinWaitsForInitialDelay(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range")}
	h.startJoin("g", a)
	if !h.parked(a) {
		t.Fatal("join answered before group.initial.rebalance.delay.ms")
	}
	h.wantState("g", PreparingRebalance)
	h.clock.Advance(3*time.Second - time.Millisecond)
	if !h.parked(a) {
		t.Fatal("join answered before the delay passed")
	}
	h.clock.Advance(time.Millisecond)
	r := h.joined(a)
	if r.Err != nil || r.Generation != 1 || r.Leader != a.id || len(r.Members) != 1 || *r.Protocol != "range" {
		t.Fatalf("join result %+v", r)
	}
	if a.id != "a-id1" {
		t.Fatalf("member id %q, want client id and a unique suffix", a.id)
	}
	h.wantState("g", CompletingRebalance)
}

func TestInitialDelayExtendsWhileMembersArrive(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.startJoin("g", a)
	h.clock.Advance(2 * time.Second)
	h.startJoin("g", b) // a new member during the delay: wait another delay
	h.clock.Advance(time.Second)
	if !h.parked(a) || !h.parked(b) {
		t.Fatal("join completed although a member arrived during the delay")
	}
	h.clock.Advance(3 * time.Second)
	if ra, rb := h.joined(a), h.joined(b); ra.Generation != 1 || rb.Generation != 1 || len(ra.Members) != 2 {
		t.Fatalf("results %+v %+v", ra, rb)
	}
}

func TestMemberIDRequired(t *testing.T) {
	h := newHarness(t, testConfig())
	var r JoinResult
	req := h.joinReq("g", &consumer{client: "c", protos: protos("range")})
	h.c.Join(req, func(jr JoinResult) { r = jr })
	wantErr(t, "first join", r.Err, kerr.MemberIDRequired)
	if r.MemberID == "" {
		t.Fatal("MEMBER_ID_REQUIRED without a member id")
	}
	// The pending id expires after the session timeout if unused.
	h.clock.Advance(req.SessionTimeout)
	req.MemberID = r.MemberID
	h.c.Join(req, func(jr JoinResult) { r = jr })
	wantErr(t, "join with an expired pending id", r.Err, kerr.UnknownMemberID)
}

func TestJoinValidation(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range", "roundrobin")}
	h.stableGroup("g", a)
	tests := []struct {
		name   string
		modify func(*JoinRequest)
		want   error
	}{
		{"empty group id", func(r *JoinRequest) { r.Group = "" }, kerr.InvalidGroupID},
		{"session timeout too short", func(r *JoinRequest) { r.SessionTimeout = time.Second }, kerr.InvalidSessionTimeout},
		{"session timeout too long", func(r *JoinRequest) { r.SessionTimeout = time.Hour }, kerr.InvalidSessionTimeout},
		{"unknown member of unknown group", func(r *JoinRequest) { r.Group, r.MemberID = "other", "x" }, kerr.UnknownMemberID},
		{"unknown member", func(r *JoinRequest) { r.MemberID = "x" }, kerr.UnknownMemberID},
		{"other protocol type", func(r *JoinRequest) { r.MemberID = ""; r.ProtocolType = "connect" }, kerr.InconsistentGroupProtocol},
		{"no common protocol", func(r *JoinRequest) { r.MemberID = ""; r.Protocols = protos("sticky") }, kerr.InconsistentGroupProtocol},
		{"empty protocols for a new group", func(r *JoinRequest) { r.Group, r.MemberID, r.Protocols = "new", "", nil }, kerr.InconsistentGroupProtocol},
		{"unknown instance id", func(r *JoinRequest) { s := "i"; r.InstanceID = &s }, kerr.UnknownMemberID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := h.joinReq("g", a)
			tt.modify(&req)
			var got JoinResult
			h.c.Join(req, func(r JoinResult) { got = r })
			wantErr(t, "join", got.Err, tt.want)
		})
	}
	h.wantState("g", Stable)
}

func TestProtocolSelectionByVote(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range", "roundrobin")}
	b := &consumer{client: "b", protos: protos("roundrobin", "range")}
	c := &consumer{client: "c", protos: protos("roundrobin", "sticky", "range")}
	for _, m := range []*consumer{a, b, c} {
		h.startJoin("g", m)
	}
	h.advanceUntilJoined(a, b, c)
	if r := h.joined(a); *r.Protocol != "roundrobin" {
		t.Fatalf("protocol %q, want roundrobin (2 votes to 1; sticky is not common)", *r.Protocol)
	}
}

func TestGroupMaxSize(t *testing.T) {
	cfg := testConfig()
	cfg.MaxSize = 2
	h := newHarness(t, cfg)
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.stableGroup("g", a, b)
	c := &consumer{client: "c", protos: protos("range")}
	h.startJoin("g", c)
	wantErr(t, "third member", h.joined(c).Err, kerr.GroupMaxSizeReached)
	h.wantState("g", Stable)
}

func TestSecondMemberTriggersRebalance(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.stableGroup("g", a)
	h.startJoin("g", b)
	h.wantState("g", PreparingRebalance)
	wantErr(t, "heartbeat of a during the rebalance", h.heartbeat("g", a), kerr.RebalanceInProgress)
	if !h.parked(b) {
		t.Fatal("b answered before a rejoined")
	}
	h.startJoin("g", a)
	ra, rb := h.joined(a), h.joined(b)
	if ra.Generation != 2 || rb.Generation != 2 || ra.Leader != a.id || len(ra.Members) != 2 || len(rb.Members) != 0 {
		t.Fatalf("results %+v / %+v", ra, rb)
	}
	h.syncAll("g", a, b)
	wantErr(t, "heartbeat with the old generation", h.c.Heartbeat(HeartbeatRequest{Group: "g", Generation: 1, MemberID: a.id}), kerr.IllegalGeneration)
}

func TestFollowerRejoinInStableGroupNeedsNoRebalance(t *testing.T) {
	h := newHarness(t, testConfig())
	a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
	h.stableGroup("g", a, b)
	leader, follower := a, b
	if r, _ := b.join.get(); r.Leader == b.id {
		leader, follower = b, a
	}
	h.startJoin("g", follower)
	if r := h.joined(follower); r.Err != nil || r.Generation != 1 {
		t.Fatalf("follower rejoin: %+v", r)
	}
	h.wantState("g", Stable)
	h.startJoin("g", leader) // the leader rejoining forces a rebalance
	h.wantState("g", PreparingRebalance)
}
