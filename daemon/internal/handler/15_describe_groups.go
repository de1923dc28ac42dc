package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// DescribeGroups v0-5. An unknown group is described as Dead with no
// members and no error, as Kafka 3.9 does; metadata and assignments are
// shown only while the group is Stable.
func (h *Handler) describeGroups(_ context.Context, req *server.Request, body *kmsg.DescribeGroupsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DescribeGroupsResponse)
	for _, id := range body.Groups {
		g := kmsg.NewDescribeGroupsResponseGroup()
		g.Group = id
		if !h.allowed(req, opDescribe, resGroup, id) {
			g.ErrorCode = groupDenied
			resp.Groups = append(resp.Groups, g)
			continue
		}
		d, err := h.deps.Groups.DescribeGroup(id)
		if err != nil {
			g.ErrorCode = kafkaerr.Code(err)
			resp.Groups = append(resp.Groups, g)
			continue
		}
		g.State, g.ProtocolType, g.Protocol = d.State.String(), d.ProtocolType, d.Protocol
		for _, m := range d.Members {
			rm := kmsg.NewDescribeGroupsResponseGroupMember()
			rm.MemberID, rm.InstanceID, rm.ClientID, rm.ClientHost = m.MemberID, m.InstanceID, m.ClientID, m.ClientHost
			rm.ProtocolMetadata, rm.MemberAssignment = orEmpty(m.Metadata), orEmpty(m.Assignment)
			g.Members = append(g.Members, rm)
		}
		g.AuthorizedOperations = h.authorizedOperations(req, body.IncludeAuthorizedOperations, resGroup, id)
		resp.Groups = append(resp.Groups, g)
	}
	return resp, nil
}

func orEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
