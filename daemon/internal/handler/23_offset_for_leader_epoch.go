package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// OffsetForLeaderEpoch v0-4: the end offset of a leader epoch, from the
// leader epoch cache, so consumers and followers can detect and cut a
// diverged log (KIP-101, KIP-320). Unknown epochs answer -1/-1.
func (h *Handler) offsetForLeaderEpoch(_ context.Context, req *server.Request, body *kmsg.OffsetForLeaderEpochRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.OffsetForLeaderEpochResponse)
	for _, rt := range body.Topics {
		t := kmsg.NewOffsetForLeaderEpochResponseTopic()
		t.Topic = rt.Topic
		code := h.epochAuthorization(req, rt.Topic)
		for _, rp := range rt.Partitions {
			if code != 0 {
				p := kmsg.NewOffsetForLeaderEpochResponseTopicPartition()
				p.Partition, p.LeaderEpoch, p.EndOffset, p.ErrorCode = rp.Partition, -1, -1, code
				t.Partitions = append(t.Partitions, p)
				continue
			}
			t.Partitions = append(t.Partitions, h.epochEnd(rt.Topic, rp))
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp, nil
}

func (h *Handler) epochEnd(topic string, rp kmsg.OffsetForLeaderEpochRequestTopicPartition) kmsg.OffsetForLeaderEpochResponseTopicPartition {
	p := kmsg.NewOffsetForLeaderEpochResponseTopicPartition()
	p.Partition = rp.Partition
	p.LeaderEpoch, p.EndOffset = -1, -1
	part, err := h.deps.Replicas.Leader(topic, rp.Partition, rp.CurrentLeaderEpoch)
	if err != nil {
		p.ErrorCode = h.partitionErrorCode(topic, rp.Partition, err)
		return p
	}
	p.LeaderEpoch, p.EndOffset = part.EpochEnd(rp.LeaderEpoch)
	return p
}
