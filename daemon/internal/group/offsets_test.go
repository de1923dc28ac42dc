package group

import (
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

func commitOne(h *harness, req CommitRequest) (errs []error, answered bool) {
	h.c.CommitOffsets(req, func(e []error) { errs = e })
	h.log.settle()
	return errs, errs != nil
}

func simpleCommit(group, topic string, partition int32, offset int64) CommitRequest {
	return CommitRequest{Group: group, Generation: -1, RetentionMs: -1,
		Offsets: []CommitOffset{{TopicPartition: TopicPartition{topic, partition}, Offset: offset, LeaderEpoch: 3, Timestamp: -1}}}
}

func TestSimpleCommitAndFetch(t *testing.T) {
	h := newHarness(t, testConfig())
	var errs []error
	h.c.CommitOffsets(simpleCommit("g", "t", 0, 42), func(e []error) { errs = e })
	if errs != nil {
		t.Fatal("commit answered before its write was committed")
	}
	got, _ := h.c.FetchOffsets("g", []TopicPartition{{"t", 0}})
	if got[0].Offset != -1 {
		t.Fatalf("offset visible before the write committed: %+v", got[0])
	}
	h.log.settle()
	if errs == nil || errs[0] != nil {
		t.Fatalf("commit: %v", errs)
	}
	got, err := h.c.FetchOffsets("g", []TopicPartition{{"t", 0}, {"t", 1}})
	if err != nil || got[0].Offset != 42 || got[0].LeaderEpoch != 3 || got[1].Offset != -1 {
		t.Fatalf("fetch: %+v %v", got, err)
	}
	all, _ := h.c.FetchOffsets("g", nil)
	if len(all) != 1 || all[0].TopicPartition != (TopicPartition{"t", 0}) {
		t.Fatalf("fetch all: %+v", all)
	}
	h.wantState("g", Empty)
}

func TestCommitValidation(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range")}
	h.stableGroup("g", a)
	tp := []CommitOffset{{TopicPartition: TopicPartition{"t", 0}, Offset: 1, Timestamp: -1}}
	big := strings.Repeat("m", 4097)
	tests := []struct {
		name string
		req  CommitRequest
		want error
	}{
		{"member of the current generation", CommitRequest{Group: "g", Generation: 1, MemberID: a.id, Offsets: tp}, nil},
		{"stale generation", CommitRequest{Group: "g", Generation: 0, MemberID: a.id, Offsets: tp}, kerr.IllegalGeneration},
		{"unknown member", CommitRequest{Group: "g", Generation: 1, MemberID: "x", Offsets: tp}, kerr.UnknownMemberID},
		{"simple commit to a group with members", CommitRequest{Group: "g", Generation: -1, Offsets: tp}, kerr.UnknownMemberID},
		{"generation of a group that does not exist", CommitRequest{Group: "gone", Generation: 3, MemberID: "x", Offsets: tp}, kerr.IllegalGeneration},
		{"empty group id", CommitRequest{Group: "", Generation: -1, Offsets: tp}, kerr.InvalidGroupID},
		{"metadata too large", CommitRequest{Group: "g", Generation: 1, MemberID: a.id,
			Offsets: []CommitOffset{{TopicPartition: TopicPartition{"t", 0}, Metadata: &big, Timestamp: -1}}}, kerr.OffsetMetadataTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, ok := commitOne(h, tt.req)
			if !ok {
				t.Fatal("no answer")
			}
			wantErr(t, "commit", errs[0], tt.want)
		})
	}
}

func TestCommitDuringCompletingRebalance(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range")}
	h.startJoin("g", a)
	h.advanceUntilJoined(a)
	h.joined(a)
	errs, _ := commitOne(h, CommitRequest{Group: "g", Generation: 1, MemberID: a.id,
		Offsets: []CommitOffset{{TopicPartition: TopicPartition{"t", 0}, Offset: 1, Timestamp: -1}}})
	wantErr(t, "commit before sync", errs[0], kerr.RebalanceInProgress)
}

