package authz

import (
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Filter selects bindings, as DescribeAcls and DeleteAcls do: empty
// strings and the Any values match everything.
type Filter struct {
	Type        kmsg.ACLResourceType
	Name        string // "" is any (a null name on the wire)
	PatternType kmsg.ACLResourcePatternType
	Principal   string // "" is any
	Host        string // "" is any
	Operation   kmsg.ACLOperation
	Permission  kmsg.ACLPermissionType
}

// Validate refuses what Kafka refuses with INVALID_REQUEST: Unknown
// values anywhere, and a MATCH pattern type without a name.
func (f Filter) Validate() error {
	switch {
	case f.Type == kmsg.ACLResourceTypeUnknown || (f.Type != kmsg.ACLResourceTypeAny && ResourceTypeName(f.Type) == ""):
		return invalid("resource type %v", f.Type)
	case f.PatternType < kmsg.ACLResourcePatternTypeAny || f.PatternType > kmsg.ACLResourcePatternTypePrefixed:
		return invalid("pattern type %v", f.PatternType)
	case f.Operation == kmsg.ACLOperationUnknown || (f.Operation != kmsg.ACLOperationAny && OperationName(f.Operation) == ""):
		return invalid("operation %v", f.Operation)
	case f.Permission != kmsg.ACLPermissionTypeAny && PermissionName(f.Permission) == "":
		return invalid("permission type %v", f.Permission)
	}
	if f.Principal != "" {
		if _, _, err := ParsePrincipal(f.Principal); err != nil {
			return invalid("%v", err)
		}
	}
	return nil
}

// Matches reports whether the filter selects b. A MATCH filter selects
// the patterns that would apply to the named resource: the literal name,
// the literal wildcard and every prefix of the name.
func (f Filter) Matches(b Binding) bool {
	return f.MatchesPattern(b.Pattern) && f.matchesEntry(b.Entry)
}

// MatchesPattern reports whether the filter's resource part selects p.
func (f Filter) MatchesPattern(p Pattern) bool {
	if f.Type != kmsg.ACLResourceTypeAny && f.Type != p.Type {
		return false
	}
	switch f.PatternType {
	case kmsg.ACLResourcePatternTypeAny:
		return f.Name == "" || f.Name == p.Name
	case kmsg.ACLResourcePatternTypeMatch:
		return f.Name == "" || appliesTo(p, f.Name)
	}
	return f.PatternType == p.PatternType && (f.Name == "" || f.Name == p.Name)
}

// appliesTo reports whether pattern p covers the resource named name.
func appliesTo(p Pattern, name string) bool {
	if p.PatternType == kmsg.ACLResourcePatternTypePrefixed {
		return strings.HasPrefix(name, p.Name)
	}
	return p.Name == name || p.Name == Wildcard
}

func (f Filter) matchesEntry(e Entry) bool {
	return (f.Principal == "" || f.Principal == e.Principal) &&
		(f.Host == "" || f.Host == e.Host) &&
		(f.Operation == kmsg.ACLOperationAny || f.Operation == e.Operation) &&
		(f.Permission == kmsg.ACLPermissionTypeAny || f.Permission == e.Permission)
}
