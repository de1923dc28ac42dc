package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// DeleteGroups v0-2: only empty groups go (NON_EMPTY_GROUP otherwise),
// with their committed offsets.
func (h *Handler) deleteGroups(_ context.Context, _ *server.Request, body *kmsg.DeleteGroupsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DeleteGroupsResponse)
	errs := h.deps.Groups.DeleteGroups(body.Groups)
	for i, id := range body.Groups {
		g := kmsg.NewDeleteGroupsResponseGroup()
		g.Group, g.ErrorCode = id, kafkaerr.Code(errs[i])
		resp.Groups = append(resp.Groups, g)
	}
	return resp, nil
}
