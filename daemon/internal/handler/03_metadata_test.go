package handler_test

import (
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/handler"
)

// metadataFixture publishes topics in every state the Metadata answer
// distinguishes. Broker 4 is not live.
func metadataFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.topic("a", part{leader: self, epoch: 3, replicas: []int32{self}}, part{leader: self, epoch: 3, replicas: []int32{self}})
	f.topic("b", part{leader: 2, replicas: []int32{2, 3}, isr: []int32{2}})
	f.topic("__consumer_offsets", ledHere(1)...)
	f.topic("offline", part{leader: -1, replicas: []int32{4}})
	f.topic("dead", part{leader: 4, replicas: []int32{4, 2}})
	f.topic("partial", part{leader: 2, replicas: []int32{2, 4}, isr: []int32{2}})
	f.topic("on3", part{leader: 3, replicas: []int32{3}})
	return f
}

var allTopics = []string{"__consumer_offsets", "a", "b", "dead", "offline", "on3", "partial"}

func TestMetadataTopicLists(t *testing.T) {
	tests := []struct {
		name string
		req  *kmsg.MetadataRequest
		want []string
	}{
		{name: "v0 empty list means all", req: metadataReq(0), want: allTopics},
		{name: "v1 null means all", req: withNullTopics(metadataReq(1)), want: allTopics},
		{name: "v1 empty list means none", req: metadataReq(1)},
		{name: "v12 null means all", req: withNullTopics(metadataReq(12)), want: allTopics},
		{name: "v12 empty list means none", req: metadataReq(12)},
		{name: "named topics in request order", req: metadataReq(9, "b", "a"), want: []string{"b", "a"}},
		{name: "a name asked twice is answered once", req: metadataReq(9, "a", "a"), want: []string{"a"}},
	}
	f := metadataFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.call(tc.req).(*kmsg.MetadataResponse)
			var got []string
			for _, rt := range resp.Topics {
				got = append(got, *rt.Topic)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("topics %v, want %v", got, tc.want)
			}
		})
	}
}

func withNullTopics(req *kmsg.MetadataRequest) *kmsg.MetadataRequest {
	req.Topics = nil
	return req
}

func TestMetadataTopicDetails(t *testing.T) {
	f := metadataFixture(t)
	resp := f.call(metadataReq(12, "a", "__consumer_offsets")).(*kmsg.MetadataResponse)
	if resp.ClusterID == nil || *resp.ClusterID != "test-cluster" || resp.ControllerID != self {
		t.Fatalf("cluster %v controller %d, want test-cluster and %d", resp.ClusterID, resp.ControllerID, self)
	}
	a := resp.Topics[0]
	if a.ErrorCode != 0 || a.TopicID != f.topicID("a") || a.IsInternal || len(a.Partitions) != 2 {
		t.Fatalf("topic a: %+v", a)
	}
	for i, p := range a.Partitions {
		if p.Partition != int32(i) || p.Leader != self || p.LeaderEpoch != 3 || !slices.Equal(p.Replicas, []int32{self}) || !slices.Equal(p.ISR, []int32{self}) {
			t.Errorf("a-%d: %+v", i, p)
		}
	}
	if !resp.Topics[1].IsInternal {
		t.Error("__consumer_offsets not marked internal")
	}
}

func TestMetadataPartitionErrors(t *testing.T) {
	tests := []struct {
		name     string
		version  int16
		listener string
		topic    string
		code     int16
		leader   int32
		replicas []int32
	}{
		{name: "no leader", version: 12, topic: "offline", code: kerr.LeaderNotAvailable.Code, leader: -1, replicas: []int32{4}},
		{name: "leader not live", version: 12, topic: "dead", code: kerr.LeaderNotAvailable.Code, leader: -1, replicas: []int32{4, 2}},
		{name: "v0 lists live replicas only", version: 0, topic: "dead", code: kerr.LeaderNotAvailable.Code, leader: -1, replicas: []int32{2}},
		{name: "v0 offline replica", version: 0, topic: "partial", code: kerr.ReplicaNotAvailable.Code, leader: 2, replicas: []int32{2}},
		{name: "v1 offline replica is no error", version: 1, topic: "partial", leader: 2, replicas: []int32{2, 4}},
		{name: "leader without the listener, v6+", version: 12, listener: "EXTERNAL", topic: "on3", code: kerr.ListenerNotFound.Code, leader: -1, replicas: []int32{3}},
		{name: "leader without the listener, v5", version: 5, listener: "EXTERNAL", topic: "on3", code: kerr.LeaderNotAvailable.Code, leader: -1, replicas: []int32{3}},
		{name: "leader with the listener", version: 12, listener: "EXTERNAL", topic: "b", leader: 2, replicas: []int32{2, 3}},
	}
	f := metadataFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			listener := tc.listener
			if listener == "" {
				listener = "PLAINTEXT"
			}
			resp := f.callOn(listener, metadataReq(tc.version, tc.topic)).(*kmsg.MetadataResponse)
			p := resp.Topics[0].Partitions[0]
			if p.ErrorCode != tc.code || p.Leader != tc.leader || !slices.Equal(p.Replicas, tc.replicas) {
				t.Fatalf("code %d leader %d replicas %v, want code %d leader %d replicas %v",
					p.ErrorCode, p.Leader, p.Replicas, tc.code, tc.leader, tc.replicas)
			}
		})
	}
}

