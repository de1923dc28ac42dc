package admintest

import (
	"context"
	"fmt"
	"maps"
	"sort"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
)

// DescribeClientQuotas lists the entities matching the filter, as a broker
// does (strict: an entity naming a type the filter leaves out is skipped).
func (c *Cluster) DescribeClientQuotas(_ context.Context, filter []admin.QuotaFilterPart, strict bool) ([]admin.ClientQuota, error) {
	if err := c.failure("DescribeClientQuotas"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []admin.ClientQuota
	for _, q := range c.quotas {
		if quotaMatches(q.Entity, filter, strict) {
			out = append(out, admin.ClientQuota{Entity: q.Entity, Values: maps.Clone(q.Values)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return admin.QuotaEntityString(out[i].Entity) < admin.QuotaEntityString(out[j].Entity)
	})
	return out, nil
}

func quotaMatches(entity []admin.QuotaEntityPart, filter []admin.QuotaFilterPart, strict bool) bool {
	named := map[string]*string{}
	for _, p := range entity {
		named[p.Type] = p.Name
	}
	for _, f := range filter {
		name, ok := named[f.Type]
		switch {
		case !ok:
			return false
		case f.Default && name != nil, f.Name != nil && (name == nil || *name != *f.Name):
			return false
		}
		delete(named, f.Type)
	}
	return !strict || len(named) == 0
}

// AlterClientQuotas sets and removes an entity's quotas, refusing unknown
// keys and negative values with INVALID_REQUEST as kq's broker does.
func (c *Cluster) AlterClientQuotas(_ context.Context, entity []admin.QuotaEntityPart, set map[string]float64, remove []string) error {
	if err := c.failure("AlterClientQuotas"); err != nil {
		return err
	}
	for k, v := range set {
		switch k {
		case "producer_byte_rate", "consumer_byte_rate", "request_percentage", "controller_mutation_rate":
		default:
			return fmt.Errorf("%w: Invalid configuration key %s", kerr.InvalidRequest, k)
		}
		if v < 0 {
			return fmt.Errorf("%w: Invalid value %v for configuration %s", kerr.InvalidRequest, v, k)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.quotas == nil {
		c.quotas = map[string]admin.ClientQuota{}
	}
	key := admin.QuotaEntityString(entity)
	q, ok := c.quotas[key]
	if !ok {
		q = admin.ClientQuota{Entity: entity, Values: map[string]float64{}}
	}
	for _, k := range remove {
		delete(q.Values, k)
	}
	maps.Copy(q.Values, set)
	if len(q.Values) == 0 {
		delete(c.quotas, key)
		return nil
	}
	c.quotas[key] = q
	return nil
}
