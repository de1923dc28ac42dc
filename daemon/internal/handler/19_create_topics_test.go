package handler_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/handler"
)

func TestCreateTopicsErrors(t *testing.T) {
	tests := []struct {
		name   string
		topics []kmsg.CreateTopicsRequestTopic
		codes  []int16
	}{
		{name: "exists", topics: []kmsg.CreateTopicsRequestTopic{newTopic("old", 1, 1)}, codes: []int16{kerr.TopicAlreadyExists.Code}},
		{name: "duplicate names", topics: []kmsg.CreateTopicsRequestTopic{newTopic("d", 1, 1), newTopic("e", 1, 1), newTopic("d", 1, 1)},
			codes: []int16{kerr.InvalidRequest.Code, 0, kerr.InvalidRequest.Code}},
		{name: "illegal character", topics: []kmsg.CreateTopicsRequestTopic{newTopic("a b", 1, 1)}, codes: []int16{kerr.InvalidTopicException.Code}},
		{name: "name too long", topics: []kmsg.CreateTopicsRequestTopic{newTopic(strings.Repeat("x", 250), 1, 1)}, codes: []int16{kerr.InvalidTopicException.Code}},
		{name: "dot", topics: []kmsg.CreateTopicsRequestTopic{newTopic(".", 1, 1)}, codes: []int16{kerr.InvalidTopicException.Code}},
		{name: "collides with c_x", topics: []kmsg.CreateTopicsRequestTopic{newTopic("c.x", 1, 1)}, codes: []int16{kerr.InvalidTopicException.Code}},
		{name: "internal", topics: []kmsg.CreateTopicsRequestTopic{newTopic("__consumer_offsets", 1, 1)}, codes: []int16{kerr.PolicyViolation.Code}},
		{name: "zero partitions", topics: []kmsg.CreateTopicsRequestTopic{newTopic("z", 0, 1)}, codes: []int16{kerr.InvalidPartitions.Code}},
		{name: "negative partitions", topics: []kmsg.CreateTopicsRequestTopic{newTopic("z", -2, 1)}, codes: []int16{kerr.InvalidPartitions.Code}},
		{name: "zero replication factor", topics: []kmsg.CreateTopicsRequestTopic{newTopic("z", 1, 0)}, codes: []int16{kerr.InvalidReplicationFactor.Code}},
		{name: "replication factor above live brokers", topics: []kmsg.CreateTopicsRequestTopic{newTopic("z", 1, 4)}, codes: []int16{kerr.InvalidReplicationFactor.Code}},
		{name: "bad config value", topics: []kmsg.CreateTopicsRequestTopic{newTopic("z", 1, 1, "min.insync.replicas", "abc")}, codes: []int16{kerr.InvalidConfig.Code}},
		{name: "unknown config", topics: []kmsg.CreateTopicsRequestTopic{newTopic("z", 1, 1, "no.such.config", "1")}, codes: []int16{kerr.InvalidConfig.Code}},
		{name: "null config value", topics: []kmsg.CreateTopicsRequestTopic{withNullConfig(newTopic("z", 1, 1), "retention.ms")}, codes: []int16{kerr.InvalidConfig.Code}},
		{name: "assignment with partition count", topics: []kmsg.CreateTopicsRequestTopic{withAssignment(newTopic("z", 1, -1), []int32{1})},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "assignment not from 0", topics: []kmsg.CreateTopicsRequestTopic{withAssignment(newTopic("z", -1, -1), nil, []int32{1})},
			codes: []int16{kerr.InvalidReplicaAssignment.Code}},
		{name: "assignment with unknown broker", topics: []kmsg.CreateTopicsRequestTopic{withAssignment(newTopic("z", -1, -1), []int32{9})},
			codes: []int16{kerr.InvalidReplicaAssignment.Code}},
		{name: "assignment with a broker twice", topics: []kmsg.CreateTopicsRequestTopic{withAssignment(newTopic("z", -1, -1), []int32{1, 1})},
			codes: []int16{kerr.InvalidReplicaAssignment.Code}},
		{name: "assignment with uneven replication", topics: []kmsg.CreateTopicsRequestTopic{withAssignment(newTopic("z", -1, -1), []int32{1}, []int32{1, 2})},
			codes: []int16{kerr.InvalidReplicaAssignment.Code}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.actAsController()
			f.topic("old", ledHere(1)...)
			f.topic("c_x", ledHere(1)...)
			resp := f.call(createTopicsReq(7, tc.topics...)).(*kmsg.CreateTopicsResponse)
			var wantCreated []string
			for i, rt := range resp.Topics {
				if rt.ErrorCode != tc.codes[i] {
					t.Errorf("topic %d %q: error %d (%v), want %d", i, rt.Topic, rt.ErrorCode, rt.ErrorMessage, tc.codes[i])
				}
				if rt.ErrorCode != 0 && (rt.ErrorMessage == nil || rt.NumPartitions != -1 || rt.ReplicationFactor != -1) {
					t.Errorf("topic %q: failed with message %v, partitions %d, rf %d; want a message and -1s", rt.Topic, rt.ErrorMessage, rt.NumPartitions, rt.ReplicationFactor)
				}
				if tc.codes[i] == 0 {
					wantCreated = append(wantCreated, rt.Topic)
				}
			}
			var created []string
			for _, s := range f.admin.createdSpecs() {
				created = append(created, s.Name)
			}
			if !slices.Equal(created, wantCreated) {
				t.Errorf("created %v, want %v", created, wantCreated)
			}
		})
	}
}

