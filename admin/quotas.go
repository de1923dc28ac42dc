package admin

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Client quota entity types, as DescribeClientQuotas and
// AlterClientQuotas name them.
const (
	QuotaUser     = "user"
	QuotaClientID = "client-id"
)

// QuotaEntityPart is one part of a quota entity: a user or a client id.
// A nil Name is the <default> entity of that type.
type QuotaEntityPart struct {
	Type string  `json:"entity_type"`
	Name *string `json:"entity_name"`
}

// QuotaFilterPart is one part of a DescribeClientQuotas filter: an exact
// Name, the <default> entity (Default), or any entity of Type (neither).
type QuotaFilterPart struct {
	Type    string
	Name    *string
	Default bool
}

// ClientQuota is one entity's quotas.
type ClientQuota struct {
	Entity []QuotaEntityPart  `json:"entity"`
	Values map[string]float64 `json:"quotas"`
}

// DescribeClientQuotas lists the entities matching the filter with their
// quotas; strict leaves out entities naming a type the filter does not.
// Entities come users first, then by name.
func (c *Client) DescribeClientQuotas(ctx context.Context, filter []QuotaFilterPart, strict bool) ([]ClientQuota, error) {
	req := kmsg.NewPtrDescribeClientQuotasRequest()
	req.Strict = strict
	for _, f := range filter {
		comp := kmsg.NewDescribeClientQuotasRequestComponent()
		comp.EntityType = f.Type
		switch {
		case f.Default:
			comp.MatchType = kmsg.QuotasMatchTypeDefault
		case f.Name != nil:
			comp.MatchType, comp.Match = kmsg.QuotasMatchTypeExact, f.Name
		default:
			comp.MatchType = kmsg.QuotasMatchTypeAny
		}
		req.Components = append(req.Components, comp)
	}
	resp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("describe client quotas: %w", err)
	}
	r := resp.(*kmsg.DescribeClientQuotasResponse)
	if err := kafkaError(r.ErrorCode, r.ErrorMessage); err != nil {
		return nil, fmt.Errorf("describe client quotas: %w", err)
	}
	out := make([]ClientQuota, 0, len(r.Entries))
	for _, e := range r.Entries {
		q := ClientQuota{Values: map[string]float64{}}
		for _, ent := range e.Entity {
			q.Entity = append(q.Entity, QuotaEntityPart{Type: ent.Type, Name: ent.Name})
		}
		sortQuotaEntity(q.Entity)
		for _, v := range e.Values {
			q.Values[v.Key] = v.Value
		}
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return QuotaEntityString(out[i].Entity) < QuotaEntityString(out[j].Entity) })
	return out, nil
}

// AlterClientQuotas sets and removes one entity's quotas.
func (c *Client) AlterClientQuotas(ctx context.Context, entity []QuotaEntityPart, set map[string]float64, remove []string) error {
	req := kmsg.NewPtrAlterClientQuotasRequest()
	entry := kmsg.NewAlterClientQuotasRequestEntry()
	for _, p := range entity {
		ent := kmsg.NewAlterClientQuotasRequestEntryEntity()
		ent.Type, ent.Name = p.Type, p.Name
		entry.Entity = append(entry.Entity, ent)
	}
	for _, k := range remove {
		entry.Ops = append(entry.Ops, kmsg.AlterClientQuotasRequestEntryOp{Key: k, Remove: true})
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		entry.Ops = append(entry.Ops, kmsg.AlterClientQuotasRequestEntryOp{Key: k, Value: set[k]})
	}
	req.Entries = []kmsg.AlterClientQuotasRequestEntry{entry}
	resp, err := c.request(ctx, req)
	if err != nil {
		return fmt.Errorf("alter client quotas: %w", err)
	}
	for _, got := range resp.(*kmsg.AlterClientQuotasResponse).Entries {
		if err := kafkaError(got.ErrorCode, got.ErrorMessage); err != nil {
			return fmt.Errorf("alter client quotas of %s: %w", QuotaEntityString(entity), err)
		}
	}
	return nil
}

// sortQuotaEntity puts the user before the client id, as kafka-configs
// prints them.
func sortQuotaEntity(parts []QuotaEntityPart) {
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].Type == QuotaUser && parts[j].Type != QuotaUser })
}

// QuotaEntityString is kafka-configs' description of an entity:
// "user-principal 'alice', client-id 'app'", "the default client-id".
func QuotaEntityString(parts []QuotaEntityPart) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		typ := p.Type
		if typ == QuotaUser {
			typ = "user-principal"
		}
		if p.Name == nil {
			out = append(out, "the default "+typ)
		} else {
			out = append(out, typ+" '"+*p.Name+"'")
		}
	}
	return strings.Join(out, ", ")
}