func TestCommitWriteErrors(t *testing.T) {
	tests := []struct {
		write, want error
	}{
		{kerr.NotEnoughReplicas, kerr.CoordinatorNotAvailable},
		{kerr.NotLeaderForPartition, kerr.NotCoordinator},
		{kerr.MessageTooLarge, kerr.InvalidCommitOffsetSize},
		{kerr.RequestTimedOut, kerr.RequestTimedOut},
	}
	for _, tt := range tests {
		t.Run(tt.write.Error(), func(t *testing.T) {
			h := newHarness(t, testConfig())
			h.log.failErr = tt.write
			errs, _ := commitOne(h, simpleCommit("g", "t", 0, 5))
			wantErr(t, "commit", errs[0], tt.want)
			got, _ := h.c.FetchOffsets("g", []TopicPartition{{"t", 0}})
			if got[0].Offset != -1 {
				t.Fatalf("a failed commit is visible: %+v", got[0])
			}
		})
	}
}

func TestCommitsCompletingOutOfOrderKeepTheLater(t *testing.T) {
	h := newHarness(t, testConfig())
	var first, second []error
	h.c.CommitOffsets(simpleCommit("g", "t", 0, 1), func(e []error) { first = e })
	h.c.CommitOffsets(simpleCommit("g", "t", 0, 2), func(e []error) { second = e })
	h.log.mu.Lock()
	h.log.pending[0], h.log.pending[1] = h.log.pending[1], h.log.pending[0]
	h.log.mu.Unlock()
	h.log.settle()
	if first[0] != nil || second[0] != nil {
		t.Fatal(first, second)
	}
	got, _ := h.c.FetchOffsets("g", []TopicPartition{{"t", 0}})
	if got[0].Offset != 2 {
		t.Fatalf("offset %d, want the later commit's 2", got[0].Offset)
	}
}

func TestDeleteOffsets(t *testing.T) {
	h := newHarness(t, testConfig())
	for _, topic := range []string{"sub", "other"} {
		commitOne(h, simpleCommit("g", topic, 0, 7))
	}
	a := &consumer{client: "a", protos: []Protocol{{Name: "range", Metadata: consumerMeta("sub")}}}
	h.stableGroup("g", a)
	errs, err := h.c.DeleteOffsets("g", []TopicPartition{{"sub", 0}, {"other", 0}})
	if err != nil || errs[0] != kerr.GroupSubscribedToTopic || errs[1] != nil {
		t.Fatalf("delete offsets: %v %v", errs, err)
	}
	got, _ := h.c.FetchOffsets("g", nil)
	if len(got) != 1 || got[0].Topic != "sub" {
		t.Fatalf("left %+v", got)
	}
	_, err = h.c.DeleteOffsets("nope", []TopicPartition{{"t", 0}})
	wantErr(t, "unknown group", err, kerr.GroupIDNotFound)
}

func consumerMeta(topics ...string) []byte {
	var out []byte
	out = append(out, 0, 0) // version 0
	out = append(out, 0, 0, 0, byte(len(topics)))
	for _, t := range topics {
		out = append(out, 0, byte(len(t)))
		out = append(out, t...)
	}
	return append(out, 0xff, 0xff, 0xff, 0xff) // null user data
}

func TestDeleteGroups(t *testing.T) {
	h := newHarness(t, testConfig())
	commitOne(h, simpleCommit("empty", "t", 0, 1))
	a := &consumer{client: "a", protos: protos("range")}
	h.stableGroup("busy", a)
	errs := h.c.DeleteGroups([]string{"empty", "busy", "none", ""})
	want := []error{nil, kerr.NonEmptyGroup, kerr.GroupIDNotFound, kerr.InvalidGroupID}
	for i := range want {
		wantErr(t, "delete", errs[i], want[i])
	}
	h.wantState("empty", Dead)
	if got, _ := h.c.FetchOffsets("empty", nil); len(got) != 0 {
		t.Fatalf("deleted group still has offsets %+v", got)
	}
}

