package handler

import (
	"context"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// classicGroupType is the type of every group kq serves (ListGroups v5).
const classicGroupType = "classic"

// ListGroups v0-5: the groups this broker coordinates, filtered by state
// (v4+) and type (v5+), case-insensitively. While a partition loads, its
// groups are missing and the error is COORDINATOR_LOAD_IN_PROGRESS.
func (h *Handler) listGroups(_ context.Context, req *server.Request, body *kmsg.ListGroupsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.ListGroupsResponse)
	groups, err := h.deps.Groups.ListGroups()
	resp.ErrorCode = kafkaerr.Code(err)
	if len(body.TypesFilter) > 0 && !containsFold(body.TypesFilter, classicGroupType) {
		return resp, nil
	}
	// Describe on the cluster lists every group; without it, the groups
	// the principal may Describe.
	everyGroup := h.allowedCluster(req, opDescribe)
	for _, g := range groups {
		if len(body.StatesFilter) > 0 && !containsFold(body.StatesFilter, g.State.String()) {
			continue
		}
		if !everyGroup && !h.allowed(req, opDescribe, resGroup, g.Group) {
			continue
		}
		rg := kmsg.NewListGroupsResponseGroup()
		rg.Group, rg.ProtocolType, rg.GroupState, rg.GroupType = g.Group, g.ProtocolType, g.State.String(), classicGroupType
		resp.Groups = append(resp.Groups, rg)
	}
	return resp, nil
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}
