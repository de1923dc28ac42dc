package handler_test

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/partitionlog"
)

// leaderAndIsrPart is one partition state of a LeaderAndIsr request.
func leaderAndIsrPart(partition, leader, epoch int32, replicas ...int32) kmsg.LeaderAndISRRequestTopicPartition {
	s := kmsg.NewLeaderAndISRRequestTopicPartition()
	s.Partition, s.Leader, s.LeaderEpoch, s.Replicas, s.ISR = partition, leader, epoch, replicas, replicas
	return s
}

func TestLeaderAndIsr(t *testing.T) {
	tests := []struct {
		name      string
		req       func(f *fixture) *kmsg.LeaderAndISRRequest
		topCode   int16
		code      int16
		wantEpoch int32 // leader epoch of t-0 afterwards
	}{
		{name: "newer leader epoch", wantEpoch: 4, req: func(f *fixture) *kmsg.LeaderAndISRRequest {
			return f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t", TopicID: f.topicID("t"),
				PartitionStates: []kmsg.LeaderAndISRRequestTopicPartition{leaderAndIsrPart(0, self, 4, self)}})
		}},
		{name: "same leader epoch (an ISR change)", wantEpoch: 3, req: func(f *fixture) *kmsg.LeaderAndISRRequest {
			return f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t", TopicID: f.topicID("t"),
				PartitionStates: []kmsg.LeaderAndISRRequestTopicPartition{leaderAndIsrPart(0, self, 3, self)}})
		}},
		{name: "older leader epoch", code: kerr.StaleControllerEpoch.Code, wantEpoch: 3, req: func(f *fixture) *kmsg.LeaderAndISRRequest {
			return f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t", TopicID: f.topicID("t"),
				PartitionStates: []kmsg.LeaderAndISRRequestTopicPartition{leaderAndIsrPart(0, self, 2, self)}})
		}},
		{name: "older controller epoch", topCode: kerr.StaleControllerEpoch.Code, code: kerr.StaleControllerEpoch.Code, wantEpoch: 3,
			req: func(f *fixture) *kmsg.LeaderAndISRRequest {
				req := f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t", TopicID: f.topicID("t"),
					PartitionStates: []kmsg.LeaderAndISRRequestTopicPartition{leaderAndIsrPart(0, self, 9, self)}})
				req.ControllerEpoch = f.controllerEpoch - 1
				return req
			}},
		{name: "v4 without topic ids keeps the log", wantEpoch: 4, req: func(f *fixture) *kmsg.LeaderAndISRRequest {
			req := f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t",
				PartitionStates: []kmsg.LeaderAndISRRequestTopicPartition{leaderAndIsrPart(0, self, 4, self)}})
			req.Version = 4
			return req
		}},
		{name: "v1 partition states", wantEpoch: 4, req: func(f *fixture) *kmsg.LeaderAndISRRequest {
			req := f.leaderAndIsr()
			req.Version = 1
			s := leaderAndIsrPart(0, self, 4, self)
			s.Topic = "t"
			req.PartitionStates = []kmsg.LeaderAndISRRequestTopicPartition{s}
			return req
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.controllerEpoch = 5
			f.topic("t", part{leader: self, epoch: 3, replicas: []int32{self}})
			f.produce("t", 0, batch(1000, "a"))
			resp := f.call(tc.req(f)).(*kmsg.LeaderAndISRResponse)
			if resp.ErrorCode != tc.topCode {
				t.Fatalf("top-level error %d, want %d", resp.ErrorCode, tc.topCode)
			}
			codes := leaderAndIsrCodes(resp)
			if len(codes) != 1 || codes[0] != tc.code {
				t.Fatalf("partition codes %v, want [%d]", codes, tc.code)
			}
			p := mustPartition(f, "t", 0)
			if got := p.State().LeaderEpoch; got != tc.wantEpoch {
				t.Errorf("leader epoch %d, want %d", got, tc.wantEpoch)
			}
			if _, _, leo := p.Offsets(); leo != 1 {
				t.Errorf("log end offset %d, want the record kept", leo)
			}
		})
	}
}

func leaderAndIsrCodes(resp *kmsg.LeaderAndISRResponse) []int16 {
	var out []int16
	for _, p := range resp.Partitions {
		out = append(out, p.ErrorCode)
	}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			out = append(out, p.ErrorCode)
		}
	}
	return out
}

// TestLeaderAndIsrRefusals: partitions this broker must not create a log
// for, whoever sends the request (any client can).
func TestLeaderAndIsrRefusals(t *testing.T) {
	tests := []struct {
		name  string
		topic string
		state kmsg.LeaderAndISRRequestTopicPartition
	}{
		{name: "not a replica", topic: "x", state: leaderAndIsrPart(0, 2, 0, 2, 3)},
		{name: "path in the topic name", topic: "../escape", state: leaderAndIsrPart(0, self, 0, self)},
		{name: "negative partition", topic: "x", state: leaderAndIsrPart(-1, self, 0, self)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			resp := f.call(f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: tc.topic, TopicID: f.topicID(tc.topic),
				PartitionStates: []kmsg.LeaderAndISRRequestTopicPartition{tc.state}})).(*kmsg.LeaderAndISRResponse)
			if codes := leaderAndIsrCodes(resp); len(codes) != 1 || codes[0] != kerr.UnknownTopicOrPartition.Code {
				t.Fatalf("codes %v, want [UNKNOWN_TOPIC_OR_PARTITION]", codes)
			}
			if n := len(f.logs.All()); n != 0 {
				t.Fatalf("%d logs created", n)
			}
		})
	}
}

