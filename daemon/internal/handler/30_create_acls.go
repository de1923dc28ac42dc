package handler

import (
	"context"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/internal/server"
)

// CreateAcls v0-3: each creation is checked (INVALID_REQUEST for what
// Kafka refuses: unknown or Any values, a MATCH pattern, an operation the
// resource type lacks, a cluster not named kafka-cluster), then written
// to ZooKeeper once per resource, where every broker's authorizer picks
// it up; this broker's cache is updated at once. It needs Alter on the
// cluster; without an authorizer it is SECURITY_DISABLED.
func (h *Handler) createACLs(ctx context.Context, req *server.Request, body *kmsg.CreateACLsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.CreateACLsResponse)
	resp.Results = make([]kmsg.CreateACLsResponseResult, len(body.Creations))
	fail := func(i int, e *kerr.Error, msg string) {
		resp.Results[i].ErrorCode, resp.Results[i].ErrorMessage = e.Code, &msg
	}
	byPattern := map[authz.Pattern][]int{} // creations per resource
	for i, c := range body.Creations {
		b := creationBinding(c)
		if e := h.aclWriteRefusal(req); e != nil {
			fail(i, e, e.Description)
		} else if err := b.Validate(); err != nil {
			fail(i, kerr.InvalidRequest, err.Error())
		} else {
			byPattern[b.Pattern] = append(byPattern[b.Pattern], i)
		}
	}
	updated := map[authz.Pattern][]authz.Entry{}
	for p, idx := range byPattern {
		stored, err := h.deps.ACLs.UpdateACLs(ctx, p, func(cur []authz.Entry) []authz.Entry {
			for _, i := range idx {
				if e := creationBinding(body.Creations[i]).Entry; !slices.Contains(cur, e) {
					cur = append(cur, e)
				}
			}
			return cur
		})
		if err != nil {
			h.log.Warn("CreateAcls failed", "resource", p.String(), "err", err)
			for _, i := range idx {
				fail(i, kerr.UnknownServerError, err.Error())
			}
			continue
		}
		updated[p] = stored
	}
	if len(updated) > 0 {
		h.deps.Authorizer.Update(updated)
	}
	return resp, nil
}

func creationBinding(c kmsg.CreateACLsRequestCreation) authz.Binding {
	return authz.Binding{
		Pattern: authz.Pattern{Type: c.ResourceType, Name: c.ResourceName, PatternType: c.ResourcePatternType},
		Entry:   authz.Entry{Principal: c.Principal, Host: c.Host, Operation: c.Operation, Permission: c.PermissionType},
	}
}

// aclWriteRefusal is why CreateAcls or DeleteAcls may not change
// anything: no Alter on the cluster, or no authorizer.
func (h *Handler) aclWriteRefusal(req *server.Request) *kerr.Error {
	switch {
	case !h.allowedCluster(req, opAlter):
		return kerr.ClusterAuthorizationFailed
	case h.deps.Authorizer == nil || h.deps.ACLs == nil:
		return kerr.SecurityDisabled
	}
	return nil
}
