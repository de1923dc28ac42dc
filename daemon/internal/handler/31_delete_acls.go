package handler

import (
	"context"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/internal/server"
)

// DeleteAcls v0-3: every ACL a filter selects is removed from ZooKeeper
// (each resource rewritten once) and listed in that filter's result. A
// filter with unknown values is INVALID_REQUEST. It needs Alter on the
// cluster; without an authorizer it is SECURITY_DISABLED.
func (h *Handler) deleteACLs(ctx context.Context, req *server.Request, body *kmsg.DeleteACLsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DeleteACLsResponse)
	resp.Results = make([]kmsg.DeleteACLsResponseResult, len(body.Filters))
	filters := make([]authz.Filter, len(body.Filters))
	valid := make([]bool, len(body.Filters))
	for i, rf := range body.Filters {
		filters[i] = aclFilter(rf.ResourceType, rf.ResourceName, rf.ResourcePatternType, rf.Principal, rf.Host,
			rf.Operation, rf.PermissionType)
		if e := h.aclWriteRefusal(req); e != nil {
			resp.Results[i].ErrorCode, resp.Results[i].ErrorMessage = e.Code, &e.Description
		} else if err := filters[i].Validate(); err != nil {
			resp.Results[i].ErrorCode, resp.Results[i].ErrorMessage = kerr.InvalidRequest.Code, kmsg.StringPtr(err.Error())
		} else {
			valid[i] = true
		}
	}
	if !slices.Contains(valid, true) {
		return resp, nil
	}
	updated := map[authz.Pattern][]authz.Entry{}
	for _, p := range h.patternsToDelete(filters, valid) {
		var removed []authz.Entry
		stored, err := h.deps.ACLs.UpdateACLs(ctx, p, func(cur []authz.Entry) []authz.Entry {
			removed = removed[:0]
			return slices.DeleteFunc(cur, func(e authz.Entry) bool {
				if selected(filters, valid, authz.Binding{Pattern: p, Entry: e}) {
					removed = append(removed, e)
					return true
				}
				return false
			})
		})
		if err != nil {
			h.log.Warn("DeleteAcls failed", "resource", p.String(), "err", err)
			failFilters(resp, filters, valid, p, err)
			continue
		}
		updated[p] = stored
		addDeleted(resp, filters, valid, p, removed)
	}
	h.deps.Authorizer.Update(updated)
	return resp, nil
}

// patternsToDelete are the cached patterns some valid filter selects an
// entry of.
func (h *Handler) patternsToDelete(filters []authz.Filter, valid []bool) []authz.Pattern {
	var out []authz.Pattern
	for i, f := range filters {
		if !valid[i] {
			continue
		}
		for _, b := range h.deps.Authorizer.Snapshot().Bindings(f) {
			if !slices.Contains(out, b.Pattern) {
				out = append(out, b.Pattern)
			}
		}
	}
	return out
}

func selected(filters []authz.Filter, valid []bool, b authz.Binding) bool {
	for i, f := range filters {
		if valid[i] && f.Matches(b) {
			return true
		}
	}
	return false
}

// addDeleted lists each removed entry under every filter that selects it.
func addDeleted(resp *kmsg.DeleteACLsResponse, filters []authz.Filter, valid []bool, p authz.Pattern, removed []authz.Entry) {
	for _, e := range removed {
		b := authz.Binding{Pattern: p, Entry: e}
		for i, f := range filters {
			if valid[i] && f.Matches(b) {
				resp.Results[i].MatchingACLs = append(resp.Results[i].MatchingACLs, matchingACL(b))
			}
		}
	}
}

// failFilters marks the filters selecting p as failed.
func failFilters(resp *kmsg.DeleteACLsResponse, filters []authz.Filter, valid []bool, p authz.Pattern, err error) {
	for i, f := range filters {
		if valid[i] && f.MatchesPattern(p) {
			resp.Results[i].ErrorCode, resp.Results[i].ErrorMessage = kerr.UnknownServerError.Code, kmsg.StringPtr(err.Error())
		}
	}
}

func matchingACL(b authz.Binding) kmsg.DeleteACLsResponseResultMatchingACL {
	m := kmsg.NewDeleteACLsResponseResultMatchingACL()
	m.ResourceType, m.ResourceName, m.ResourcePatternType = b.Pattern.Type, b.Pattern.Name, b.Pattern.PatternType
	m.Principal, m.Host, m.Operation, m.PermissionType = b.Entry.Principal, b.Entry.Host, b.Entry.Operation, b.Entry.Permission
	return m
}
