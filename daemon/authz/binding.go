package authz

import (
	"errors"
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Pattern names the resources an ACL applies to.
type Pattern struct {
	Type kmsg.ACLResourceType
	Name string
	// PatternType is Literal (Name, or every resource when Name is "*")
	// or Prefixed (every resource whose name starts with Name).
	PatternType kmsg.ACLResourcePatternType
}

// Entry is one access control entry of a pattern.
type Entry struct {
	Principal  string // User:NAME or User:*
	Host       string // an IP address or *
	Operation  kmsg.ACLOperation
	Permission kmsg.ACLPermissionType
}

// Binding is an entry bound to its pattern.
type Binding struct {
	Pattern Pattern
	Entry   Entry
}

// ErrInvalid marks a binding or filter Kafka would refuse (INVALID_REQUEST).
var ErrInvalid = errors.New("invalid ACL")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Validate checks a pattern can be stored: a concrete type, LITERAL or
// PREFIXED, a name that fits a znode, kafka-cluster for the cluster.
func (p Pattern) Validate() error {
	if ResourceTypeName(p.Type) == "" {
		return invalid("resource type %v is not a concrete type", p.Type)
	}
	if p.PatternType != kmsg.ACLResourcePatternTypeLiteral && p.PatternType != kmsg.ACLResourcePatternTypePrefixed {
		return invalid("pattern type %v is not LITERAL or PREFIXED", p.PatternType)
	}
	if p.Name == "" {
		return invalid("resource name is empty")
	}
	// The name becomes one znode name under /kafka-acl.
	if strings.Contains(p.Name, "/") || p.Name == "." || p.Name == ".." {
		return invalid("resource name %q cannot be stored in ZooKeeper", p.Name)
	}
	if p.Type == kmsg.ACLResourceTypeCluster && (p.Name != ClusterName || p.PatternType != kmsg.ACLResourcePatternTypeLiteral) {
		return invalid("the only valid name for the CLUSTER resource is %s", ClusterName)
	}
	return nil
}

// Validate checks an entry can be stored on resources of type t.
func (e Entry) Validate(t kmsg.ACLResourceType) error {
	if _, _, err := ParsePrincipal(e.Principal); err != nil {
		return invalid("%v", err)
	}
	if e.Host == "" {
		return invalid("host is empty")
	}
	if PermissionName(e.Permission) == "" {
		return invalid("permission type %v is not ALLOW or DENY", e.Permission)
	}
	if !Supports(t, e.Operation) {
		return invalid("operation %v is not supported on %v resources", e.Operation, t)
	}
	return nil
}

// Validate checks a binding can be stored.
func (b Binding) Validate() error {
	if err := b.Pattern.Validate(); err != nil {
		return err
	}
	return b.Entry.Validate(b.Pattern.Type)
}

// String is kafka-acls.sh's ResourcePattern rendering.
func (p Pattern) String() string {
	return fmt.Sprintf("ResourcePattern(resourceType=%v, name=%s, patternType=%v)", p.Type, p.Name, p.PatternType)
}

// String is kafka-acls.sh's AccessControlEntry rendering.
func (e Entry) String() string {
	return fmt.Sprintf("(principal=%s, host=%s, operation=%v, permissionType=%v)", e.Principal, e.Host, e.Operation, e.Permission)
}
