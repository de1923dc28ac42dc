package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// LeaveGroup v0-5: one member up to v2, a batch (also administrative
// removal by group.instance.id) from v3.
func (h *Handler) leaveGroup(_ context.Context, _ *server.Request, body *kmsg.LeaveGroupRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.LeaveGroupResponse)
	var members []group.LeavingMember
	if body.Version < 3 {
		members = []group.LeavingMember{{MemberID: body.MemberID}}
	}
	for _, m := range body.Members {
		members = append(members, group.LeavingMember{MemberID: m.MemberID, InstanceID: m.InstanceID, Reason: derefOr(m.Reason, "")})
	}
	errs, err := h.deps.Groups.Leave(body.Group, members)
	resp.ErrorCode = kafkaerr.Code(err)
	if body.Version < 3 {
		if err == nil {
			resp.ErrorCode = kafkaerr.Code(errs[0])
		}
		return resp, nil
	}
	for i, m := range body.Members {
		rm := kmsg.NewLeaveGroupResponseMember()
		rm.MemberID, rm.InstanceID = m.MemberID, m.InstanceID
		if errs != nil {
			rm.ErrorCode = kafkaerr.Code(errs[i])
		}
		if err == nil {
			resp.Members = append(resp.Members, rm)
		}
	}
	return resp, nil
}
