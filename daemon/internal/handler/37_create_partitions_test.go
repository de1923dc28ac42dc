package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func createPartitionsReq(topics ...kmsg.CreatePartitionsRequestTopic) *kmsg.CreatePartitionsRequest {
	req := kmsg.NewPtrCreatePartitionsRequest()
	req.Version, req.TimeoutMillis, req.Topics = 3, int32(testTimeout.Milliseconds()), topics
	return req
}

func growTo(topic string, count int32, assignment ...[]int32) kmsg.CreatePartitionsRequestTopic {
	rt := kmsg.NewCreatePartitionsRequestTopic()
	rt.Topic, rt.Count = topic, count
	for _, a := range assignment {
		rt.Assignment = append(rt.Assignment, kmsg.CreatePartitionsRequestTopicAssignment{Replicas: a})
	}
	return rt
}

func TestCreatePartitions(t *testing.T) {
	tests := []struct {
		name         string
		topics       []kmsg.CreatePartitionsRequestTopic
		validateOnly bool
		codes        []int16
		added        map[int32][]int32 // what t got; nil: nothing
	}{
		{name: "grow with placement", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 3)}, codes: []int16{0},
			added: map[int32][]int32{1: nil, 2: nil}},
		{name: "grow with assignment", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 3, []int32{2, 3}, []int32{3, 1})}, codes: []int16{0},
			added: map[int32][]int32{1: {2, 3}, 2: {3, 1}}},
		{name: "validate only", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 3)}, validateOnly: true, codes: []int16{0}},
		{name: "same count", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 1)}, codes: []int16{kerr.InvalidPartitions.Code}},
		{name: "fewer", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 0)}, codes: []int16{kerr.InvalidPartitions.Code}},
		{name: "unknown topic", topics: []kmsg.CreatePartitionsRequestTopic{growTo("nope", 3)}, codes: []int16{kerr.UnknownTopicOrPartition.Code}},
		{name: "internal topic", topics: []kmsg.CreatePartitionsRequestTopic{growTo("__consumer_offsets", 3)}, codes: []int16{kerr.PolicyViolation.Code}},
		{name: "assignment count mismatch", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 3, []int32{1, 2})},
			codes: []int16{kerr.InvalidReplicaAssignment.Code}},
		{name: "assignment with unknown broker", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 2, []int32{1, 9})},
			codes: []int16{kerr.InvalidReplicaAssignment.Code}},
		{name: "assignment with other replication factor", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 2, []int32{1})},
			codes: []int16{kerr.InvalidReplicaAssignment.Code}},
		{name: "duplicate topic", topics: []kmsg.CreatePartitionsRequestTopic{growTo("t", 3), growTo("t", 4)},
			codes: []int16{kerr.InvalidRequest.Code, kerr.InvalidRequest.Code}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.actAsController()
			f.topic("t", part{leader: self, replicas: []int32{self, 2}})
			f.topic("__consumer_offsets", ledHere(1)...)
			req := createPartitionsReq(tc.topics...)
			req.ValidateOnly = tc.validateOnly
			resp := f.call(req).(*kmsg.CreatePartitionsResponse)
			for i, rt := range resp.Topics {
				if rt.ErrorCode != tc.codes[i] {
					t.Errorf("topic %d: error %d (%v), want %d", i, rt.ErrorCode, rt.ErrorMessage, tc.codes[i])
				}
			}
			added := f.admin.addedPartitions("t")
			if len(added) != len(tc.added) {
				t.Fatalf("added %v, want %v", added, tc.added)
			}
			for p, want := range tc.added {
				got, ok := added[p]
				if !ok || len(got) != 2 || (want != nil && (got[0] != want[0] || got[1] != want[1])) {
					t.Errorf("partition %d: replicas %v, want %v (2 replicas)", p, got, want)
				}
			}
			if tc.added != nil {
				if topic, _ := f.cache.Load().Topic("t"); len(topic.Partitions) != 3 {
					t.Errorf("answered with %d partitions in the cache, want 3", len(topic.Partitions))
				}
			}
		})
	}
}

func TestCreatePartitionsTimeout(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	req := createPartitionsReq(growTo("t", 2))
	req.TimeoutMillis = 20
	rt := f.call(req).(*kmsg.CreatePartitionsResponse).Topics[0]
	if rt.ErrorCode != kerr.RequestTimedOut.Code {
		t.Fatalf("error %d, want REQUEST_TIMED_OUT", rt.ErrorCode)
	}
}

func TestCreatePartitionsBudget(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	for _, count := range []int32{10_002, 1<<31 - 1} {
		req := createPartitionsReq(growTo("t", count))
		req.ValidateOnly = true
		if rt := f.call(req).(*kmsg.CreatePartitionsResponse).Topics[0]; rt.ErrorCode != kerr.PolicyViolation.Code {
			t.Errorf("grow to %d: error %d, want POLICY_VIOLATION", count, rt.ErrorCode)
		}
	}
	req := createPartitionsReq(growTo("t", 10_001))
	req.ValidateOnly = true
	if rt := f.call(req).(*kmsg.CreatePartitionsResponse).Topics[0]; rt.ErrorCode != 0 {
		t.Errorf("grow by exactly the limit: error %d", rt.ErrorCode)
	}
}

// CreatePartitions with a timeout answers once this broker's cache shows
// every new partition with a leader.
func TestCreatePartitionsWaitsForEveryLeader(t *testing.T) {
	tests := []struct {
		name  string
		added part
		code  int16
	}{
		{name: "new partition without a leader", added: part{leader: -1, replicas: []int32{2}}, code: kerr.RequestTimedOut.Code},
		{name: "new partition led", added: part{leader: 2, replicas: []int32{2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(1)...)
			f.admin.onAdd = func(topic string, _ map[int32][]int32) { f.topic(topic, append(ledHere(1), tc.added)...) }
			req := createPartitionsReq(growTo("t", 2))
			req.TimeoutMillis = 50
			if rt := f.call(req).(*kmsg.CreatePartitionsResponse).Topics[0]; rt.ErrorCode != tc.code {
				t.Fatalf("error %d, want %d", rt.ErrorCode, tc.code)
			}
		})
	}
}
