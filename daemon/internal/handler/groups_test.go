package handler_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// testOffsetsPartitions keeps __consumer_offsets small in these tests.
const testOffsetsPartitions = 3

func newTestCoordinator(t testing.TB, replicas *replica.Manager, logger *slog.Logger) *group.Coordinator {
	cfg := group.DefaultConfig()
	cfg.Partitions = testOffsetsPartitions
	cfg.InitialRebalanceDelay = 0
	stop := make(chan struct{})
	c := group.New(group.Options{Config: cfg, Logger: logger, Log: group.ReplicaLog{
		Replicas: replicas, MinInsync: func() int { return 1 }, Timeout: testTimeout, Stop: stop,
	}})
	t.Cleanup(func() {
		close(stop)
		c.Close()
	})
	return c
}

func (f *fixture) onLeadership(topic string, partition int32, leader bool, epoch int32) {
	if topic == txn.TopicName {
		f.onTxnLeadership(partition, leader, epoch)
		return
	}
	if topic != group.TopicName || f.groups == nil {
		return
	}
	if leader {
		f.groups.BecameLeader(partition, epoch)
	} else {
		f.groups.BecameFollower(partition)
	}
}

// offsetsLedHere publishes __consumer_offsets led by this broker and waits
// until the coordinator has loaded every partition.
func (f *fixture) offsetsLedHere() {
	f.t.Helper()
	f.topic(group.TopicName, ledHere(testOffsetsPartitions)...)
	for _, g := range []string{"g", "a", "b", "c", "d", "e"} {
		waitFor(f.t, "coordinator loaded", func() bool { return f.groups.IsCoordinatorFor(g) == nil })
	}
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, testTimeout)
		}
		time.Sleep(time.Millisecond) // polling a condition with a deadline
	}
}

func TestFindCoordinatorCreatesOffsetsTopic(t *testing.T) {
	f := newFixture(t)
	f.actAsController()
	req := kmsg.NewPtrFindCoordinatorRequest()
	req.Version, req.CoordinatorKey = 3, "g"
	resp := f.call(req).(*kmsg.FindCoordinatorResponse)
	if len(f.admin.created) != 1 {
		t.Fatalf("created %d topics", len(f.admin.created))
	}
	spec := f.admin.created[0]
	if spec.Name != "__consumer_offsets" || len(spec.Assignment) != testOffsetsPartitions || len(spec.Assignment[0]) != 3 ||
		spec.Configs["cleanup.policy"] != "compact" || spec.Configs["segment.bytes"] != "104857600" {
		t.Fatalf("offsets topic spec %+v", spec)
	}
	p, _ := f.cache.Load().Partition(group.TopicName, f.groups.PartitionFor("g"))
	if resp.ErrorCode != 0 || resp.NodeID != p.Leader || resp.Port != 9090+p.Leader {
		t.Fatalf("coordinator %+v, want the leader %d of partition %d", resp, p.Leader, f.groups.PartitionFor("g"))
	}
	f.call(req)
	if len(f.admin.created) != 1 {
		t.Fatal("__consumer_offsets created twice")
	}
}

func TestFindCoordinatorReplicationFactorCappedByLiveBrokers(t *testing.T) {
	f := newFixture(t)
	f.setSettings(func(s *handler.Settings) { s.OffsetsTopicReplicationFactor = 5 })
	req := kmsg.NewPtrFindCoordinatorRequest()
	req.Version, req.CoordinatorKey = 2, "g"
	resp := f.call(req).(*kmsg.FindCoordinatorResponse)
	if resp.ErrorCode != kerr.CoordinatorNotAvailable.Code { // the fake controller publishes nothing
		t.Fatalf("error %d", resp.ErrorCode)
	}
	if rf := len(f.admin.created[0].Assignment[0]); rf != 3 {
		t.Fatalf("replication factor %d, want the 3 live brokers", rf)
	}
}

