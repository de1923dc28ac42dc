package handler

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/placement"
)

// CreateTopics v0-7. The topic is written to the metadata store (assignment
// and config znodes); the controller then elects leaders, and the response
// waits (up to timeout_ms) until this broker's cache shows them.
func (h *Handler) createTopics(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.CreateTopicsRequest)
	resp := body.ResponseKind().(*kmsg.CreateTopicsResponse)
	if err := h.checkPartitionBudget(body); err != nil {
		for _, rt := range body.Topics {
			t := kmsg.NewCreateTopicsResponseTopic()
			t.Topic = rt.Topic
			setCreateError(&t, body.Version, kerr.PolicyViolation, err)
			resp.Topics = append(resp.Topics, t)
		}
		return &server.Response{Msg: resp}, nil
	}
	dups := duplicateNames(body)
	var created []int // indexes of topics to wait for
	mayCreateAny := h.allowedCluster(req, opCreate)
	for _, rt := range body.Topics {
		if !dups[rt.Topic] && !mayCreateAny && !h.allowed(req, opCreate, resTopic, rt.Topic) {
			resp.Topics = append(resp.Topics, createRefused(body.Version, rt.Topic))
			continue
		}
		t, ok := h.createTopic(ctx, body, rt, dups[rt.Topic])
		h.hideCreatedConfigs(req, &t)
		if ok && !body.ValidateOnly {
			created = append(created, len(resp.Topics))
		}
		resp.Topics = append(resp.Topics, t)
	}
	return h.awaitTopics(ctx, resp, body.TimeoutMillis, created,
		func(s *metadatacache.Snapshot, i int) bool {
			return topicReady(resp.Topics[i].Topic, resp.Topics[i].NumPartitions)(s)
		},
		func(i int) { resp.Topics[i].ErrorCode = kerr.RequestTimedOut.Code }), nil
}

// maxPartitionsPerRequest bounds the partitions one CreateTopics or
// CreatePartitions request may create, as Kafka's KRaft controller does
// (MAX_PARTITIONS_PER_BATCH): placing 2^31 partitions would exhaust memory,
// and one request must not bring the broker down.
const maxPartitionsPerRequest = 10_000

var errTooManyPartitions = fmt.Errorf("excessively large number of partitions per request (limit %d)", maxPartitionsPerRequest)

// checkPartitionBudget refuses, whole, a request for more partitions than
// maxPartitionsPerRequest, counting them as Kafka does.
func (h *Handler) checkPartitionBudget(body *kmsg.CreateTopicsRequest) error {
	var total int64
	for _, rt := range body.Topics {
		switch {
		case len(rt.ReplicaAssignment) > 0:
			total += int64(len(rt.ReplicaAssignment))
		case rt.NumPartitions == -1:
			total += int64(h.deps.Settings().NumPartitions)
		case rt.NumPartitions > 0:
			total += int64(rt.NumPartitions)
		}
	}
	if total > maxPartitionsPerRequest {
		return errTooManyPartitions
	}
	return nil
}

func duplicateNames(body *kmsg.CreateTopicsRequest) map[string]bool {
	seen, dups := map[string]bool{}, map[string]bool{}
	for _, t := range body.Topics {
		if seen[t.Topic] {
			dups[t.Topic] = true
		}
		seen[t.Topic] = true
	}
	return dups
}

// createTopic validates and (unless validate_only) writes one topic. ok is
// true when the topic was accepted.
func (h *Handler) createTopic(ctx context.Context, body *kmsg.CreateTopicsRequest, rt kmsg.CreateTopicsRequestTopic, dup bool) (kmsg.CreateTopicsResponseTopic, bool) {
	t := kmsg.NewCreateTopicsResponseTopic()
	t.Topic = rt.Topic
	if dup {
		setCreateError(&t, body.Version, kerr.InvalidRequest, fmt.Errorf("create topics request contains duplicate topic %s", rt.Topic))
		return t, false
	}
	spec, err := h.topicSpec(rt)
	if err != nil {
		setCreateError(&t, body.Version, kafkaerr.Of(err), err)
		return t, false
	}
	t.NumPartitions, t.ReplicationFactor = int32(len(spec.Assignment)), int16(len(spec.Assignment[0]))
	t.Configs = h.createdTopicConfigs(spec.Configs)
	if body.ValidateOnly {
		return t, true
	}
	id, err := h.deps.Admin.CreateTopic(ctx, spec)
	if err != nil {
		setCreateError(&t, body.Version, kafkaerr.Of(err), err)
		return t, false
	}
	t.TopicID = id
	return t, true
}

// topicSpec resolves partitions, replication factor, assignment and configs
// of a requested topic, with Kafka's validation and error codes.
func (h *Handler) topicSpec(rt kmsg.CreateTopicsRequestTopic) (TopicSpec, error) {
	spec := TopicSpec{Name: rt.Topic, Configs: map[string]string{}}
	if err := h.validateNewTopicName(rt.Topic); err != nil {
		return spec, err
	}
	for _, c := range rt.Configs {
		if c.Value == nil {
			return spec, kafkaErrorf(kerr.InvalidConfig, "null value not supported for topic config %s", c.Name)
		}
		spec.Configs[c.Name] = *c.Value
	}
	if err := h.deps.Configs.ValidateTopic(spec.Configs); err != nil {
		return spec, kafkaErrorf(kerr.InvalidConfig, "%v", err)
	}
	assignment, err := h.assignment(rt)
	spec.Assignment = assignment
	return spec, err
}

