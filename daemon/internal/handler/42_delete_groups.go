package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// DeleteGroups v0-2: only empty groups go (NON_EMPTY_GROUP otherwise),
// with their committed offsets.
// Each group needs Delete (GROUP_AUTHORIZATION_FAILED).
func (h *Handler) deleteGroups(_ context.Context, req *server.Request, body *kmsg.DeleteGroupsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DeleteGroupsResponse)
	var allowed []string
	for _, id := range body.Groups {
		if h.allowed(req, opDeleteResource, resGroup, id) {
			allowed = append(allowed, id)
		}
	}
	errs := h.deps.Groups.DeleteGroups(allowed)
	for _, id := range body.Groups {
		g := kmsg.NewDeleteGroupsResponseGroup()
		g.Group, g.ErrorCode = id, groupDenied
		if len(allowed) > 0 && allowed[0] == id {
			g.ErrorCode, allowed, errs = kafkaerr.Code(errs[0]), allowed[1:], errs[1:]
		}
		resp.Groups = append(resp.Groups, g)
	}
	return resp, nil
}