func TestFindCoordinatorBatchedAndKeyTypes(t *testing.T) {
	f := newFixture(t)
	f.offsetsLedHere()
	req := kmsg.NewPtrFindCoordinatorRequest()
	req.Version, req.CoordinatorKeys = 4, []string{"g", "other"}
	resp := f.call(req).(*kmsg.FindCoordinatorResponse)
	if len(resp.Coordinators) != 2 || resp.Coordinators[1].Key != "other" || resp.Coordinators[0].NodeID != self || resp.Coordinators[0].Host != "localhost" {
		t.Fatalf("batched: %+v", resp.Coordinators)
	}
	tests := []struct {
		keyType int8
		want    int16
	}{{1, kerr.CoordinatorNotAvailable.Code}, {7, kerr.InvalidRequest.Code}}
	for _, tt := range tests {
		req.CoordinatorType = tt.keyType
		resp := f.call(req).(*kmsg.FindCoordinatorResponse)
		if resp.Coordinators[0].ErrorCode != tt.want || resp.Coordinators[0].NodeID != -1 {
			t.Fatalf("key type %d: %+v", tt.keyType, resp.Coordinators[0])
		}
	}
}

// member drives one group member through the handlers.
type member struct {
	f        *fixture
	group    string
	id       string
	gen      int32
	protocol string
	leader   bool
}

func (m *member) join(version int16) *kmsg.JoinGroupResponse {
	m.f.t.Helper()
	req := kmsg.NewPtrJoinGroupRequest()
	req.Version, req.Group, req.MemberID = version, m.group, m.id
	req.SessionTimeoutMillis, req.RebalanceTimeoutMillis, req.ProtocolType = 10_000, 10_000, "consumer"
	req.Protocols = []kmsg.JoinGroupRequestProtocol{{Name: "range", Metadata: []byte{0, 0, 0, 0, 0, 1, 0, 1, 't', 0xff, 0xff, 0xff, 0xff}}}
	resp := m.f.call(req).(*kmsg.JoinGroupResponse)
	if resp.ErrorCode == kerr.MemberIDRequired.Code {
		m.id = resp.MemberID
		req.MemberID = m.id
		resp = m.f.call(req).(*kmsg.JoinGroupResponse)
	}
	if resp.ErrorCode == 0 {
		m.gen, m.leader = resp.Generation, resp.LeaderID == m.id
		if resp.Protocol != nil {
			m.protocol = *resp.Protocol
		}
	}
	return resp
}

func (m *member) sync(assign map[string][]byte) *kmsg.SyncGroupResponse {
	m.f.t.Helper()
	req := kmsg.NewPtrSyncGroupRequest()
	req.Version, req.Group, req.MemberID, req.Generation = 5, m.group, m.id, m.gen
	pt := "consumer"
	req.ProtocolType, req.Protocol = &pt, &m.protocol
	for id, a := range assign {
		req.GroupAssignment = append(req.GroupAssignment, kmsg.SyncGroupRequestGroupAssignment{MemberID: id, MemberAssignment: a})
	}
	return m.f.call(req).(*kmsg.SyncGroupResponse)
}

func (m *member) commit(version int16, topic string, partition int32, offset int64) int16 {
	m.f.t.Helper()
	req := kmsg.NewPtrOffsetCommitRequest()
	req.Version, req.Group, req.MemberID, req.Generation = version, m.group, m.id, m.gen
	req.Topics = []kmsg.OffsetCommitRequestTopic{{Topic: topic, Partitions: []kmsg.OffsetCommitRequestTopicPartition{{Partition: partition, Offset: offset, LeaderEpoch: -1, Timestamp: -1}}}}
	resp := m.f.call(req).(*kmsg.OffsetCommitResponse)
	return resp.Topics[0].Partitions[0].ErrorCode
}

