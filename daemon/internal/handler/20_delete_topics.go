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

// DeleteTopics v0-6. Deletion is requested through the metadata store
// (/admin/delete_topics/<topic>), carried out by the controller, and the
// response waits until this broker's cache no longer shows the topic.
func (h *Handler) deleteTopics(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.DeleteTopicsRequest)
	resp := body.ResponseKind().(*kmsg.DeleteTopicsResponse)
	refs := deleteTopicNames(body)
	if code := h.refuseDeleteTopics(body, refs); code != 0 {
		for _, ref := range refs {
			t := kmsg.NewDeleteTopicsResponseTopic()
			t.Topic, t.TopicID, t.ErrorCode = ref.name, ref.id, code
			resp.Topics = append(resp.Topics, t)
		}
		return &server.Response{Msg: resp}, nil
	}
	var pending []int
	for _, name := range refs {
		t := h.deleteTopic(ctx, req, body.Version, name)
		if t.ErrorCode == 0 {
			pending = append(pending, len(resp.Topics))
		}
		resp.Topics = append(resp.Topics, t)
	}
	return h.awaitTopics(ctx, resp, body.TimeoutMillis, pending,
		func(s *metadatacache.Snapshot, i int) bool { return topicGone(*resp.Topics[i].Topic)(s) },
		func(i int) { resp.Topics[i].ErrorCode = kerr.RequestTimedOut.Code }), nil
}

// topicRef names a topic by name or, from v6, by id.
type topicRef struct {
	name *string
	id   [16]byte
}

func deleteTopicNames(body *kmsg.DeleteTopicsRequest) []topicRef {
	var out []topicRef
	for _, n := range body.TopicNames {
		out = append(out, topicRef{name: &n})
	}
	for _, t := range body.Topics {
		out = append(out, topicRef{name: t.Topic, id: t.TopicID})
	}
	return out
}

// refuseDeleteTopics is Kafka's answer for a whole request: deletion
// disabled (INVALID_REQUEST before v3, which had no better code), or a topic
// named both by name and by id.
func (h *Handler) refuseDeleteTopics(body *kmsg.DeleteTopicsRequest, refs []topicRef) int16 {
	if !h.deps.Settings().DeleteTopicEnable {
		if body.Version < 3 {
			return kerr.InvalidRequest.Code
		}
		return kerr.TopicDeletionDisabled.Code
	}
	for _, ref := range refs {
		if ref.name != nil && ref.id != ([16]byte{}) {
			return kerr.InvalidRequest.Code
		}
	}
	return 0
}

func (h *Handler) deleteTopic(ctx context.Context, req *server.Request, version int16, ref topicRef) kmsg.DeleteTopicsResponseTopic {
	t := kmsg.NewDeleteTopicsResponseTopic()
	t.Topic, t.TopicID = ref.name, ref.id
	snap := h.deps.Cache.Load()
	name, code := resolveTopicRef(snap, ref)
	if c := h.deleteTopicAuthorization(req, ref, name, code); c != 0 {
		t.ErrorCode = c
		return t
	}
	if code != 0 {
		t.ErrorCode = code
		return t
	}
	t.Topic = &name
	if topic, ok := snap.Topic(name); ok {
		t.TopicID = topic.ID
	}
	var err error
	switch {
	case placement.IsInternalTopic(name):
		err = kafkaErrorf(kerr.PolicyViolation, "internal topic %s cannot be deleted", name)
	default:
		err = h.deps.Admin.DeleteTopic(ctx, name)
	}
	t.ErrorCode = kafkaerr.Code(err)
	if version >= 5 {
		t.ErrorMessage = errorMessage(err)
	}
	return t
}

func resolveTopicRef(snap *metadatacache.Snapshot, ref topicRef) (string, int16) {
	if ref.name == nil || *ref.name == "" {
		name, ok := snap.TopicName(ref.id)
		if !ok {
			return "", kerr.UnknownTopicID.Code
		}
		return name, 0
	}
	if _, ok := snap.Topic(*ref.name); !ok {
		return "", kerr.UnknownTopicOrPartition.Code
	}
	return *ref.name, 0
}
