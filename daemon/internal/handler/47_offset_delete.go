package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// OffsetDelete v0: a group's committed offsets of some partitions go,
// unless a member of the group consumes the topic
// (GROUP_SUBSCRIBED_TO_TOPIC). Partitions the cluster does not have are
// UNKNOWN_TOPIC_OR_PARTITION.
func (h *Handler) offsetDelete(_ context.Context, req *server.Request, body *kmsg.OffsetDeleteRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.OffsetDeleteResponse)
	if !h.allowed(req, opDeleteResource, resGroup, body.Group) {
		resp.ErrorCode = groupDenied
		return resp, nil
	}
	snap := h.deps.Cache.Load()
	var want []group.TopicPartition
	var slots [][2]int
	for _, rt := range body.Topics {
		t := kmsg.NewOffsetDeleteResponseTopic()
		t.Topic = rt.Topic
		readable := h.allowed(req, opRead, resTopic, rt.Topic)
		for _, rp := range rt.Partitions {
			p := kmsg.NewOffsetDeleteResponseTopicPartition()
			p.Partition = rp.Partition
			if _, ok := snap.Partition(rt.Topic, rp.Partition); !readable {
				p.ErrorCode = kerr.TopicAuthorizationFailed.Code
			} else if !ok {
				p.ErrorCode = kerr.UnknownTopicOrPartition.Code
			} else {
				slots = append(slots, [2]int{len(resp.Topics), len(t.Partitions)})
				want = append(want, group.TopicPartition{Topic: rt.Topic, Partition: rp.Partition})
			}
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
	}
	errs, err := h.deps.Groups.DeleteOffsets(body.Group, want)
	if err != nil {
		resp.ErrorCode, resp.Topics = kafkaerr.Code(err), nil
		return resp, nil
	}
	for i, e := range errs {
		resp.Topics[slots[i][0]].Partitions[slots[i][1]].ErrorCode = kafkaerr.Code(e)
	}
	return resp, nil
}
