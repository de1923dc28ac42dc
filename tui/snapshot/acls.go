package snapshot

import (
	"context"
	"errors"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin"
)

// ACLSource is implemented by sources that can list ACLs (*admin.Client
// does); without it, or when the cluster has no authorizer or the user
// may not describe ACLs, topics' ACLs are unknown.
type ACLSource interface {
	DescribeACLs(ctx context.Context, f admin.ACLFilter) ([]admin.ACL, error)
}

// clusterACLs reads every ACL, of every resource type: the topics' for
// their detail, all of them for a principal's view. known is false, with
// no error, when the cluster does not say (no authorizer, no Describe on
// the cluster).
func clusterACLs(ctx context.Context, src Source) (acls []admin.ACL, known bool, err error) {
	as, ok := src.(ACLSource)
	if !ok {
		return nil, false, nil
	}
	acls, err = as.DescribeACLs(ctx, admin.ACLFilter{ResourceType: kmsg.ACLResourceTypeAny,
		PatternType: kmsg.ACLResourcePatternTypeAny, Operation: kmsg.ACLOperationAny, Permission: kmsg.ACLPermissionTypeAny})
	if errors.Is(err, kerr.SecurityDisabled) || errors.Is(err, kerr.ClusterAuthorizationFailed) {
		return nil, false, nil
	}
	return acls, err == nil, err
}

// aclsFor are the ACLs that apply to a topic: its literal name, the
// literal wildcard and every prefix of its name (acls holds every
// resource type's).
func aclsFor(acls []admin.ACL, topic string) []admin.ACL {
	var out []admin.ACL
	for _, a := range acls {
		switch {
		case a.ResourceType != kmsg.ACLResourceTypeTopic:
		case a.PatternType == kmsg.ACLResourcePatternTypePrefixed && strings.HasPrefix(topic, a.ResourceName),
			a.PatternType == kmsg.ACLResourcePatternTypeLiteral && (a.ResourceName == topic || a.ResourceName == "*"):
			out = append(out, a)
		}
	}
	return out
}