// TestLeaderAndIsrRecreatedTopic: a new topic id under a known name replaces
// the old partition; a fetch waiting on the old one is woken, not stranded.
func TestLeaderAndIsrRecreatedTopic(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.produce("t", 0, batch(1000, "a"))
	req := fetchReq(int32(time.Hour.Milliseconds()), 1, 1<<20, fetchPart{topic: "t", offset: 1, epoch: -1})
	out, err := f.send(req)
	if err != nil {
		t.Fatal(err)
	}
	resp := f.call(f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t", TopicID: [16]byte{0xBB},
		PartitionStates: []kmsg.LeaderAndISRRequestTopicPartition{leaderAndIsrPart(0, self, 0, self)}})).(*kmsg.LeaderAndISRResponse)
	if codes := leaderAndIsrCodes(resp); len(codes) != 1 || codes[0] != 0 {
		t.Fatalf("codes %v, want [0]", codes)
	}
	if leo := mustLog(f, "t", 0).LogEndOffset(); leo != 0 {
		t.Fatalf("recreated topic's log end %d, want an empty log", leo)
	}
	fetch := f.settle(req, out).(*kmsg.FetchResponse)
	if code := fetch.Topics[0].Partitions[0].ErrorCode; code != kerr.NotLeaderForPartition.Code {
		t.Fatalf("stranded fetch answered %d, want NOT_LEADER_OR_FOLLOWER", code)
	}
}

func TestStopReplica(t *testing.T) {
	tests := []struct {
		name     string
		req      func(f *fixture) *kmsg.StopReplicaRequest
		topCode  int16
		code     int16
		hosted   bool
		logKept  bool
		waitCode int16 // what a fetch long-polling t-0 gets
	}{
		{name: "stop, keep the log", logKept: true, waitCode: kerr.NotLeaderForPartition.Code,
			req: func(f *fixture) *kmsg.StopReplicaRequest { return f.stopReplica(stopState("t", 0, 3, false)) }},
		{name: "stop and delete", waitCode: kerr.NotLeaderForPartition.Code,
			req: func(f *fixture) *kmsg.StopReplicaRequest { return f.stopReplica(stopState("t", 0, -2, true)) }},
		{name: "older leader epoch", code: kerr.FencedLeaderEpoch.Code, hosted: true, logKept: true,
			req: func(f *fixture) *kmsg.StopReplicaRequest { return f.stopReplica(stopState("t", 0, 2, true)) }},
		{name: "older controller epoch", topCode: kerr.StaleControllerEpoch.Code, code: kerr.StaleControllerEpoch.Code, hosted: true, logKept: true,
			req: func(f *fixture) *kmsg.StopReplicaRequest {
				req := f.stopReplica(stopState("t", 0, -2, true))
				req.ControllerEpoch = f.controllerEpoch - 1
				return req
			}},
		{name: "v0 single partition", waitCode: kerr.NotLeaderForPartition.Code,
			req: func(f *fixture) *kmsg.StopReplicaRequest {
				req := f.stopReplica(kmsg.StopReplicaRequestTopic{Topic: "t", Partition: 0})
				req.Version, req.DeletePartitions = 0, true
				return req
			}},
		{name: "v1 partition list", logKept: true, waitCode: kerr.NotLeaderForPartition.Code,
			req: func(f *fixture) *kmsg.StopReplicaRequest {
				req := f.stopReplica(kmsg.StopReplicaRequestTopic{Topic: "t", Partitions: []int32{0}})
				req.Version = 1
				return req
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.controllerEpoch = 5
			f.topic("t", part{leader: self, epoch: 3, replicas: []int32{self}})
			waitReq := fetchReq(int32(time.Hour.Milliseconds()), 1, 1<<20, fetchPart{topic: "t", epoch: -1})
			waiting, err := f.send(waitReq)
			if err != nil {
				t.Fatal(err)
			}
			resp := f.call(tc.req(f)).(*kmsg.StopReplicaResponse)
			if resp.ErrorCode != tc.topCode || len(resp.Partitions) != 1 || resp.Partitions[0].ErrorCode != tc.code {
				t.Fatalf("top-level %d partitions %+v, want %d and [%d]", resp.ErrorCode, resp.Partitions, tc.topCode, tc.code)
			}
			if _, ok := f.replicas.Get("t", 0); ok != tc.hosted {
				t.Errorf("hosted %v, want %v", ok, tc.hosted)
			}
			if _, ok := f.logs.Get(partitionlog.TopicPartition{Topic: "t"}); ok != tc.logKept {
				t.Errorf("log kept %v, want %v", ok, tc.logKept)
			}
			if tc.hosted {
				f.produce("t", 0, batch(1000, "a")) // ends the wait with data instead
			}
			fetch := f.settle(waitReq, waiting).(*kmsg.FetchResponse)
			if code := fetch.Topics[0].Partitions[0].ErrorCode; code != tc.waitCode {
				t.Errorf("waiting fetch answered %d, want %d", code, tc.waitCode)
			}
		})
	}
}

