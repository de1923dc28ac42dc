package handler

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// JoinGroup v0-9. The answer is parked until the group's join phase ends
// (server.Response.Ready), while the connection keeps serving.
func (h *Handler) joinGroup(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.JoinGroupRequest)
	jreq := group.JoinRequest{
		Group: body.Group, MemberID: body.MemberID, InstanceID: body.InstanceID,
		RequireKnownMemberID: body.Version >= 4,
		ClientID:             req.ClientID, ClientHost: clientHost(req),
		SessionTimeout:   time.Duration(body.SessionTimeoutMillis) * time.Millisecond,
		RebalanceTimeout: time.Duration(body.RebalanceTimeoutMillis) * time.Millisecond,
		ProtocolType:     body.ProtocolType, Reason: derefOr(body.Reason, ""),
		SupportsSkipAssignment: body.Version >= 9,
	}
	if body.Version == 0 {
		// v0 has no rebalance timeout: the session timeout serves as both.
		jreq.RebalanceTimeout = jreq.SessionTimeout
	}
	for _, p := range body.Protocols {
		jreq.Protocols = append(jreq.Protocols, group.Protocol{Name: p.Name, Metadata: p.Metadata})
	}
	out, complete := parked(ctx)
	h.deps.Groups.Join(jreq, func(r group.JoinResult) { complete(joinResponse(body, r)) })
	return out, nil
}

func joinResponse(body *kmsg.JoinGroupRequest, r group.JoinResult) *kmsg.JoinGroupResponse {
	resp := body.ResponseKind().(*kmsg.JoinGroupResponse)
	resp.ErrorCode, resp.MemberID = kafkaerr.Code(r.Err), r.MemberID
	if r.Err != nil && r.MemberID == "" {
		resp.MemberID = body.MemberID
	}
	if r.Err == nil {
		resp.Generation, resp.LeaderID, resp.SkipAssignment = r.Generation, r.Leader, r.SkipAssignment
		resp.Protocol = r.Protocol
		if r.ProtocolType != "" {
			pt := r.ProtocolType
			resp.ProtocolType = &pt
		}
	}
	if body.Version < 7 && resp.Protocol == nil {
		empty := "" // a non-nullable string before v7
		resp.Protocol = &empty
	}
	for _, m := range r.Members {
		jm := kmsg.NewJoinGroupResponseMember()
		jm.MemberID, jm.InstanceID, jm.ProtocolMetadata = m.MemberID, m.InstanceID, m.Metadata
		resp.Members = append(resp.Members, jm)
	}
	return resp
}

func derefOr(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}
