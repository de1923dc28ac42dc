package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// offsetFetchAnyVersion sends version 0 to the offsets kept in ZooKeeper
// (see offsetFetchV0) and the others to the group coordinator.
func (h *Handler) offsetFetchAnyVersion(ctx context.Context, req *server.Request) (*server.Response, error) {
	body, ok := req.Body.(*kmsg.OffsetFetchRequest)
	if ok && body.Version < 8 && !h.allowed(req, opDescribe, resGroup, body.Group) {
		return &server.Response{Msg: offsetFetchRefused(body)}, nil
	}
	if ok && body.Version == 0 && h.deps.LegacyOffsets != nil {
		return h.offsetFetchV0(ctx, body)
	}
	return plain(h.offsetFetch)(ctx, req)
}

// OffsetFetch v0-9: one group up to v7, several from v8. A nil topic list
// (v2+) asks for every committed offset of the group. With require_stable
// (v7+) a partition whose commit is not settled (a transactional offset
// before its marker) answers UNSTABLE_OFFSET_COMMIT, which clients retry.
func (h *Handler) offsetFetch(_ context.Context, req *server.Request, body *kmsg.OffsetFetchRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.OffsetFetchResponse)
	if body.Version >= 8 {
		for _, rg := range body.Groups {
			resp.Groups = append(resp.Groups, h.offsetFetchGroup(req, rg, body.RequireStable))
		}
		return resp, nil
	}
	rg := kmsg.NewOffsetFetchRequestGroup()
	rg.Group = body.Group
	if body.Topics != nil {
		rg.Topics = []kmsg.OffsetFetchRequestGroupTopic{}
		for _, t := range body.Topics {
			rg.Topics = append(rg.Topics, kmsg.OffsetFetchRequestGroupTopic{Topic: t.Topic, Partitions: t.Partitions})
		}
	}
	g := h.offsetFetchGroup(req, rg, body.RequireStable)
	resp.ErrorCode = g.ErrorCode
	for _, t := range g.Topics {
		rt := kmsg.NewOffsetFetchResponseTopic()
		rt.Topic = t.Topic
		for _, p := range t.Partitions {
			rp := kmsg.NewOffsetFetchResponseTopicPartition()
			rp.Partition, rp.Offset, rp.LeaderEpoch, rp.Metadata, rp.ErrorCode = p.Partition, p.Offset, p.LeaderEpoch, p.Metadata, p.ErrorCode
			rt.Partitions = append(rt.Partitions, rp)
		}
		resp.Topics = append(resp.Topics, rt)
	}
	if body.Version <= 1 && resp.ErrorCode != 0 {
		// v0-1 have no top-level error: each partition carries it.
		resp.Topics = partitionsWithError(body.Topics, resp.ErrorCode)
	}
	return resp, nil
}

func (h *Handler) offsetFetchGroup(req *server.Request, rg kmsg.OffsetFetchRequestGroup, requireStable bool) kmsg.OffsetFetchResponseGroup {
	g := kmsg.NewOffsetFetchResponseGroup()
	g.Group = rg.Group
	if !h.allowed(req, opDescribe, resGroup, rg.Group) {
		g.ErrorCode = groupDenied
		return g
	}
	var want []group.TopicPartition
	if rg.Topics != nil {
		want = []group.TopicPartition{}
		for _, t := range rg.Topics {
			for _, p := range t.Partitions {
				want = append(want, group.TopicPartition{Topic: t.Topic, Partition: p})
			}
		}
	}
	offsets, err := h.deps.Groups.FetchStableOffsets(rg.Group, want, requireStable)
	if err != nil {
		g.ErrorCode = kafkaerr.Code(err)
		return g
	}
	denied := h.deniedTopics(req, opDescribe, offsetTopics(offsets))
	for _, o := range offsets {
		if denied[o.Topic] {
			if rg.Topics == nil {
				continue // a listing of every offset leaves hidden topics out
			}
			o = group.FetchedOffset{TopicPartition: o.TopicPartition, Offset: -1, LeaderEpoch: -1, Err: kerr.TopicAuthorizationFailed}
		}
		if n := len(g.Topics); n == 0 || g.Topics[n-1].Topic != o.Topic {
			t := kmsg.NewOffsetFetchResponseGroupTopic()
			t.Topic = o.Topic
			g.Topics = append(g.Topics, t)
		}
		p := kmsg.NewOffsetFetchResponseGroupTopicPartition()
		p.Partition, p.Offset, p.LeaderEpoch, p.ErrorCode = o.Partition, o.Offset, o.LeaderEpoch, kafkaerr.Code(o.Err)
		p.Metadata = &o.Metadata
		t := &g.Topics[len(g.Topics)-1]
		t.Partitions = append(t.Partitions, p)
	}
	return g
}

func partitionsWithError(topics []kmsg.OffsetFetchRequestTopic, code int16) []kmsg.OffsetFetchResponseTopic {
	out := make([]kmsg.OffsetFetchResponseTopic, 0, len(topics))
	for _, t := range topics {
		rt := kmsg.NewOffsetFetchResponseTopic()
		rt.Topic = t.Topic
		for _, p := range t.Partitions {
			rp := kmsg.NewOffsetFetchResponseTopicPartition()
			rp.Partition, rp.Offset, rp.ErrorCode = p, -1, code
			rt.Partitions = append(rt.Partitions, rp)
		}
		out = append(out, rt)
	}
	return out
}
