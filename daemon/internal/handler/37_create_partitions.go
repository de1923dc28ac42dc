package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/placement"
)

// CreatePartitions v0-3: grow a topic to a new partition count, with an
// explicit assignment for the new partitions or Kafka's placement continuing
// the topic's existing layout.
func (h *Handler) createPartitions(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.CreatePartitionsRequest)
	resp := body.ResponseKind().(*kmsg.CreatePartitionsResponse)
	if newPartitionCount(h.deps.Cache.Load(), body) > maxPartitionsPerRequest {
		for _, rt := range body.Topics {
			t := kmsg.NewCreatePartitionsResponseTopic()
			t.Topic, t.ErrorCode, t.ErrorMessage = rt.Topic, kerr.PolicyViolation.Code, errorMessage(errTooManyPartitions)
			resp.Topics = append(resp.Topics, t)
		}
		return &server.Response{Msg: resp}, nil
	}
	var pending []int
	dups := duplicatePartitionTopics(body)
	for _, rt := range body.Topics {
		t := kmsg.NewCreatePartitionsResponseTopic()
		t.Topic = rt.Topic
		err := kafkaErrorf(kerr.InvalidRequest, "duplicate topic in request")
		if !dups[rt.Topic] && !h.allowed(req, opAlter, resTopic, rt.Topic) {
			err = kafkaErrorf(kerr.TopicAuthorizationFailed, "%v", errAuthorization)
		} else if !dups[rt.Topic] {
			err = h.createTopicPartitions(ctx, rt, body.ValidateOnly)
		}
		t.ErrorCode, t.ErrorMessage = kafkaerr.Code(err), errorMessage(err)
		if err == nil && !body.ValidateOnly {
			pending = append(pending, len(resp.Topics))
		}
		resp.Topics = append(resp.Topics, t)
	}
	return h.awaitTopics(ctx, resp, body.TimeoutMillis, pending,
		func(s *metadatacache.Snapshot, i int) bool {
			return topicReady(body.Topics[i].Topic, body.Topics[i].Count)(s)
		},
		func(i int) { resp.Topics[i].ErrorCode = kerr.RequestTimedOut.Code }), nil
}

// newPartitionCount is how many partitions a request would add.
func newPartitionCount(snap *metadatacache.Snapshot, body *kmsg.CreatePartitionsRequest) int64 {
	var total int64
	for _, rt := range body.Topics {
		if t, ok := snap.Topic(rt.Topic); ok && int(rt.Count) > len(t.Partitions) {
			total += int64(rt.Count) - int64(len(t.Partitions))
		}
	}
	return total
}

// duplicatePartitionTopics returns the topics named more than once, which
// Kafka refuses (every entry) without acting on them.
func duplicatePartitionTopics(body *kmsg.CreatePartitionsRequest) map[string]bool {
	seen, dups := map[string]bool{}, map[string]bool{}
	for _, t := range body.Topics {
		dups[t.Topic] = seen[t.Topic]
		seen[t.Topic] = true
	}
	return dups
}

func (h *Handler) createTopicPartitions(ctx context.Context, rt kmsg.CreatePartitionsRequestTopic, validateOnly bool) error {
	snap := h.deps.Cache.Load()
	topic, ok := snap.Topic(rt.Topic)
	if !ok {
		return kafkaErrorf(kerr.UnknownTopicOrPartition, "the topic '%s' does not exist", rt.Topic)
	}
	if placement.IsInternalTopic(rt.Topic) {
		return kafkaErrorf(kerr.PolicyViolation, "cannot add partitions to internal topic %s", rt.Topic)
	}
	current := int32(len(topic.Partitions))
	switch {
	case rt.Count == current:
		return kafkaErrorf(kerr.InvalidPartitions, "topic already has %d partitions", current)
	case rt.Count < current:
		return kafkaErrorf(kerr.InvalidPartitions, "topic currently has %d partitions, which is higher than the requested %d", current, rt.Count)
	}
	add, err := h.newPartitionAssignment(snap, topic, rt)
	if err != nil || validateOnly {
		return err
	}
	return h.deps.Admin.AddPartitions(ctx, rt.Topic, add)
}

func (h *Handler) newPartitionAssignment(snap *metadatacache.Snapshot, topic *metadatacache.Topic, rt kmsg.CreatePartitionsRequestTopic) (map[int32][]int32, error) {
	current := int32(len(topic.Partitions))
	rf := len(topic.Partitions[0].Replicas)
	if rt.Assignment != nil {
		if int32(len(rt.Assignment)) != rt.Count-current {
			return nil, kafkaErrorf(kerr.InvalidReplicaAssignment, "increasing the number of partitions by %d but %d assignments provided", rt.Count-current, len(rt.Assignment))
		}
		out := map[int32][]int32{}
		for i, a := range rt.Assignment {
			p := current + int32(i)
			if err := validReplicas(snap, a.Replicas, p); err != nil {
				return nil, err
			}
			if len(a.Replicas) != rf {
				return nil, kafkaErrorf(kerr.InvalidReplicaAssignment, "inconsistent replication factor between partitions, partition 0 has %d while partition %d has replicas %v", rf, p, a.Replicas)
			}
			out[p] = a.Replicas
		}
		return out, nil
	}
	brokers := liveBrokers(snap)
	out, err := placement.Assign(placement.Request{
		Brokers: brokers, Partitions: rt.Count - current, ReplicationFactor: int16(rf),
		FirstPartition: current, StartIndex: brokerIndex(brokers, topic.Partitions[0].Replicas[0]),
	})
	return out, errKafkaPlacement(err)
}

// brokerIndex is the position of a broker in the sorted live list, which
// Kafka uses as the start index when adding partitions; -1 when gone.
func brokerIndex(brokers []placement.Broker, id int32) int {
	for i, b := range brokers {
		if b.ID == id {
			return i
		}
	}
	return -1
}
