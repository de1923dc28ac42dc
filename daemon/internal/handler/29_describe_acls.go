package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// DescribeAcls v0-3: the cached ACLs a filter selects, grouped by
// resource pattern. It needs Describe on the cluster; without an
// authorizer it is SECURITY_DISABLED, and a filter with unknown values
// INVALID_REQUEST, as in Kafka. v0 filters (and sees) literal patterns
// only.
func (h *Handler) describeACLs(_ context.Context, req *server.Request, body *kmsg.DescribeACLsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DescribeACLsResponse)
	fail := func(e *kerr.Error, msg string) (kmsg.Response, error) {
		resp.ErrorCode, resp.ErrorMessage = e.Code, &msg
		return resp, nil
	}
	if !h.allowedCluster(req, opDescribe) {
		return fail(kerr.ClusterAuthorizationFailed, errAuthorization.Error())
	}
	a := h.deps.Authorizer
	if a == nil {
		return fail(kerr.SecurityDisabled, "No Authorizer is configured on the broker")
	}
	f := aclFilter(body.ResourceType, body.ResourceName, body.ResourcePatternType, body.Principal, body.Host,
		body.Operation, body.PermissionType)
	if err := f.Validate(); err != nil {
		return fail(kerr.InvalidRequest, err.Error())
	}
	bindings := a.Snapshot().Bindings(f)
	sortBindings(bindings)
	for _, b := range bindings {
		n := len(resp.Resources)
		if n == 0 || resp.Resources[n-1].ResourceType != b.Pattern.Type || resp.Resources[n-1].ResourceName != b.Pattern.Name ||
			resp.Resources[n-1].ResourcePatternType != b.Pattern.PatternType {
			r := kmsg.NewDescribeACLsResponseResource()
			r.ResourceType, r.ResourceName, r.ResourcePatternType = b.Pattern.Type, b.Pattern.Name, b.Pattern.PatternType
			resp.Resources = append(resp.Resources, r)
			n++
		}
		acl := kmsg.NewDescribeACLsResponseResourceACL()
		acl.Principal, acl.Host, acl.Operation, acl.PermissionType = b.Entry.Principal, b.Entry.Host, b.Entry.Operation, b.Entry.Permission
		resp.Resources[n-1].ACLs = append(resp.Resources[n-1].ACLs, acl)
	}
	return resp, nil
}
