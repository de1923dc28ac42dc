package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// Heartbeat v0-4: keeps a member's session alive; REBALANCE_IN_PROGRESS
// tells it to rejoin.
func (h *Handler) heartbeat(_ context.Context, _ *server.Request, body *kmsg.HeartbeatRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.HeartbeatResponse)
	err := h.deps.Groups.Heartbeat(group.HeartbeatRequest{
		Group: body.Group, Generation: body.Generation, MemberID: body.MemberID, InstanceID: body.InstanceID,
	})
	resp.ErrorCode = kafkaerr.Code(err)
	return resp, nil
}
