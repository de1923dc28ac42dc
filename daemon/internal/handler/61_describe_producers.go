package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/placement"
)

// DescribeProducers v0 (KIP-664): the producers the leader of each
// partition knows (kafka-transactions.sh describe-producers and
// find-hanging), with their epoch, last sequence and timestamp, the
// coordinator epoch of their last marker and the first offset of their
// open transaction (-1 for none). An invalid topic name is
// INVALID_TOPIC_EXCEPTION, a topic the cluster does not have
// UNKNOWN_TOPIC_OR_PARTITION, a partition led elsewhere
// NOT_LEADER_OR_FOLLOWER.
func (h *Handler) describeProducers(_ context.Context, req *server.Request, body *kmsg.DescribeProducersRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DescribeProducersResponse)
	snap := h.deps.Cache.Load()
	for _, rt := range body.Topics {
		t := kmsg.NewDescribeProducersResponseTopic()
		t.Topic = rt.Topic
		var topicErr error
		if !h.allowed(req, opRead, resTopic, rt.Topic) {
			topicErr = kerr.TopicAuthorizationFailed
		} else if err := placement.ValidateTopicName(rt.Topic); err != nil {
			topicErr = kafkaErrorf(kerr.InvalidTopicException, "%v", err)
		} else if _, ok := snap.Topic(rt.Topic); !ok {
			topicErr = kerr.UnknownTopicOrPartition
		}
		for _, partition := range rt.Partitions {
			if topicErr != nil {
				p := kmsg.NewDescribeProducersResponseTopicPartition()
				p.Partition, p.ErrorCode = partition, kafkaerr.Code(topicErr)
				if _, coded := topicErr.(*codedError); coded {
					p.ErrorMessage = errorMessage(topicErr)
				}
				t.Partitions = append(t.Partitions, p)
				continue
			}
			t.Partitions = append(t.Partitions, h.activeProducers(rt.Topic, partition))
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp, nil
}

// activeProducers describes the producers of a partition this broker
// leads.
func (h *Handler) activeProducers(topic string, partition int32) kmsg.DescribeProducersResponseTopicPartition {
	p := kmsg.NewDescribeProducersResponseTopicPartition()
	p.Partition = partition
	part, err := h.deps.Replicas.Leader(topic, partition, -1)
	if err != nil {
		p.ErrorCode = h.partitionErrorCode(topic, partition, err)
		return p
	}
	p.ActiveProducers = []kmsg.DescribeProducersResponseTopicPartitionActiveProducer{}
	for _, s := range part.ProducerStates() {
		ap := kmsg.NewDescribeProducersResponseTopicPartitionActiveProducer()
		ap.ProducerID, ap.ProducerEpoch, ap.LastSequence = s.ProducerID, int32(s.Epoch), s.LastSequence
		ap.LastTimestamp, ap.CoordinatorEpoch, ap.CurrentTxnStartOffset = s.LastTimestamp, s.CoordinatorEpoch, s.CurrentTxnStartOffset
		p.ActiveProducers = append(p.ActiveProducers, ap)
	}
	return p
}