func (h *Handler) validateNewTopicName(name string) error {
	if err := placement.ValidateTopicName(name); err != nil {
		return kafkaErrorf(kerr.InvalidTopicException, "%v", err)
	}
	if placement.IsInternalTopic(name) {
		return kafkaErrorf(kerr.PolicyViolation, "topic %s is internal and created by the broker itself", name)
	}
	snap := h.deps.Cache.Load()
	if _, ok := snap.Topic(name); ok {
		return kafkaErrorf(kerr.TopicAlreadyExists, "topic '%s' already exists", name)
	}
	if placement.HasCollisionChars(name) {
		for _, other := range snap.TopicNames() {
			if placement.UnifyCollisionChars(other) == placement.UnifyCollisionChars(name) {
				return kafkaErrorf(kerr.InvalidTopicException, "topic '%s' collides with existing topic: %s", name, other)
			}
		}
	}
	return nil
}

// assignment returns the replica assignment: the one given explicitly, or
// Kafka's placement over the live brokers with the request's (or the
// broker's default) partition count and replication factor.
func (h *Handler) assignment(rt kmsg.CreateTopicsRequestTopic) (map[int32][]int32, error) {
	if len(rt.ReplicaAssignment) > 0 {
		if rt.NumPartitions != -1 || rt.ReplicationFactor != -1 {
			return nil, kafkaErrorf(kerr.InvalidRequest, "both numPartitions or replicationFactor and replicasAssignments were set, both cannot be used at the same time")
		}
		return h.explicitAssignment(rt.ReplicaAssignment)
	}
	settings := h.deps.Settings()
	partitions, rf := rt.NumPartitions, rt.ReplicationFactor
	if partitions == -1 {
		partitions = settings.NumPartitions
	}
	if rf == -1 {
		rf = settings.DefaultReplicationFactor
	}
	out, err := placement.Assign(placement.Request{
		Brokers: liveBrokers(h.deps.Cache.Load()), Partitions: partitions, ReplicationFactor: rf, StartIndex: -1,
	})
	return out, errKafkaPlacement(err)
}

func (h *Handler) explicitAssignment(ras []kmsg.CreateTopicsRequestTopicReplicaAssignment) (map[int32][]int32, error) {
	snap := h.deps.Cache.Load()
	out := make(map[int32][]int32, len(ras))
	for _, ra := range ras {
		if err := validReplicas(snap, ra.Replicas, ra.Partition); err != nil {
			return nil, err
		}
		out[ra.Partition] = ra.Replicas
	}
	for p := range int32(len(out)) {
		if _, ok := out[p]; !ok {
			return nil, kafkaErrorf(kerr.InvalidReplicaAssignment, "partitions should be a consecutive 0-based integer sequence")
		}
		if len(out[p]) != len(out[0]) {
			return nil, kafkaErrorf(kerr.InvalidReplicaAssignment, "all partitions should have the same number of replicas")
		}
	}
	return out, nil
}

func validReplicas(snap *metadatacache.Snapshot, replicas []int32, partition int32) error {
	if len(replicas) == 0 {
		return kafkaErrorf(kerr.InvalidReplicaAssignment, "partition %d has no replicas", partition)
	}
	seen := map[int32]bool{}
	for _, r := range replicas {
		if seen[r] {
			return kafkaErrorf(kerr.InvalidReplicaAssignment, "duplicate brokers not allowed in replica assignment: %v for partition %d", replicas, partition)
		}
		seen[r] = true
		if _, ok := snap.Brokers[r]; !ok {
			return kafkaErrorf(kerr.InvalidReplicaAssignment, "unknown broker %d in replica assignment of partition %d", r, partition)
		}
	}
	return nil
}

func liveBrokers(snap *metadatacache.Snapshot) []placement.Broker {
	out := make([]placement.Broker, 0, len(snap.Brokers))
	for _, id := range snap.BrokerIDs() {
		b := placement.Broker{ID: id}
		if r := snap.Brokers[id].Rack; r != nil {
			b.Rack = *r
		}
		out = append(out, b)
	}
	return out
}

// createWithDefaults creates a topic as auto-creation does: the broker's
// default partition count and replication factor, no overrides.
func (h *Handler) createWithDefaults(ctx context.Context, name string) error {
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = name, -1, -1
	spec, err := h.topicSpec(rt)
	if err != nil {
		return err
	}
	_, err = h.deps.Admin.CreateTopic(ctx, spec)
	return err
}

func (h *Handler) createdTopicConfigs(overrides map[string]string) []kmsg.CreateTopicsResponseTopicConfig {
	entries := h.deps.Configs.DescribeTopic(overrides, nil, false, false)
	out := make([]kmsg.CreateTopicsResponseTopicConfig, 0, len(entries))
	for _, e := range entries {
		c := kmsg.NewCreateTopicsResponseTopicConfig()
		c.Name, c.Value, c.ReadOnly, c.Source, c.IsSensitive = e.Name, e.Value, e.ReadOnly, e.Source, e.Sensitive
		out = append(out, c)
	}
	return out
}

func setCreateError(t *kmsg.CreateTopicsResponseTopic, version int16, code *kerr.Error, err error) {
	t.ErrorCode = code.Code
	if version >= 1 {
		t.ErrorMessage = errorMessage(err)
	}
	t.NumPartitions, t.ReplicationFactor = -1, -1
}

func errKafkaPlacement(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, placement.ErrInvalidPartitions):
		return kafkaErrorf(kerr.InvalidPartitions, "%v", err)
	case errors.Is(err, placement.ErrInvalidReplicationFactor):
		return kafkaErrorf(kerr.InvalidReplicationFactor, "%v", err)
	default:
		return err
	}
}
