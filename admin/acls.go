package admin

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// ACL is one access control entry bound to a resource pattern, in
// Kafka's terms (kmsg's enums: TOPIC, LITERAL, READ, ALLOW, ...).
type ACL struct {
	ResourceType kmsg.ACLResourceType
	ResourceName string
	PatternType  kmsg.ACLResourcePatternType
	Principal    string
	Host         string
	Operation    kmsg.ACLOperation
	Permission   kmsg.ACLPermissionType
}

// ACLFilter selects ACLs: "" for a name, principal or host and the Any
// values match everything; PatternType Match selects the patterns that
// apply to a resource name.
type ACLFilter struct {
	ResourceType kmsg.ACLResourceType
	ResourceName string
	PatternType  kmsg.ACLResourcePatternType
	Principal    string
	Host         string
	Operation    kmsg.ACLOperation
	Permission   kmsg.ACLPermissionType
}

func orNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// DescribeACLs lists the ACLs a filter selects (DescribeAcls).
func (c *Client) DescribeACLs(ctx context.Context, f ACLFilter) ([]ACL, error) {
	req := kmsg.NewPtrDescribeACLsRequest()
	req.ResourceType, req.ResourceName, req.ResourcePatternType = f.ResourceType, orNil(f.ResourceName), f.PatternType
	req.Principal, req.Host, req.Operation, req.PermissionType = orNil(f.Principal), orNil(f.Host), f.Operation, f.Permission
	resp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("describe ACLs: %w", err)
	}
	r := resp.(*kmsg.DescribeACLsResponse)
	if err := kafkaError(r.ErrorCode, r.ErrorMessage); err != nil {
		return nil, fmt.Errorf("describe ACLs: %w", err)
	}
	var out []ACL
	for _, res := range r.Resources {
		for _, a := range res.ACLs {
			out = append(out, ACL{ResourceType: res.ResourceType, ResourceName: res.ResourceName, PatternType: res.ResourcePatternType,
				Principal: a.Principal, Host: a.Host, Operation: a.Operation, Permission: a.PermissionType})
		}
	}
	return out, nil
}

// CreateACLs adds ACLs (CreateAcls); the first refusal is returned.
func (c *Client) CreateACLs(ctx context.Context, acls []ACL) error {
	req := kmsg.NewPtrCreateACLsRequest()
	for _, a := range acls {
		cr := kmsg.NewCreateACLsRequestCreation()
		cr.ResourceType, cr.ResourceName, cr.ResourcePatternType = a.ResourceType, a.ResourceName, a.PatternType
		cr.Principal, cr.Host, cr.Operation, cr.PermissionType = a.Principal, a.Host, a.Operation, a.Permission
		req.Creations = append(req.Creations, cr)
	}
	resp, err := c.request(ctx, req)
	if err != nil {
		return fmt.Errorf("create ACLs: %w", err)
	}
	for i, r := range resp.(*kmsg.CreateACLsResponse).Results {
		if err := kafkaError(r.ErrorCode, r.ErrorMessage); err != nil {
			return fmt.Errorf("create ACL %v: %w", acls[i], err)
		}
	}
	return nil
}

// DeleteACLs removes every ACL the filters select (DeleteAcls) and returns
// them.
func (c *Client) DeleteACLs(ctx context.Context, filters []ACLFilter) ([]ACL, error) {
	req := kmsg.NewPtrDeleteACLsRequest()
	for _, f := range filters {
		rf := kmsg.NewDeleteACLsRequestFilter()
		rf.ResourceType, rf.ResourceName, rf.ResourcePatternType = f.ResourceType, orNil(f.ResourceName), f.PatternType
		rf.Principal, rf.Host, rf.Operation, rf.PermissionType = orNil(f.Principal), orNil(f.Host), f.Operation, f.Permission
		req.Filters = append(req.Filters, rf)
	}
	resp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("delete ACLs: %w", err)
	}
	var out []ACL
	for _, r := range resp.(*kmsg.DeleteACLsResponse).Results {
		if err := kafkaError(r.ErrorCode, r.ErrorMessage); err != nil {
			return out, fmt.Errorf("delete ACLs: %w", err)
		}
		for _, m := range r.MatchingACLs {
			out = append(out, ACL{ResourceType: m.ResourceType, ResourceName: m.ResourceName, PatternType: m.ResourcePatternType,
				Principal: m.Principal, Host: m.Host, Operation: m.Operation, Permission: m.PermissionType})
		}
	}
	return out, nil
}
