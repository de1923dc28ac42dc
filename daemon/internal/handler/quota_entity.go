package handler

import (
	"strconv"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/store/meta/znode"
)

// The entity types of DescribeClientQuotas and AlterClientQuotas (Kafka's
// ClientQuotaEntity).
const (
	quotaEntityUser     = "user"
	quotaEntityClientID = "client-id"
	quotaEntityIP       = "ip"
)

// errIPQuotas answers an ip entity: kq keeps no connection-rate quotas.
var errIPQuotas = kafkaErrorf(kerr.InvalidRequest, "kq does not support IP connection rate quotas")

// quotaEntityOf reads an AlterClientQuotas entity into its ZooKeeper
// segments, refusing what Kafka's ZkAdminManager refuses.
func quotaEntityOf(components []quotaComponent) (quota.Entity, error) {
	if len(components) == 0 {
		return quota.Entity{}, kafkaErrorf(kerr.InvalidRequest, "Invalid empty client quota entity")
	}
	var e quota.Entity
	seen := map[string]bool{}
	for _, c := range components {
		if seen[c.typ] {
			return quota.Entity{}, kafkaErrorf(kerr.InvalidRequest, "Duplicate %s in entity", c.typ)
		}
		seen[c.typ] = true
		if c.name != nil && *c.name == "" {
			return quota.Entity{}, kafkaErrorf(kerr.InvalidRequest, "Empty %s not supported", c.typ)
		}
		switch c.typ {
		case quotaEntityUser:
			e.User = sanitizedOrDefault(c.name)
		case quotaEntityClientID:
			e.ClientID = sanitizedOrDefault(c.name)
		case quotaEntityIP:
		default:
			return quota.Entity{}, kafkaErrorf(kerr.InvalidRequest, "Unhandled client quota entity type: %s", c.typ)
		}
	}
	if seen[quotaEntityIP] {
		if e != (quota.Entity{}) {
			return quota.Entity{}, kafkaErrorf(kerr.InvalidRequest, "Invalid quota entity combination, IP entity should not be used with user/client ID entity.")
		}
		return quota.Entity{}, errIPQuotas
	}
	return e, nil
}

// quotaComponent is one (type, name) of an entity; a nil name is the
// default entity.
type quotaComponent struct {
	typ  string
	name *string
}

func sanitizedOrDefault(name *string) string {
	if name == nil {
		return quota.Default
	}
	return znode.SanitizeEntityName(*name)
}

// desanitizedName is a path segment as the API names it: nil for
// <default>. A segment that does not decode is shown as stored.
func desanitizedName(segment string) *string {
	if segment == quota.Default {
		return nil
	}
	name, err := znode.DesanitizeEntityName(segment)
	if err != nil {
		name = segment
	}
	return &name
}

// quotaValueString is how Kafka stores a quota value: a LONG key as an
// integer, a DOUBLE as Java's Double.toString writes it (50 -> "50.0").
func quotaValueString(key string, v float64) string {
	if quota.Keys[key] {
		return strconv.FormatInt(int64(v+1e-6), 10)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v == float64(int64(v)) {
		s += ".0"
	}
	return s
}

// quotaKeyType says whether key is a client quota key and whether Kafka
// types it LONG.
func quotaKeyType(key string) (isLong, ok bool) {
	isLong, ok = quota.Keys[key]
	return isLong, ok
}