func TestListAndDescribe(t *testing.T) {
	h := newHarness(t, testConfig())
	commitOne(h, simpleCommit("simple", "t", 0, 1))
	a := &consumer{client: "a", protos: protos("range")}
	h.stableGroup("cg", a)
	ls, err := h.c.ListGroups()
	if err != nil || len(ls) != 2 || ls[0].Group != "cg" || ls[0].State != Stable || ls[0].ProtocolType != "consumer" || ls[1].State != Empty {
		t.Fatalf("list: %+v %v", ls, err)
	}
	d, _ := h.c.DescribeGroup("cg")
	if d.Protocol != "range" || len(d.Members) != 1 || string(d.Members[0].Assignment) != "a-a" || d.Members[0].ClientHost != "/127.0.0.1" {
		t.Fatalf("describe: %+v", d)
	}
	d, err = h.c.DescribeGroup("none")
	if err != nil || d.State != Dead {
		t.Fatalf("describe unknown: %+v %v", d, err)
	}
}

func TestOffsetExpiry(t *testing.T) {
	cfg := testConfig()
	cfg.OffsetsRetention = time.Hour
	h := newHarness(t, cfg)
	commitOne(h, simpleCommit("simple", "t", 0, 1))
	a := &consumer{client: "a", protos: []Protocol{{Name: "range", Metadata: consumerMeta("t")}}}
	h.stableGroup("cg", a)
	commitOne(h, CommitRequest{Group: "cg", Generation: 1, MemberID: a.id, RetentionMs: -1, Offsets: []CommitOffset{{TopicPartition: TopicPartition{"t", 0}, Offset: 9, Timestamp: -1}}})
	live := func(d time.Duration) { // a keeps its session
		for range int(d / (5 * time.Second)) {
			h.clock.Advance(5 * time.Second)
			if err := h.heartbeat("cg", a); err != nil {
				t.Fatal(err)
			}
		}
	}
	live(59 * time.Minute)
	if n := h.c.ExpireOffsets(); n != 0 {
		t.Fatalf("%d offsets expired before the retention", n)
	}
	live(2 * time.Minute)
	if n := h.c.ExpireOffsets(); n != 1 {
		t.Fatalf("%d offsets expired, want the simple group's one (cg is stable and subscribed)", n)
	}
	h.wantState("simple", Dead)
	h.wantState("cg", Stable)
	// Once the group is empty, its offsets go retention after that.
	if _, err := h.c.Leave("cg", []LeavingMember{{MemberID: a.id}}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(59 * time.Minute)
	if n := h.c.ExpireOffsets(); n != 0 {
		t.Fatalf("%d offsets of the empty group expired early", n)
	}
	h.clock.Advance(time.Minute)
	if n := h.c.ExpireOffsets(); n != 1 {
		t.Fatalf("%d offsets of the empty group expired, want 1", n)
	}
	h.wantState("cg", Dead)
}

func TestNotCoordinatorAndLoading(t *testing.T) {
	h := newHarness(t, testConfig())
	p := h.c.PartitionFor("g")
	h.c.BecameFollower(p)
	errs, _ := commitOne(h, simpleCommit("g", "t", 0, 1))
	wantErr(t, "commit on a follower", errs[0], kerr.NotCoordinator)
	wantErr(t, "heartbeat on a follower", h.c.Heartbeat(HeartbeatRequest{Group: "g"}), kerr.NotCoordinator)
	s := h.c.shards[p]
	s.mu.Lock()
	s.status = loading
	s.mu.Unlock()
	_, err := h.c.FetchOffsets("g", nil)
	wantErr(t, "fetch while loading", err, kerr.CoordinatorLoadInProgress)
	if _, err := h.c.ListGroups(); err != kerr.CoordinatorLoadInProgress {
		t.Fatalf("list while loading: %v", err)
	}
}

func TestUnloadAnswersParkedRequests(t *testing.T) {
	h := newHarness(t, testConfig())
	a := &consumer{client: "a", protos: protos("range")}
	h.startJoin("g", a)
	var errs []error
	h.c.CommitOffsets(simpleCommit("g2", "t", 0, 1), func(e []error) { errs = e })
	h.c.BecameFollower(h.c.PartitionFor("g"))
	h.c.BecameFollower(h.c.PartitionFor("g2"))
	wantErr(t, "parked join", h.joined(a).Err, kerr.NotCoordinator)
	h.log.settle()
	wantErr(t, "in-flight commit", errs[0], kerr.NotCoordinator)
}
