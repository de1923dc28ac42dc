package authz

import (
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// ClusterName is the one Cluster resource's name.
const ClusterName = "kafka-cluster"

// Wildcard, as a LITERAL resource name, matches every resource of its
// type; as a principal's name ("User:*"), every principal; as a host, every
// host.
const Wildcard = "*"

// WildcardPrincipal matches every principal.
const WildcardPrincipal = "User:*"

// resourceTypeNames are Kafka's names of resource types in znode paths
// (SecurityUtils.resourceTypeName).
var resourceTypeNames = map[kmsg.ACLResourceType]string{
	kmsg.ACLResourceTypeTopic:           "Topic",
	kmsg.ACLResourceTypeGroup:           "Group",
	kmsg.ACLResourceTypeCluster:         "Cluster",
	kmsg.ACLResourceTypeTransactionalId: "TransactionalId",
	kmsg.ACLResourceTypeDelegationToken: "DelegationToken",
	kmsg.ACLResourceTypeUser:            "User",
}

// ResourceTypeName returns the name of a concrete resource type as Kafka
// writes it in znode paths ("Topic"), "" for Any and Unknown.
func ResourceTypeName(t kmsg.ACLResourceType) string { return resourceTypeNames[t] }

// ParseResourceType reads a concrete resource type ("Topic", "TOPIC",
// "transactional-id", ...).
func ParseResourceType(s string) (kmsg.ACLResourceType, error) {
	t, err := kmsg.ParseACLResourceType(s)
	if err != nil || ResourceTypeName(t) == "" {
		return 0, fmt.Errorf("unknown resource type %q", s)
	}
	return t, nil
}

// operationNames are Kafka's names of operations in ACL znodes
// (SecurityUtils.operationName).
var operationNames = map[kmsg.ACLOperation]string{
	kmsg.ACLOperationAll:             "All",
	kmsg.ACLOperationRead:            "Read",
	kmsg.ACLOperationWrite:           "Write",
	kmsg.ACLOperationCreate:          "Create",
	kmsg.ACLOperationDelete:          "Delete",
	kmsg.ACLOperationAlter:           "Alter",
	kmsg.ACLOperationDescribe:        "Describe",
	kmsg.ACLOperationClusterAction:   "ClusterAction",
	kmsg.ACLOperationDescribeConfigs: "DescribeConfigs",
	kmsg.ACLOperationAlterConfigs:    "AlterConfigs",
	kmsg.ACLOperationIdempotentWrite: "IdempotentWrite",
	kmsg.ACLOperationCreateTokens:    "CreateTokens",
	kmsg.ACLOperationDescribeTokens:  "DescribeTokens",
}

// OperationName returns an operation's name as Kafka writes it in ACL
// znodes ("DescribeConfigs"), "" for Any and Unknown.
func OperationName(op kmsg.ACLOperation) string { return operationNames[op] }

// ParseOperation reads a concrete operation (All included, Any not).
func ParseOperation(s string) (kmsg.ACLOperation, error) {
	op, err := kmsg.ParseACLOperation(s)
	if err != nil || OperationName(op) == "" {
		return 0, fmt.Errorf("unknown operation %q", s)
	}
	return op, nil
}

// PermissionName returns "Allow" or "Deny", "" for the others.
func PermissionName(p kmsg.ACLPermissionType) string {
	switch p {
	case kmsg.ACLPermissionTypeAllow:
		return "Allow"
	case kmsg.ACLPermissionTypeDeny:
		return "Deny"
	}
	return ""
}

// ParsePermission reads Allow or Deny.
func ParsePermission(s string) (kmsg.ACLPermissionType, error) {
	p, err := kmsg.ParseACLPermissionType(s)
	if err != nil || PermissionName(p) == "" {
		return 0, fmt.Errorf("unknown permission type %q", s)
	}
	return p, nil
}

// ParsePrincipal splits "Type:name" at its first colon, as Kafka's
// SecurityUtils.parseKafkaPrincipal: both parts must be non-empty.
func ParsePrincipal(s string) (typ, name string, err error) {
	typ, name, ok := strings.Cut(s, ":")
	if !ok || typ == "" || name == "" {
		return "", "", fmt.Errorf("principal %q: want Type:name, e.g. User:alice", s)
	}
	return typ, name, nil
}

// supportedOperations are the operations ACLs may name per resource type
// (Kafka's AclEntry.supportedOperations), All aside.
var supportedOperations = map[kmsg.ACLResourceType][]kmsg.ACLOperation{
	kmsg.ACLResourceTypeTopic: {kmsg.ACLOperationRead, kmsg.ACLOperationWrite, kmsg.ACLOperationCreate,
		kmsg.ACLOperationDescribe, kmsg.ACLOperationDelete, kmsg.ACLOperationAlter,
		kmsg.ACLOperationDescribeConfigs, kmsg.ACLOperationAlterConfigs},
	kmsg.ACLResourceTypeGroup: {kmsg.ACLOperationRead, kmsg.ACLOperationDescribe, kmsg.ACLOperationDelete},
	kmsg.ACLResourceTypeCluster: {kmsg.ACLOperationCreate, kmsg.ACLOperationClusterAction,
		kmsg.ACLOperationDescribeConfigs, kmsg.ACLOperationAlterConfigs, kmsg.ACLOperationIdempotentWrite,
		kmsg.ACLOperationAlter, kmsg.ACLOperationDescribe},
	kmsg.ACLResourceTypeTransactionalId: {kmsg.ACLOperationDescribe, kmsg.ACLOperationWrite},
	kmsg.ACLResourceTypeDelegationToken: {kmsg.ACLOperationDescribe},
	kmsg.ACLResourceTypeUser:            {kmsg.ACLOperationCreateTokens, kmsg.ACLOperationDescribeTokens},
}

// SupportedOperations returns the operations a resource type has.
func SupportedOperations(t kmsg.ACLResourceType) []kmsg.ACLOperation {
	return supportedOperations[t]
}

// Supports reports whether an ACL may name op on resources of type t.
func Supports(t kmsg.ACLResourceType, op kmsg.ACLOperation) bool {
	if op == kmsg.ACLOperationAll {
		return ResourceTypeName(t) != ""
	}
	for _, s := range supportedOperations[t] {
		if s == op {
			return true
		}
	}
	return false
}
