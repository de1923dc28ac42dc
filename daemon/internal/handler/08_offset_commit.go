package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// OffsetCommit v0-9 (v0 is kept in ZooKeeper: see offsetCommitV0). Partitions the cluster does not have are
// UNKNOWN_TOPIC_OR_PARTITION (Kafka checks its metadata cache); the others
// go to the group coordinator, and the answer waits until the commit is
// written to every in-sync replica of __consumer_offsets.
func (h *Handler) offsetCommit(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.OffsetCommitRequest)
	if !h.allowed(req, opRead, resGroup, body.Group) {
		return offsetCommitRefused(body, groupDenied), nil
	}
	denied := h.deniedTopics(req, opRead, commitTopics(body)) // TOPIC_AUTHORIZATION_FAILED
	if body.Version == 0 && h.deps.LegacyOffsets != nil {
		return h.offsetCommitV0(ctx, body, denied)
	}
	resp := body.ResponseKind().(*kmsg.OffsetCommitResponse)
	snap := h.deps.Cache.Load()
	creq := group.CommitRequest{
		Group: body.Group, Generation: body.Generation, MemberID: body.MemberID,
		InstanceID: body.InstanceID, RetentionMs: body.RetentionTimeMillis,
	}
	var slots [][2]int
	for _, rt := range body.Topics {
		t := kmsg.NewOffsetCommitResponseTopic()
		t.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			p := kmsg.NewOffsetCommitResponseTopicPartition()
			p.Partition = rp.Partition
			if _, ok := snap.Partition(rt.Topic, rp.Partition); denied[rt.Topic] {
				p.ErrorCode = kerr.TopicAuthorizationFailed.Code
			} else if !ok {
				p.ErrorCode = kerr.UnknownTopicOrPartition.Code
			} else {
				slots = append(slots, [2]int{len(resp.Topics), len(t.Partitions)})
				creq.Offsets = append(creq.Offsets, group.CommitOffset{
					TopicPartition: group.TopicPartition{Topic: rt.Topic, Partition: rp.Partition},
					Offset:         rp.Offset, LeaderEpoch: rp.LeaderEpoch, Metadata: rp.Metadata, Timestamp: rp.Timestamp,
				})
			}
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
	}
	if len(creq.Offsets) == 0 {
		return &server.Response{Msg: resp}, nil
	}
	out, complete := parked(ctx)
	h.deps.Groups.CommitOffsets(creq, func(errs []error) {
		for i, err := range errs {
			resp.Topics[slots[i][0]].Partitions[slots[i][1]].ErrorCode = kafkaerr.Code(err)
		}
		complete(resp)
	})
	return out, nil
}