func TestGroupLifecycleThroughHandlers(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(2)...)
	f.offsetsLedHere()
	m := &member{f: f, group: "g"}
	if resp := m.join(9); resp.ErrorCode != 0 || resp.Generation != 1 || !m.leader || len(resp.Members) != 1 || *resp.ProtocolType != "consumer" {
		t.Fatalf("join: %+v", resp)
	}
	if resp := m.sync(map[string][]byte{m.id: []byte("assignment")}); resp.ErrorCode != 0 || string(resp.MemberAssignment) != "assignment" || *resp.Protocol != "range" {
		t.Fatalf("sync: %+v", resp)
	}
	hb := kmsg.NewPtrHeartbeatRequest()
	hb.Version, hb.Group, hb.MemberID, hb.Generation = 4, "g", m.id, m.gen
	if resp := f.call(hb).(*kmsg.HeartbeatResponse); resp.ErrorCode != 0 {
		t.Fatalf("heartbeat: %d", resp.ErrorCode)
	}
	for _, tt := range []struct {
		topic string
		want  int16
	}{{"t", 0}, {"missing", kerr.UnknownTopicOrPartition.Code}} {
		if code := m.commit(9, tt.topic, 1, 42); code != tt.want {
			t.Fatalf("commit to %s: %d, want %d", tt.topic, code, tt.want)
		}
	}
	stale := *m
	stale.gen = 0
	if code := stale.commit(9, "t", 1, 43); code != kerr.IllegalGeneration.Code {
		t.Fatalf("stale commit: %d", code)
	}
	checkFetched(t, f, 42)
	describeAndList(t, f, m)
	leave := kmsg.NewPtrLeaveGroupRequest()
	leave.Version, leave.Group = 5, "g"
	leave.Members = []kmsg.LeaveGroupRequestMember{{MemberID: m.id}, {MemberID: "ghost"}}
	lr := f.call(leave).(*kmsg.LeaveGroupResponse)
	if lr.ErrorCode != 0 || lr.Members[0].ErrorCode != 0 || lr.Members[1].ErrorCode != kerr.UnknownMemberID.Code {
		t.Fatalf("leave: %+v", lr)
	}
	deleteOffsetsAndGroup(t, f)
}

func checkFetched(t *testing.T, f *fixture, want int64) {
	t.Helper()
	v7 := kmsg.NewPtrOffsetFetchRequest()
	v7.Version, v7.Group = 7, "g"
	v7.Topics = []kmsg.OffsetFetchRequestTopic{{Topic: "t", Partitions: []int32{0, 1}}}
	r7 := f.call(v7).(*kmsg.OffsetFetchResponse)
	if r7.ErrorCode != 0 || r7.Topics[0].Partitions[0].Offset != -1 || r7.Topics[0].Partitions[1].Offset != want {
		t.Fatalf("fetch v7: %+v", r7)
	}
	v8 := kmsg.NewPtrOffsetFetchRequest()
	v8.Version = 8
	v8.Groups = []kmsg.OffsetFetchRequestGroup{{Group: "g"}, {Group: "unknown"}}
	r8 := f.call(v8).(*kmsg.OffsetFetchResponse)
	if len(r8.Groups) != 2 || len(r8.Groups[0].Topics) != 1 || r8.Groups[0].Topics[0].Partitions[0].Offset != want || len(r8.Groups[1].Topics) != 0 {
		t.Fatalf("fetch v8 (all topics): %+v", r8.Groups)
	}
}

func describeAndList(t *testing.T, f *fixture, m *member) {
	t.Helper()
	d := kmsg.NewPtrDescribeGroupsRequest()
	d.Version, d.Groups, d.IncludeAuthorizedOperations = 5, []string{"g", "nope"}, true
	dr := f.call(d).(*kmsg.DescribeGroupsResponse)
	g := dr.Groups[0]
	if g.State != "Stable" || g.Protocol != "range" || len(g.Members) != 1 || g.Members[0].MemberID != m.id || string(g.Members[0].MemberAssignment) != "assignment" {
		t.Fatalf("describe: %+v", g)
	}
	if dr.Groups[1].State != "Dead" || dr.Groups[1].ErrorCode != 0 {
		t.Fatalf("describe unknown: %+v", dr.Groups[1])
	}
	l := kmsg.NewPtrListGroupsRequest()
	l.Version, l.StatesFilter = 5, []string{"stable"}
	lr := f.call(l).(*kmsg.ListGroupsResponse)
	if len(lr.Groups) != 1 || lr.Groups[0].Group != "g" || lr.Groups[0].GroupType != "classic" {
		t.Fatalf("list: %+v", lr.Groups)
	}
	l.StatesFilter = []string{"Empty"}
	if lr := f.call(l).(*kmsg.ListGroupsResponse); len(lr.Groups) != 0 {
		t.Fatalf("list empty: %+v", lr.Groups)
	}
}

