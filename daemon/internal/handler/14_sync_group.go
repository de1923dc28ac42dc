package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// SyncGroup v0-5. Followers' answers are parked until the leader's
// assignment is written; from v5 the protocol type and name must be given
// and match the group's.
func (h *Handler) syncGroup(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.SyncGroupRequest)
	if body.Version >= 5 && (body.ProtocolType == nil || body.Protocol == nil) {
		resp := body.ResponseKind().(*kmsg.SyncGroupResponse)
		resp.ErrorCode = kerr.InconsistentGroupProtocol.Code
		return &server.Response{Msg: resp}, nil
	}
	sreq := group.SyncRequest{
		Group: body.Group, Generation: body.Generation, MemberID: body.MemberID, InstanceID: body.InstanceID,
		ProtocolType: body.ProtocolType, Protocol: body.Protocol, Assignments: map[string][]byte{},
	}
	for _, a := range body.GroupAssignment {
		sreq.Assignments[a.MemberID] = a.MemberAssignment
	}
	out, complete := parked(ctx)
	h.deps.Groups.Sync(sreq, func(r group.SyncResult) {
		resp := body.ResponseKind().(*kmsg.SyncGroupResponse)
		resp.ErrorCode = kafkaerr.Code(r.Err)
		if r.Err == nil {
			resp.ProtocolType, resp.Protocol, resp.MemberAssignment = r.ProtocolType, r.Protocol, r.Assignment
		}
		if resp.MemberAssignment == nil {
			resp.MemberAssignment = []byte{}
		}
		complete(resp)
	})
	return out, nil
}
