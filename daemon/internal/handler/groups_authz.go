package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/server"
)

// groupDenied is GROUP_AUTHORIZATION_FAILED.
var groupDenied = kerr.GroupAuthorizationFailed.Code

// groupReadOnly guards the membership APIs (JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup): each needs Read on its group, as KafkaApis
// checks, and a refusal is the response with GROUP_AUTHORIZATION_FAILED.
func (h *Handler) groupReadOnly(serve serveFunc) serveFunc {
	return func(ctx context.Context, req *server.Request) (*server.Response, error) {
		id, resp := membershipRefusal(req.Body)
		if resp == nil || h.allowed(req, opRead, resGroup, id) {
			return serve(ctx, req)
		}
		return &server.Response{Msg: resp}, nil
	}
}

// membershipRefusal returns a membership request's group and its
// GROUP_AUTHORIZATION_FAILED response.
func membershipRefusal(r kmsg.Request) (string, kmsg.Response) {
	switch body := r.(type) {
	case *kmsg.JoinGroupRequest:
		resp := body.ResponseKind().(*kmsg.JoinGroupResponse)
		resp.ErrorCode, resp.MemberID, resp.Generation = groupDenied, body.MemberID, -1
		return body.Group, resp
	case *kmsg.SyncGroupRequest:
		resp := body.ResponseKind().(*kmsg.SyncGroupResponse)
		resp.ErrorCode, resp.MemberAssignment = groupDenied, []byte{}
		return body.Group, resp
	case *kmsg.HeartbeatRequest:
		resp := body.ResponseKind().(*kmsg.HeartbeatResponse)
		resp.ErrorCode = groupDenied
		return body.Group, resp
	case *kmsg.LeaveGroupRequest:
		resp := body.ResponseKind().(*kmsg.LeaveGroupResponse)
		resp.ErrorCode = groupDenied
		return body.Group, resp
	}
	return "", nil
}

// deniedTopics returns the topics among names the principal may not
// perform op on; nil without an authorizer or when all are allowed.
func (h *Handler) deniedTopics(req *server.Request, op kmsg.ACLOperation, names func(yield func(string) bool)) map[string]bool {
	if h.deps.Authorizer == nil {
		return nil
	}
	var denied map[string]bool
	for name := range names {
		if _, seen := denied[name]; seen || h.allowed(req, op, resTopic, name) {
			continue
		}
		if denied == nil {
			denied = map[string]bool{}
		}
		denied[name] = true
	}
	return denied
}

// commitTopics iterates an OffsetCommit's topic names.
func commitTopics(body *kmsg.OffsetCommitRequest) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, t := range body.Topics {
			if !yield(t.Topic) {
				return
			}
		}
	}
}

// offsetCommitRefused answers every partition with code.
func offsetCommitRefused(body *kmsg.OffsetCommitRequest, code int16) *server.Response {
	resp := body.ResponseKind().(*kmsg.OffsetCommitResponse)
	for _, rt := range body.Topics {
		t := kmsg.NewOffsetCommitResponseTopic()
		t.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			p := kmsg.NewOffsetCommitResponseTopicPartition()
			p.Partition, p.ErrorCode = rp.Partition, code
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
	}
	return &server.Response{Msg: resp}
}

// offsetTopics iterates the topics of fetched offsets.
func offsetTopics(offsets []group.FetchedOffset) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, o := range offsets {
			if !yield(o.Topic) {
				return
			}
		}
	}
}

// offsetFetchRefused is an OffsetFetch v0-7 answer for a group the
// principal may not Describe: the top-level error from v2, each
// partition's before.
func offsetFetchRefused(body *kmsg.OffsetFetchRequest) *kmsg.OffsetFetchResponse {
	resp := body.ResponseKind().(*kmsg.OffsetFetchResponse)
	if body.Version <= 1 {
		resp.Topics = partitionsWithError(body.Topics, groupDenied)
		return resp
	}
	resp.ErrorCode = groupDenied
	return resp
}
