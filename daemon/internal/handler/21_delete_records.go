package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// DeleteRecords v0-2: move a partition's log start offset forward
// (replica.Partition.DeleteRecordsBefore). Offset -1 means the high
// watermark; beyond it is OFFSET_OUT_OF_RANGE, and a topic whose
// cleanup.policy lacks delete answers POLICY_VIOLATION.
//
// Kafka also waits until every follower's log start has moved; kq answers
// once the leader has moved it, and followers catch up as they fetch.
func (h *Handler) deleteRecords(_ context.Context, req *server.Request, body *kmsg.DeleteRecordsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DeleteRecordsResponse)
	for _, rt := range body.Topics {
		t := kmsg.NewDeleteRecordsResponseTopic()
		t.Topic = rt.Topic
		deletable := h.allowed(req, opDeleteResource, resTopic, rt.Topic)
		for _, rp := range rt.Partitions {
			p := kmsg.NewDeleteRecordsResponseTopicPartition()
			p.Partition = rp.Partition
			p.LowWatermark, p.ErrorCode = -1, kerr.TopicAuthorizationFailed.Code
			if deletable {
				p.LowWatermark, p.ErrorCode = h.deleteRecordsBefore(rt.Topic, rp.Partition, rp.Offset)
			}
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp, nil
}

func (h *Handler) deleteRecordsBefore(topic string, partition int32, offset int64) (int64, int16) {
	part, err := h.deps.Replicas.Leader(topic, partition, -1)
	if err != nil {
		return -1, h.partitionErrorCode(topic, partition, err)
	}
	lowWatermark, err := part.DeleteRecordsBefore(offset)
	if err != nil {
		h.logUnexpected("delete records", topic, partition, err)
		return -1, kafkaerr.Code(err)
	}
	return lowWatermark, 0
}