func withNullConfig(rt kmsg.CreateTopicsRequestTopic, name string) kmsg.CreateTopicsRequestTopic {
	c := kmsg.NewCreateTopicsRequestTopicConfig()
	c.Name = name
	rt.Configs = append(rt.Configs, c)
	return rt
}

// withAssignment sets an explicit assignment; a nil entry skips a partition.
func withAssignment(rt kmsg.CreateTopicsRequestTopic, replicas ...[]int32) kmsg.CreateTopicsRequestTopic {
	for p, r := range replicas {
		if r != nil {
			rt.ReplicaAssignment = append(rt.ReplicaAssignment, kmsg.CreateTopicsRequestTopicReplicaAssignment{Partition: int32(p), Replicas: r})
		}
	}
	return rt
}

func TestCreateTopicsCreates(t *testing.T) {
	tests := []struct {
		name         string
		topic        kmsg.CreateTopicsRequestTopic
		validateOnly bool
		partitions   int32
		rf           int16
		assignment   map[int32][]int32 // nil: any valid placement
	}{
		{name: "partitions and replication factor", topic: newTopic("n", 3, 2), partitions: 3, rf: 2},
		{name: "broker defaults for -1", topic: newTopic("n", -1, -1), partitions: 4, rf: 2},
		{name: "explicit assignment", topic: withAssignment(newTopic("n", -1, -1), []int32{1, 2}, []int32{3, 1}), partitions: 2, rf: 2,
			assignment: map[int32][]int32{0: {1, 2}, 1: {3, 1}}},
		{name: "validate only", topic: newTopic("n", 3, 1), validateOnly: true, partitions: 3, rf: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.actAsController()
			f.setSettings(func(s *handler.Settings) { s.NumPartitions, s.DefaultReplicationFactor = 4, 2 })
			req := createTopicsReq(7, tc.topic)
			req.ValidateOnly = tc.validateOnly
			rt := f.call(req).(*kmsg.CreateTopicsResponse).Topics[0]
			if rt.ErrorCode != 0 || rt.NumPartitions != tc.partitions || rt.ReplicationFactor != tc.rf {
				t.Fatalf("error %d %v, partitions %d, rf %d; want 0, %d, %d", rt.ErrorCode, rt.ErrorMessage, rt.NumPartitions, rt.ReplicationFactor, tc.partitions, tc.rf)
			}
			specs := f.admin.createdSpecs()
			if tc.validateOnly {
				if len(specs) != 0 || rt.TopicID != ([16]byte{}) {
					t.Fatalf("validate_only wrote %+v (topic id %x)", specs, rt.TopicID)
				}
				return
			}
			if len(specs) != 1 || rt.TopicID == ([16]byte{}) {
				t.Fatalf("created %+v with topic id %x, want one topic with an id", specs, rt.TopicID)
			}
			checkAssignment(t, specs[0].Assignment, tc.partitions, tc.rf)
			if tc.assignment != nil && !maps.EqualFunc(specs[0].Assignment, tc.assignment, slices.Equal) {
				t.Errorf("assignment %v, want %v", specs[0].Assignment, tc.assignment)
			}
			if _, ok := f.cache.Load().Topic("n"); !ok {
				t.Error("response sent before the controller published the topic")
			}
		})
	}
}

func checkAssignment(t *testing.T, a map[int32][]int32, partitions int32, rf int16) {
	t.Helper()
	if int32(len(a)) != partitions {
		t.Fatalf("assignment %v: %d partitions, want %d", a, len(a), partitions)
	}
	for p, replicas := range a {
		seen := map[int32]bool{}
		for _, r := range replicas {
			if r < 1 || r > 3 || seen[r] {
				t.Errorf("partition %d: replicas %v", p, replicas)
			}
			seen[r] = true
		}
		if len(replicas) != int(rf) {
			t.Errorf("partition %d: %d replicas, want %d", p, len(replicas), rf)
		}
	}
}

