package handler

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// DescribeClientQuotas v0-1: the user, client-id and user+client-id
// entities with quota keys that match the filter, as Kafka's
// ZkAdminManager answers: a component matches a name exactly, the
// <default> entity, or any entity naming that type; strict leaves out
// entities naming a type the filter does not mention.
func (h *Handler) describeClientQuotas(ctx context.Context, _ *server.Request, body *kmsg.DescribeClientQuotasRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DescribeClientQuotasResponse)
	f, err := parseQuotaFilter(body)
	var entities []kafkazk.QuotaEntityConfig
	if err == nil && !f.ipOnly {
		entities, err = h.deps.QuotaStore.QuotaEntityConfigs(ctx)
		if err != nil {
			err = fmt.Errorf("read client quotas: %w", err)
		}
	}
	if err != nil {
		resp.ErrorCode, resp.ErrorMessage = kafkaerr.Code(err), errorMessage(err)
		return resp, nil
	}
	for _, e := range entities {
		if !f.matches(quota.Entity{User: e.User, ClientID: e.ClientID}) {
			continue
		}
		if entry, ok := h.describedQuotaEntry(e); ok {
			resp.Entries = append(resp.Entries, entry)
		}
	}
	return resp, nil
}

// quotaFilter is a DescribeClientQuotas filter: per entity part, nil for
// no component, else the component.
type quotaFilter struct {
	user, client *quotaMatch
	strict       bool
	ipOnly       bool // only an ip component: kq has no ip quotas to list
}

// quotaMatch is one component: any entity naming the type (name == "" and
// !exact), or exactly the segment name (quota.Default for <default>).
type quotaMatch struct {
	exact bool
	name  string
}

func parseQuotaFilter(body *kmsg.DescribeClientQuotasRequest) (quotaFilter, error) {
	f := quotaFilter{strict: body.Strict}
	ip := false
	for _, c := range body.Components {
		m, err := parseQuotaMatch(c)
		if err != nil {
			return f, err
		}
		switch c.EntityType {
		case quotaEntityUser:
			if f.user != nil {
				return f, kafkaErrorf(kerr.InvalidRequest, "Duplicate user filter component entity type")
			}
			f.user = m
		case quotaEntityClientID:
			if f.client != nil {
				return f, kafkaErrorf(kerr.InvalidRequest, "Duplicate client filter component entity type")
			}
			f.client = m
		case quotaEntityIP:
			if ip {
				return f, kafkaErrorf(kerr.InvalidRequest, "Duplicate ip filter component entity type")
			}
			ip = true
		case "":
			return f, kafkaErrorf(kerr.InvalidRequest, "Unexpected empty filter component entity type")
		default:
			return f, kafkaErrorf(kerr.UnsupportedVersion, "Custom entity type '%s' not supported", c.EntityType)
		}
	}
	if ip && (f.user != nil || f.client != nil) {
		return f, kafkaErrorf(kerr.InvalidRequest, "Invalid entity filter component combination, IP filter component should not be used with user or clientId filter component.")
	}
	f.ipOnly = ip
	return f, nil
}

// The match types of a filter component.
const (
	quotaMatchExact     = 0
	quotaMatchDefault   = 1
	quotaMatchSpecified = 2
)

func parseQuotaMatch(c kmsg.DescribeClientQuotasRequestComponent) (*quotaMatch, error) {
	switch c.MatchType {
	case quotaMatchExact:
		if c.Match == nil {
			return nil, kafkaErrorf(kerr.InvalidRequest, "Exact match of %s needs a name", c.EntityType)
		}
		return &quotaMatch{exact: true, name: sanitizedOrDefault(c.Match)}, nil
	case quotaMatchDefault:
		return &quotaMatch{exact: true, name: quota.Default}, nil
	case quotaMatchSpecified:
		return &quotaMatch{}, nil
	}
	return nil, kafkaErrorf(kerr.InvalidRequest, "Unexpected match type: %d", c.MatchType)
}

func (f quotaFilter) matches(e quota.Entity) bool {
	return f.part(f.user, e.User) && f.part(f.client, e.ClientID)
}

// part is Kafka's matches: a component wants its type named (exactly, when
// it names one); no component accepts anything unless strict.
func (f quotaFilter) part(m *quotaMatch, segment string) bool {
	if m == nil {
		return segment == "" || !f.strict
	}
	if m.exact {
		return segment == m.name
	}
	return segment != ""
}

// describedQuotaEntry is an entity's answer: its quota keys only (a user's
// SCRAM credentials never leave the broker), none when it has none.
func (h *Handler) describedQuotaEntry(e kafkazk.QuotaEntityConfig) (kmsg.DescribeClientQuotasResponseEntry, bool) {
	entry := kmsg.NewDescribeClientQuotasResponseEntry()
	keys := make([]string, 0, len(e.Config))
	for k := range e.Config {
		if quota.IsKey(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := strconv.ParseFloat(e.Config[k], 64)
		if err != nil {
			h.log.Warn("skipping malformed client quota value", "user", e.User, "client_id", e.ClientID, "key", k, "err", err)
			continue
		}
		val := kmsg.NewDescribeClientQuotasResponseEntryValue()
		val.Key, val.Value = k, v
		entry.Values = append(entry.Values, val)
	}
	if len(entry.Values) == 0 {
		return entry, false
	}
	if e.User != "" {
		entry.Entity = append(entry.Entity, quotaResponseEntity(quotaEntityUser, e.User))
	}
	if e.ClientID != "" {
		entry.Entity = append(entry.Entity, quotaResponseEntity(quotaEntityClientID, e.ClientID))
	}
	return entry, true
}

func quotaResponseEntity(typ, segment string) kmsg.DescribeClientQuotasResponseEntryEntity {
	ent := kmsg.NewDescribeClientQuotasResponseEntryEntity()
	ent.Type, ent.Name = typ, desanitizedName(segment)
	return ent
}
