package admintest

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// topicDefaults is the small set of topic configs the fake knows, with
// Kafka's defaults and the broker config each one falls back to.
var topicDefaults = map[string][2]string{
	"cleanup.policy":      {"delete", "log.cleanup.policy"},
	"compression.type":    {"producer", "compression.type"},
	"min.insync.replicas": {"1", "min.insync.replicas"},
	"retention.ms":        {"604800000", "log.retention.ms"},
	"segment.bytes":       {"1073741824", "log.segment.bytes"},
}

var brokerDefaults = map[string]string{
	"log.retention.hours": "168", "min.insync.replicas": "1", "num.partitions": "1",
	"log.cleaner.threads": "1",
}

// DescribeConfigs answers like admin.Client.DescribeConfigs.
func (c *Cluster) DescribeConfigs(ctx context.Context, res admin.Resource) ([]admin.ConfigEntry, error) {
	if err := c.failure("DescribeConfigs"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch res.Type {
	case admin.TopicResource:
		t, ok := c.topics[res.Name]
		if !ok {
			return nil, notFound("describe configs of %s", res)
		}
		return topicEntries(t.configs), nil
	case admin.BrokerResource:
		if res.Name != "" && !c.hasBroker(res.Name) {
			return nil, fmt.Errorf("describe configs of %s: %w", res, admin.ErrNotFound)
		}
		return brokerEntries(c.brokerCfg[res.Name], res.Name == ""), nil
	}
	return nil, fmt.Errorf("describe configs of %s: %w", res, kerr.InvalidRequest)
}

func topicEntries(overrides map[string]string) []admin.ConfigEntry {
	var out []admin.ConfigEntry
	for name, def := range topicDefaults {
		e := admin.ConfigEntry{Name: name, Value: ptr(def[0]), Source: admin.SourceDefault,
			Synonyms: []admin.ConfigSynonym{{Name: def[1], Value: ptr(def[0]), Source: admin.SourceDefault}}}
		if v, ok := overrides[name]; ok {
			e.Value, e.Source = ptr(v), admin.SourceDynamicTopic
			e.Synonyms = append([]admin.ConfigSynonym{{Name: name, Value: ptr(v), Source: admin.SourceDynamicTopic}}, e.Synonyms...)
		}
		out = append(out, e)
	}
	return sortEntries(out)
}

func brokerEntries(overrides map[string]string, isDefault bool) []admin.ConfigEntry {
	dynamic := admin.SourceDynamicBroker
	if isDefault {
		dynamic = admin.SourceDynamicDefaultBroker
	}
	var out []admin.ConfigEntry
	for name, def := range brokerDefaults {
		e := admin.ConfigEntry{Name: name, Value: ptr(def), Source: admin.SourceDefault}
		if v, ok := overrides[name]; ok {
			e.Value, e.Source = ptr(v), dynamic
			e.Synonyms = []admin.ConfigSynonym{{Name: name, Value: ptr(v), Source: dynamic}}
		}
		e.Synonyms = append(e.Synonyms, admin.ConfigSynonym{Name: name, Value: ptr(def), Source: admin.SourceDefault})
		out = append(out, e)
	}
	return sortEntries(out)
}

func sortEntries(entries []admin.ConfigEntry) []admin.ConfigEntry {
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	return entries
}

func ptr(s string) *string { return &s }

// AlterConfigs applies incremental changes; unknown names are INVALID_CONFIG.
func (c *Cluster) AlterConfigs(ctx context.Context, res admin.Resource, changes []admin.ConfigChange) error {
	if err := c.failure("AlterConfigs"); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	values, known, err := c.configTarget(res)
	if err != nil {
		return fmt.Errorf("alter configs of %s: %w", res, err)
	}
	for _, ch := range changes {
		if !known(ch.Name) {
			return fmt.Errorf("alter configs of %s: %w: unknown config %s", res, kerr.InvalidConfig, ch.Name)
		}
		applyChange(values, ch)
	}
	return nil
}

func (c *Cluster) configTarget(res admin.Resource) (map[string]string, func(string) bool, error) {
	switch res.Type {
	case admin.TopicResource:
		t, ok := c.topics[res.Name]
		if !ok {
			return nil, nil, kerr.UnknownTopicOrPartition
		}
		return t.configs, func(n string) bool { _, ok := topicDefaults[n]; return ok }, nil
	case admin.BrokerResource:
		if res.Name != "" && !c.hasBroker(res.Name) {
			return nil, nil, admin.ErrNotFound
		}
		if c.brokerCfg[res.Name] == nil {
			c.brokerCfg[res.Name] = map[string]string{}
		}
		return c.brokerCfg[res.Name], func(n string) bool { _, ok := brokerDefaults[n]; return ok }, nil
	}
	return nil, nil, kerr.InvalidRequest
}

func applyChange(values map[string]string, ch admin.ConfigChange) {
	switch ch.Op {
	case admin.OpSet:
		values[ch.Name] = ch.Value
	case admin.OpDelete:
		delete(values, ch.Name)
	case admin.OpAppend:
		values[ch.Name] = strings.Trim(values[ch.Name]+","+ch.Value, ",")
	case admin.OpSubtract:
		var keep []string
		for _, v := range strings.Split(values[ch.Name], ",") {
			if v != ch.Value {
				keep = append(keep, v)
			}
		}
		values[ch.Name] = strings.Join(keep, ",")
	}
}
