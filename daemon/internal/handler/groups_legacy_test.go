package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// fetchOffsetOld reads one committed offset with OffsetFetch v0 or v1.
func fetchOffsetOld(t *testing.T, f *fixture, version int16, group, topic string, partition int32) (int64, int16) {
	t.Helper()
	req := kmsg.NewPtrOffsetFetchRequest()
	req.Version, req.Group = version, group
	req.Topics = []kmsg.OffsetFetchRequestTopic{{Topic: topic, Partitions: []int32{partition}}}
	p := f.call(req).(*kmsg.OffsetFetchResponse).Topics[0].Partitions[0]
	return p.Offset, p.ErrorCode
}

// TestOffsetCommitFetchOldVersions: the versions sarama uses before Kafka
// 0.9 (OffsetCommit/OffsetFetch v0, offsets of a group without members)
// and with 0.9-era groups (JoinGroup/SyncGroup v0, OffsetCommit v1 with
// generation and member id). Kafka 3.9 in ZooKeeper mode writes v0 commits
// to /consumers/<group>/offsets in ZooKeeper and reads v0 fetches from
// there, and so does kq: a v0 committer reads back what it committed, and
// v1+ fetches, answered by the group coordinator, do not see it.
func TestOffsetCommitFetchOldVersions(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(2)...)
	f.offsetsLedHere()

	simple := &member{f: f, group: "a"} // no member id, no generation
	if code := simple.commit(0, "t", 0, 17); code != 0 {
		t.Fatalf("OffsetCommit v0: error %d", code)
	}
	if off, code := fetchOffsetOld(t, f, 0, "a", "t", 0); code != 0 || off != 17 {
		t.Fatalf("OffsetFetch v0 after a v0 commit: offset %d error %d, want 17", off, code)
	}
	if off, code := fetchOffsetOld(t, f, 1, "a", "t", 0); code != 0 || off != -1 {
		t.Fatalf("OffsetFetch v1 after a v0 commit: offset %d error %d, want -1 (v0 offsets live in ZooKeeper)", off, code)
	}

	m := &member{f: f, group: "b"}
	resp := m.join(0) // v0 assigns the member id on the first join
	if m.id = resp.MemberID; resp.ErrorCode != 0 || resp.LeaderID != m.id || m.id == "" {
		t.Fatalf("JoinGroup v0: %+v", resp)
	}
	sync := kmsg.NewPtrSyncGroupRequest()
	sync.Version, sync.Group, sync.MemberID, sync.Generation = 0, "b", m.id, m.gen
	sync.GroupAssignment = []kmsg.SyncGroupRequestGroupAssignment{{MemberID: m.id, MemberAssignment: []byte("x")}}
	if resp := f.call(sync).(*kmsg.SyncGroupResponse); resp.ErrorCode != 0 {
		t.Fatalf("SyncGroup v0: error %d", resp.ErrorCode)
	}
	if code := m.commit(1, "t", 1, 42); code != 0 {
		t.Fatalf("OffsetCommit v1 from the member: error %d", code)
	}
	stale := *m
	stale.gen++
	if code := stale.commit(1, "t", 1, 43); code != kerr.IllegalGeneration.Code {
		t.Fatalf("OffsetCommit v1 with a wrong generation: error %d, want ILLEGAL_GENERATION", code)
	}
	if off, code := fetchOffsetOld(t, f, 1, "b", "t", 1); code != 0 || off != 42 {
		t.Fatalf("OffsetFetch v1: offset %d error %d, want 42", off, code)
	}
	if off, code := fetchOffsetOld(t, f, 1, "b", "t", 0); code != 0 || off != -1 {
		t.Fatalf("OffsetFetch v1 of an uncommitted partition: offset %d error %d, want -1", off, code)
	}
}