func stopState(topic string, partition, leaderEpoch int32, del bool) kmsg.StopReplicaRequestTopic {
	return kmsg.StopReplicaRequestTopic{Topic: topic, PartitionStates: []kmsg.StopReplicaRequestTopicPartitionState{
		{Partition: partition, LeaderEpoch: leaderEpoch, Delete: del},
	}}
}

func TestUpdateMetadataStaleControllerEpoch(t *testing.T) {
	f := newFixture(t)
	f.controllerEpoch = 5
	f.topic("t", ledHere(1)...)
	req := kmsg.NewPtrUpdateMetadataRequest()
	req.Version, req.ControllerID, req.ControllerEpoch = 8, 2, 4
	s := kmsg.NewUpdateMetadataRequestTopicPartition()
	s.Leader = -2 // would delete t
	req.TopicStates = []kmsg.UpdateMetadataRequestTopicState{{Topic: "t", TopicID: f.topicID("t"), PartitionStates: []kmsg.UpdateMetadataRequestTopicPartition{s}}}
	resp := f.call(req).(*kmsg.UpdateMetadataResponse)
	if resp.ErrorCode != kerr.StaleControllerEpoch.Code {
		t.Fatalf("error %d, want STALE_CONTROLLER_EPOCH", resp.ErrorCode)
	}
	snap := f.cache.Load()
	if _, ok := snap.Topic("t"); !ok || snap.ControllerID != self || len(snap.Brokers) != 3 {
		t.Fatalf("stale UpdateMetadata changed the cache: controller %d, %d brokers", snap.ControllerID, len(snap.Brokers))
	}
}

// TestUpdateMetadataOldBrokerShapes: v0 brokers carry one plaintext host and
// port; v1-v2 endpoints name a security protocol instead of a listener.
func TestUpdateMetadataOldBrokerShapes(t *testing.T) {
	tests := []struct {
		version  int16
		broker   kmsg.UpdateMetadataRequestLiveBroker
		listener string
	}{
		{version: 0, broker: kmsg.UpdateMetadataRequestLiveBroker{ID: 7, Host: "old", Port: 9000}, listener: "PLAINTEXT"},
		{version: 2, broker: kmsg.UpdateMetadataRequestLiveBroker{ID: 7, Endpoints: []kmsg.UpdateMetadataRequestLiveBrokerEndpoint{
			{Host: "old", Port: 9000, SecurityProtocol: 1}}}, listener: "SSL"},
		{version: 3, broker: kmsg.UpdateMetadataRequestLiveBroker{ID: 7, Endpoints: []kmsg.UpdateMetadataRequestLiveBrokerEndpoint{
			{Host: "old", Port: 9000, ListenerName: "INTERNAL"}}}, listener: "INTERNAL"},
	}
	for _, tc := range tests {
		f := newFixture(t)
		req := kmsg.NewPtrUpdateMetadataRequest()
		req.Version, req.ControllerID, req.ControllerEpoch = tc.version, self, f.controllerEpoch
		req.LiveBrokers = []kmsg.UpdateMetadataRequestLiveBroker{tc.broker}
		f.call(req)
		b, ok := f.cache.Load().Brokers[7]
		if !ok {
			t.Fatalf("v%d: broker 7 not in the cache", tc.version)
		}
		if ep, ok := b.Endpoint(tc.listener); !ok || ep.Host != "old" || ep.Port != 9000 {
			t.Errorf("v%d: endpoints %+v, want old:9000 on %s", tc.version, b.Endpoints, tc.listener)
		}
	}
}

// TestControllerEpochIsShared: an UpdateMetadata from a newer controller
// fences LeaderAndIsr from the older one, as Kafka keeps one epoch for all
// controller requests.
func TestControllerEpochIsShared(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.controllerEpoch = 7
	f.updateMetadata()
	req := f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t", TopicID: f.topicID("t"),
		PartitionStates: []kmsg.LeaderAndISRRequestTopicPartition{leaderAndIsrPart(0, self, 5, self)}})
	req.ControllerEpoch = 6
	if resp := f.call(req).(*kmsg.LeaderAndISRResponse); resp.ErrorCode != kerr.StaleControllerEpoch.Code {
		t.Fatalf("LeaderAndIsr from epoch 6 after UpdateMetadata from 7: error %d, want STALE_CONTROLLER_EPOCH", resp.ErrorCode)
	}
}