func deleteOffsetsAndGroup(t *testing.T, f *fixture) {
	t.Helper()
	od := kmsg.NewPtrOffsetDeleteRequest()
	od.Group = "g"
	od.Topics = []kmsg.OffsetDeleteRequestTopic{{Topic: "t", Partitions: []kmsg.OffsetDeleteRequestTopicPartition{{Partition: 1}, {Partition: 9}}}}
	odr := f.call(od).(*kmsg.OffsetDeleteResponse)
	if odr.ErrorCode != 0 || odr.Topics[0].Partitions[0].ErrorCode != 0 || odr.Topics[0].Partitions[1].ErrorCode != kerr.UnknownTopicOrPartition.Code {
		t.Fatalf("offset delete: %+v", odr)
	}
	dg := kmsg.NewPtrDeleteGroupsRequest()
	dg.Version, dg.Groups = 2, []string{"g", "g"}
	dgr := f.call(dg).(*kmsg.DeleteGroupsResponse)
	if dgr.Groups[0].ErrorCode != 0 || dgr.Groups[1].ErrorCode != kerr.GroupIDNotFound.Code {
		t.Fatalf("delete groups: %+v", dgr.Groups)
	}
}

func TestGroupRequestsOnAnotherCoordinator(t *testing.T) {
	f := newFixture(t)
	f.topic(group.TopicName, part{leader: 2, replicas: []int32{2, self}}, part{leader: 2, replicas: []int32{2, self}}, part{leader: 2, replicas: []int32{2, self}})
	m := &member{f: f, group: "g"}
	if resp := m.join(9); resp.ErrorCode != kerr.NotCoordinator.Code {
		t.Fatalf("join: %d", resp.ErrorCode)
	}
	if code := m.commit(2, "t", 0, 1); code != kerr.UnknownTopicOrPartition.Code {
		t.Fatalf("commit of an unknown topic: %d", code)
	}
	f.topic("t", ledHere(1)...)
	if code := m.commit(2, "t", 0, 1); code != kerr.NotCoordinator.Code {
		t.Fatalf("commit: %d", code)
	}
	v1 := kmsg.NewPtrOffsetFetchRequest()
	v1.Version, v1.Group = 1, "g"
	v1.Topics = []kmsg.OffsetFetchRequestTopic{{Topic: "t", Partitions: []int32{0}}}
	r1 := f.call(v1).(*kmsg.OffsetFetchResponse)
	if r1.Topics[0].Partitions[0].ErrorCode != kerr.NotCoordinator.Code {
		t.Fatalf("fetch v1: %+v", r1)
	}
}

func TestCommitSurvivesCoordinatorReload(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.offsetsLedHere()
	simple := &member{f: f, group: "s", gen: -1}
	if code := simple.commit(2, "t", 0, 7); code != 0 {
		t.Fatalf("simple commit: %d", code)
	}
	// Leadership moves away and back (a new epoch): the group is reloaded
	// from the partition.
	p := f.groups.PartitionFor("s")
	parts := ledHere(testOffsetsPartitions)
	parts[p] = part{leader: 2, epoch: 1, replicas: []int32{self, 2}}
	f.topic(group.TopicName, parts...)
	if err := f.groups.IsCoordinatorFor("s"); err != kerr.NotCoordinator {
		t.Fatalf("after losing leadership: %v", err)
	}
	parts[p] = part{leader: self, epoch: 2, replicas: []int32{self, 2}, isr: []int32{self}}
	f.topic(group.TopicName, parts...)
	waitFor(t, "reloaded", func() bool { return f.groups.IsCoordinatorFor("s") == nil })
	got, err := f.groups.FetchOffsets("s", nil)
	if err != nil || len(got) != 1 || got[0].Offset != 7 {
		t.Fatalf("offsets after reload: %+v %v", got, err)
	}
}
