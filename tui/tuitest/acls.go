package tuitest

import (
	"context"
	"slices"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// SetACLs gives the cluster an authorizer holding acls. Until it is
// called, DescribeACLs answers SECURITY_DISABLED, as a cluster without an
// authorizer does.
func (c *Cluster) SetACLs(acls ...admin.ACL) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.acls = append([]admin.ACL{}, acls...)
}

// DescribeACLs lists the ACLs of the filter's resource type and
// principal (Any and "" match all).
func (c *Cluster) DescribeACLs(_ context.Context, f admin.ACLFilter) ([]admin.ACL, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.acls == nil {
		return nil, kerr.SecurityDisabled
	}
	return slices.DeleteFunc(slices.Clone(c.acls), func(a admin.ACL) bool {
		return f.ResourceType != kmsg.ACLResourceTypeAny && f.ResourceType != a.ResourceType ||
			f.Principal != "" && f.Principal != a.Principal
	}), nil
}
