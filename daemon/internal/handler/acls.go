package handler

import (
	"cmp"
	"slices"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/authz"
)

// aclFilter reads a DescribeAcls or DeleteAcls filter; a null name,
// principal or host matches any.
func aclFilter(t kmsg.ACLResourceType, name *string, pt kmsg.ACLResourcePatternType, principal, host *string,
	op kmsg.ACLOperation, perm kmsg.ACLPermissionType) authz.Filter {
	return authz.Filter{Type: t, Name: derefOr(name, ""), PatternType: pt, Principal: derefOr(principal, ""),
		Host: derefOr(host, ""), Operation: op, Permission: perm}
}

// sortBindings orders bindings by resource, then entry, so answers are
// stable.
func sortBindings(bs []authz.Binding) {
	slices.SortFunc(bs, func(a, b authz.Binding) int {
		return cmp.Or(
			cmp.Compare(a.Pattern.Type, b.Pattern.Type),
			cmp.Compare(a.Pattern.PatternType, b.Pattern.PatternType),
			cmp.Compare(a.Pattern.Name, b.Pattern.Name),
			cmp.Compare(a.Entry.Principal, b.Entry.Principal),
			cmp.Compare(a.Entry.Host, b.Entry.Host),
			cmp.Compare(a.Entry.Operation, b.Entry.Operation),
			cmp.Compare(a.Entry.Permission, b.Entry.Permission),
		)
	})
}