// TestMetadataBrokersPerListener: each listener lists the brokers reachable
// on it, at their endpoint for it.
func TestMetadataBrokersPerListener(t *testing.T) {
	tests := []struct {
		listener string
		want     []kmsg.MetadataResponseBroker
	}{
		{listener: "PLAINTEXT", want: []kmsg.MetadataResponseBroker{
			{NodeID: 1, Host: "localhost", Port: 9091}, {NodeID: 2, Host: "localhost", Port: 9092}, {NodeID: 3, Host: "localhost", Port: 9093}}},
		{listener: "EXTERNAL", want: []kmsg.MetadataResponseBroker{
			{NodeID: 1, Host: "ext-1", Port: 19091}, {NodeID: 2, Host: "ext-2", Port: 19092}}},
	}
	f := newFixture(t)
	for _, tc := range tests {
		t.Run(tc.listener, func(t *testing.T) {
			resp := f.callOn(tc.listener, metadataReq(12)).(*kmsg.MetadataResponse)
			if len(resp.Brokers) != len(tc.want) {
				t.Fatalf("brokers %+v, want %+v", resp.Brokers, tc.want)
			}
			for i, b := range resp.Brokers {
				w := tc.want[i]
				if b.NodeID != w.NodeID || b.Host != w.Host || b.Port != w.Port {
					t.Errorf("broker %d: %+v, want %+v", i, b, w)
				}
			}
		})
	}
}

func TestMetadataAutoCreate(t *testing.T) {
	tests := []struct {
		name     string
		req      *kmsg.MetadataRequest
		settings func(*handler.Settings)
		code     int16
		created  bool
	}{
		{name: "allowed", req: metadataReq(12, "new"), code: kerr.LeaderNotAvailable.Code, created: true},
		{name: "v3 always asks for it", req: metadataReq(3, "new"), code: kerr.LeaderNotAvailable.Code, created: true},
		{name: "request disallows", req: disallowAutoCreate(metadataReq(12, "new")), code: kerr.UnknownTopicOrPartition.Code},
		{name: "broker disallows", req: metadataReq(12, "new"), code: kerr.UnknownTopicOrPartition.Code,
			settings: func(s *handler.Settings) { s.AutoCreateTopics = false }},
		{name: "invalid name", req: metadataReq(12, "bad/name"), code: kerr.InvalidTopicException.Code},
		{name: "invalid name, creation disallowed", req: disallowAutoCreate(metadataReq(12, "bad/name")), code: kerr.InvalidTopicException.Code},
		{name: "default replication factor above the live brokers", req: metadataReq(12, "new"), code: kerr.InvalidReplicationFactor.Code,
			settings: func(s *handler.Settings) { s.DefaultReplicationFactor = 4 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.setSettings(func(s *handler.Settings) { s.NumPartitions = 2 })
			if tc.settings != nil {
				f.setSettings(tc.settings)
			}
			resp := f.call(tc.req).(*kmsg.MetadataResponse)
			if got := resp.Topics[0].ErrorCode; got != tc.code {
				t.Fatalf("error code %d, want %d", got, tc.code)
			}
			specs := f.admin.createdSpecs()
			if (len(specs) == 1) != tc.created {
				t.Fatalf("created %+v, want created=%v", specs, tc.created)
			}
			if tc.created && (specs[0].Name != "new" || len(specs[0].Assignment) != 2 || len(specs[0].Assignment[0]) != 1) {
				t.Fatalf("created %+v, want 2 partitions of 1 replica", specs[0])
			}
		})
	}
}

func TestMetadataAllTopicsNeverCreates(t *testing.T) {
	f := newFixture(t)
	f.call(withNullTopics(metadataReq(12)))
	if specs := f.admin.createdSpecs(); len(specs) != 0 {
		t.Fatalf("all-topics request created %+v", specs)
	}
}

func disallowAutoCreate(req *kmsg.MetadataRequest) *kmsg.MetadataRequest {
	req.AllowAutoTopicCreation = false
	return req
}

func TestMetadataByTopicID(t *testing.T) {
	f := metadataFixture(t)
	req := metadataReq(12)
	for _, id := range [][16]byte{f.topicID("a"), {0xEE}} {
		rt := kmsg.NewMetadataRequestTopic()
		rt.TopicID = id
		req.Topics = append(req.Topics, rt)
	}
	resp := f.call(req).(*kmsg.MetadataResponse)
	known, unknown := resp.Topics[0], resp.Topics[1]
	if known.ErrorCode != 0 || known.Topic == nil || *known.Topic != "a" || len(known.Partitions) != 2 {
		t.Errorf("known id: %+v", known)
	}
	if unknown.ErrorCode != kerr.UnknownTopicID.Code || unknown.Topic != nil || unknown.TopicID != [16]byte{0xEE} {
		t.Errorf("unknown id: %+v", unknown)
	}
}
