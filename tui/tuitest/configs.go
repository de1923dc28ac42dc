package tuitest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// AlterConfigs records the call ("AlterConfigs topic orders SET
// retention.ms=1000", a sensitive config's value as "(hidden)") and
// applies it; a config added with SetSensitive is taken as set.
func (c *Cluster) AlterConfigs(ctx context.Context, res admin.Resource, changes []admin.ConfigChange) error {
	parts := make([]string, 0, len(changes))
	var rest []admin.ConfigChange
	for _, ch := range changes {
		switch {
		case ch.Op == admin.OpDelete:
			parts = append(parts, "DELETE "+ch.Name)
		case c.isSensitive(ch.Name):
			parts = append(parts, "SET "+ch.Name+"=(hidden)")
		default:
			parts = append(parts, fmt.Sprintf("SET %s=%s", ch.Name, ch.Value))
		}
		if !c.isSensitive(ch.Name) {
			rest = append(rest, ch)
		}
	}
	c.record("AlterConfigs %s %s", res, strings.Join(parts, " "))
	return c.fake.AlterConfigs(ctx, res, rest)
}

// SetSensitive makes every broker report a sensitive config, as
// ssl.keystore.password would be: named, its value never returned.
func (c *Cluster) SetSensitive(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sensitive == nil {
		c.sensitive = map[string]bool{}
	}
	c.sensitive[name] = true
}

func (c *Cluster) isSensitive(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sensitive[name]
}

// DescribeConfigs is admintest's, with the sensitive configs added to a
// broker's.
func (c *Cluster) DescribeConfigs(ctx context.Context, res admin.Resource) ([]admin.ConfigEntry, error) {
	entries, err := c.fake.DescribeConfigs(ctx, res)
	if err != nil || res.Type != admin.BrokerResource {
		return entries, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, name := range slices.Sorted(maps.Keys(c.sensitive)) {
		entries = append(entries, admin.ConfigEntry{Name: name, Source: admin.SourceStaticBroker, Sensitive: true,
			Synonyms: []admin.ConfigSynonym{{Name: name, Source: admin.SourceStaticBroker}}})
	}
	slices.SortFunc(entries, func(a, b admin.ConfigEntry) int { return strings.Compare(a.Name, b.Name) })
	return entries, nil
}

// pairs is " name=value ..." sorted, "" for none.
func pairs(m map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b.WriteString(" " + k + "=" + m[k])
	}
	return b.String()
}

// ValidateConfigChanges answers as AlterConfigs would, changing nothing:
// the failure set with Fail("ValidateConfigChanges"), else INVALID_CONFIG
// for a name the resource does not have.
func (c *Cluster) ValidateConfigChanges(ctx context.Context, res admin.Resource, changes []admin.ConfigChange) error {
	if err := c.Failure("ValidateConfigChanges"); err != nil {
		return err
	}
	entries, err := c.DescribeConfigs(ctx, res)
	if err != nil {
		return err
	}
	for _, ch := range changes {
		if !slices.ContainsFunc(entries, func(e admin.ConfigEntry) bool { return e.Name == ch.Name }) {
			return fmt.Errorf("alter configs of %s: %w: unknown config %s", res, kerr.InvalidConfig, ch.Name)
		}
	}
	return nil
}