// TestCreateTopicsConfigsEchoed: v5+ answers the new topic's configs, with
// the request's overrides as topic configs.
func TestCreateTopicsConfigsEchoed(t *testing.T) {
	f := newFixture(t)
	f.actAsController()
	for _, version := range []int16{4, 5, 7} {
		name := "n" + string(rune('0'+version))
		rt := f.call(createTopicsReq(version, newTopic(name, 1, 1, "retention.ms", "1000"))).(*kmsg.CreateTopicsResponse).Topics[0]
		if rt.ErrorCode != 0 {
			t.Fatalf("v%d: error %d", version, rt.ErrorCode)
		}
		configs := map[string]kmsg.CreateTopicsResponseTopicConfig{}
		for _, c := range rt.Configs {
			configs[c.Name] = c
		}
		if version < 5 {
			if len(configs) != 0 {
				t.Errorf("v%d: %d configs in a version without them", version, len(configs))
			}
			continue
		}
		if c := configs["retention.ms"]; c.Value == nil || *c.Value != "1000" || c.Source != int8(kmsg.ConfigSourceDynamicTopicConfig) {
			t.Errorf("v%d: retention.ms %+v, want 1000 from the topic", version, c)
		}
		if c := configs["cleanup.policy"]; c.Value == nil || *c.Value != "delete" || c.Source != int8(kmsg.ConfigSourceDefaultConfig) {
			t.Errorf("v%d: cleanup.policy %+v, want the default delete", version, c)
		}
	}
}

func TestCreateTopicsWaiting(t *testing.T) {
	tests := []struct {
		name       string
		controller bool
		timeoutMs  int32
		code       int16
	}{
		{name: "controller never publishes", timeoutMs: 20, code: kerr.RequestTimedOut.Code},
		{name: "timeout 0 answers without waiting", timeoutMs: 0},
		{name: "controller publishes", controller: true, timeoutMs: 60_000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.controller {
				f.actAsController()
			}
			req := createTopicsReq(7, newTopic("n", 1, 1))
			req.TimeoutMillis = tc.timeoutMs
			rt := f.call(req).(*kmsg.CreateTopicsResponse).Topics[0]
			if rt.ErrorCode != tc.code {
				t.Fatalf("error %d, want %d", rt.ErrorCode, tc.code)
			}
		})
	}
}

func TestCreateTopicsAdminFailure(t *testing.T) {
	tests := []struct {
		err  error
		code int16
	}{
		{err: errors.New("store unreachable"), code: kerr.UnknownServerError.Code},
		{err: kerr.TopicAlreadyExists, code: kerr.TopicAlreadyExists.Code},
	}
	for _, tc := range tests {
		f := newFixture(t)
		f.admin.err = tc.err
		for _, version := range []int16{0, 1} {
			rt := f.call(createTopicsReq(version, newTopic("n", 1, 1))).(*kmsg.CreateTopicsResponse).Topics[0]
			if rt.ErrorCode != tc.code {
				t.Errorf("%v v%d: error %d, want %d", tc.err, version, rt.ErrorCode, tc.code)
			}
			if hasMessage := rt.ErrorMessage != nil; hasMessage != (version >= 1) {
				t.Errorf("%v v%d: error message %v", tc.err, version, rt.ErrorMessage)
			}
		}
	}
}

// TestCreateTopicsPartitionBudget: a request for more than 10,000 partitions
// is refused whole, as Kafka's KRaft controller does, before anything tries
// to place 2^31 partitions in memory.
func TestCreateTopicsPartitionBudget(t *testing.T) {
	tests := []struct {
		name   string
		topics []kmsg.CreateTopicsRequestTopic
		code   int16
	}{
		{name: "at the limit", topics: []kmsg.CreateTopicsRequestTopic{newTopic("a", 5_000, 1), newTopic("b", 5_000, 1)}},
		{name: "one over in total", code: kerr.PolicyViolation.Code,
			topics: []kmsg.CreateTopicsRequestTopic{newTopic("a", 5_000, 1), newTopic("b", 5_001, 1)}},
		{name: "max int32", code: kerr.PolicyViolation.Code, topics: []kmsg.CreateTopicsRequestTopic{newTopic("a", 1<<31-1, 1)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			req := createTopicsReq(7, tc.topics...)
			req.ValidateOnly = true
			for _, rt := range f.call(req).(*kmsg.CreateTopicsResponse).Topics {
				if rt.ErrorCode != tc.code {
					t.Errorf("%s: error %d, want %d", rt.Topic, rt.ErrorCode, tc.code)
				}
			}
		})
	}
}

// CreateTopics answers only once this broker's cache shows every partition
// of the topic with a leader, as Kafka's DelayedCreatePartitions.
func TestCreateTopicsWaitsForEveryLeader(t *testing.T) {
	tests := []struct {
		name      string
		published []part
		code      int16
	}{
		{name: "a partition without a leader", published: []part{{leader: 2, replicas: []int32{2}}, {leader: -1, replicas: []int32{2}}}, code: kerr.RequestTimedOut.Code},
		{name: "fewer partitions than created", published: []part{{leader: 2, replicas: []int32{2}}}, code: kerr.RequestTimedOut.Code},
		{name: "every partition led", published: []part{{leader: 2, replicas: []int32{2}}, {leader: 3, replicas: []int32{3}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.admin.onCreate = func(spec handler.TopicSpec) { f.topic(spec.Name, tc.published...) }
			req := createTopicsReq(7, newTopic("n", 2, 1))
			req.TimeoutMillis = 50
			if rt := f.call(req).(*kmsg.CreateTopicsResponse).Topics[0]; rt.ErrorCode != tc.code {
				t.Fatalf("error %d, want %d", rt.ErrorCode, tc.code)
			}
		})
	}
}
