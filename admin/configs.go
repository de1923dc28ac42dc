package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ResourceType is the kind of entity a config belongs to; values are
// Kafka's.
type ResourceType int8

// The resource types kq edits.
const (
	TopicResource  ResourceType = 2
	BrokerResource ResourceType = 4
)

// Resource names an entity that has configs. A BrokerResource with Name ""
// is the cluster-wide broker default.
type Resource struct {
	Type ResourceType
	Name string
}

func (r Resource) String() string {
	switch {
	case r.Type == TopicResource:
		return "topic " + r.Name
	case r.Type == BrokerResource && r.Name == "":
		return "broker default"
	case r.Type == BrokerResource:
		return "broker " + r.Name
	}
	return fmt.Sprintf("resource %d/%s", r.Type, r.Name)
}

// dynamicSource is where a dynamic config set on r comes from.
func (r Resource) dynamicSource() ConfigSource {
	switch {
	case r.Type == TopicResource:
		return SourceDynamicTopic
	case r.Name == "":
		return SourceDynamicDefaultBroker
	}
	return SourceDynamicBroker
}

// ConfigSource says where a config value comes from; values are Kafka's.
type ConfigSource int8

// Kafka's config sources.
const (
	SourceUnknown              ConfigSource = 0
	SourceDynamicTopic         ConfigSource = 1
	SourceDynamicBroker        ConfigSource = 2
	SourceDynamicDefaultBroker ConfigSource = 3
	SourceStaticBroker         ConfigSource = 4
	SourceDefault              ConfigSource = 5
	SourceDynamicBrokerLogger  ConfigSource = 6
)

var sourceNames = map[ConfigSource]string{
	SourceUnknown: "UNKNOWN", SourceDynamicTopic: "DYNAMIC_TOPIC_CONFIG",
	SourceDynamicBroker: "DYNAMIC_BROKER_CONFIG", SourceDynamicDefaultBroker: "DYNAMIC_DEFAULT_BROKER_CONFIG",
	SourceStaticBroker: "STATIC_BROKER_CONFIG", SourceDefault: "DEFAULT_CONFIG",
	SourceDynamicBrokerLogger: "DYNAMIC_BROKER_LOGGER_CONFIG",
}

// String is Kafka's name of the source, e.g. DYNAMIC_TOPIC_CONFIG.
func (s ConfigSource) String() string {
	if name, ok := sourceNames[s]; ok {
		return name
	}
	return fmt.Sprintf("SOURCE_%d", s)
}

// MarshalText makes sources read as Kafka's names in JSON and YAML.
func (s ConfigSource) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ConfigEntry is one config of a resource. Value is nil for sensitive
// values and for configs without a value.
type ConfigEntry struct {
	Name      string          `json:"name" yaml:"name"`
	Value     *string         `json:"value" yaml:"value"`
	Source    ConfigSource    `json:"source" yaml:"source"`
	Sensitive bool            `json:"sensitive" yaml:"sensitive"`
	ReadOnly  bool            `json:"read_only" yaml:"read_only"`
	Synonyms  []ConfigSynonym `json:"synonyms,omitempty" yaml:"synonyms,omitempty"`
}

// IsDefault reports whether the value is the built-in default, Kafka's
// ConfigEntry.isDefault.
func (e ConfigEntry) IsDefault() bool { return e.Source == SourceDefault }

// ConfigSynonym is a config another level could set for the same entry,
// in order of precedence.
type ConfigSynonym struct {
	Name   string       `json:"name" yaml:"name"`
	Value  *string      `json:"value" yaml:"value"`
	Source ConfigSource `json:"source" yaml:"source"`
}

// DescribeConfigs returns every config of res with its synonyms, sorted by
// name.
func (c *Client) DescribeConfigs(ctx context.Context, res Resource) ([]ConfigEntry, error) {
	req := kmsg.NewPtrDescribeConfigsRequest()
	req.IncludeSynonyms = true
	r := kmsg.NewDescribeConfigsRequestResource()
	r.ResourceType = kmsg.ConfigResourceType(res.Type)
	r.ResourceName = res.Name
	req.Resources = []kmsg.DescribeConfigsRequestResource{r}
	resp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("describe configs of %s: %w", res, err)
	}
	resources := resp.(*kmsg.DescribeConfigsResponse).Resources
	if len(resources) != 1 {
		return nil, fmt.Errorf("describe configs of %s: broker answered for %d resources", res, len(resources))
	}
	got := resources[0]
	if err := kafkaError(got.ErrorCode, got.ErrorMessage); err != nil {
		return nil, fmt.Errorf("describe configs of %s: %w", res, err)
	}
	entries := make([]ConfigEntry, 0, len(got.Configs))
	for _, cfg := range got.Configs {
		entries = append(entries, configEntry(cfg))
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	return entries, nil
}

func configEntry(cfg kmsg.DescribeConfigsResponseResourceConfig) ConfigEntry {
	e := ConfigEntry{
		Name: cfg.Name, Value: cfg.Value, Source: ConfigSource(cfg.Source),
		Sensitive: cfg.IsSensitive, ReadOnly: cfg.ReadOnly,
	}
	if cfg.Source < 0 { // v0 responses carry only IsDefault
		e.Source = SourceUnknown
		if cfg.IsDefault {
			e.Source = SourceDefault
		}
	}
	for _, s := range cfg.ConfigSynonyms {
		e.Synonyms = append(e.Synonyms, ConfigSynonym{Name: s.Name, Value: s.Value, Source: ConfigSource(s.Source)})
	}
	return e
}

// AlterOp is an incremental config operation; values are Kafka's.
type AlterOp int8

// The incremental operations.
const (
	OpSet      AlterOp = 0
	OpDelete   AlterOp = 1
	OpAppend   AlterOp = 2 // add to a list value
	OpSubtract AlterOp = 3 // remove from a list value
)

// ConfigChange is one change to one config.
type ConfigChange struct {
	Name  string
	Op    AlterOp
	Value string // ignored for OpDelete
}

// AlterConfigs applies changes to res with IncrementalAlterConfigs. Against
// a broker older than Kafka 2.3, which lacks that API, it falls back to
// AlterConfigs: it reads the resource's dynamic configs, applies the changes
// to them and writes the whole set back (sensitive values, which are never
// read back, are lost in that case).
func (c *Client) AlterConfigs(ctx context.Context, res Resource, changes []ConfigChange) error {
	err := c.incrementalAlterConfigs(ctx, res, changes, false)
	if !isUnsupportedAPI(err) {
		return err
	}
	current, err := c.DescribeConfigs(ctx, res)
	if err != nil {
		return err
	}
	next, err := applyChanges(dynamicValues(current, res.dynamicSource()), changes)
	if err != nil {
		return fmt.Errorf("alter configs of %s: %w", res, err)
	}
	return c.AlterConfigsLegacy(ctx, res, next)
}

func (c *Client) incrementalAlterConfigs(ctx context.Context, res Resource, changes []ConfigChange, validateOnly bool) error {
	req := kmsg.NewPtrIncrementalAlterConfigsRequest()
	req.ValidateOnly = validateOnly
	r := kmsg.NewIncrementalAlterConfigsRequestResource()
	r.ResourceType = kmsg.ConfigResourceType(res.Type)
	r.ResourceName = res.Name
	for _, ch := range changes {
		cfg := kmsg.NewIncrementalAlterConfigsRequestResourceConfig()
		cfg.Name = ch.Name
		cfg.Op = kmsg.IncrementalAlterConfigOp(ch.Op)
		if ch.Op != OpDelete {
			cfg.Value = kmsg.StringPtr(ch.Value)
		}
		r.Configs = append(r.Configs, cfg)
	}
	req.Resources = []kmsg.IncrementalAlterConfigsRequestResource{r}
	resp, err := c.request(ctx, req)
	if err != nil {
		return fmt.Errorf("alter configs of %s: %w", res, err)
	}
	for _, got := range resp.(*kmsg.IncrementalAlterConfigsResponse).Resources {
		if err := kafkaError(got.ErrorCode, got.ErrorMessage); err != nil {
			return fmt.Errorf("alter configs of %s: %w", res, err)
		}
	}
	return nil
}

// AlterConfigsLegacy replaces every dynamic config of res with configs,
// Kafka's non-incremental AlterConfigs: a config left out is removed.
func (c *Client) AlterConfigsLegacy(ctx context.Context, res Resource, configs map[string]string) error {
	req := kmsg.NewPtrAlterConfigsRequest()
	r := kmsg.NewAlterConfigsRequestResource()
	r.ResourceType = kmsg.ConfigResourceType(res.Type)
	r.ResourceName = res.Name
	for _, name := range sortedKeys(configs) {
		cfg := kmsg.NewAlterConfigsRequestResourceConfig()
		cfg.Name = name
		cfg.Value = kmsg.StringPtr(configs[name])
		r.Configs = append(r.Configs, cfg)
	}
	req.Resources = []kmsg.AlterConfigsRequestResource{r}
	resp, err := c.request(ctx, req)
	if err != nil {
		return fmt.Errorf("alter configs of %s: %w", res, err)
	}
	for _, got := range resp.(*kmsg.AlterConfigsResponse).Resources {
		if err := kafkaError(got.ErrorCode, got.ErrorMessage); err != nil {
			return fmt.Errorf("alter configs of %s: %w", res, err)
		}
	}
	return nil
}

// isUnsupportedAPI reports whether err says the broker lacks the API or
// version: either the broker's error code or kgo's refusal to send a request
// the broker did not advertise.
func isUnsupportedAPI(err error) bool {
	return err != nil && (errors.Is(err, kerr.UnsupportedVersion) ||
		strings.Contains(err.Error(), "broker is too old"))
}

func dynamicValues(entries []ConfigEntry, source ConfigSource) map[string]string {
	out := make(map[string]string)
	for _, e := range entries {
		if e.Source == source && e.Value != nil {
			out[e.Name] = *e.Value
		}
	}
	return out
}

// applyChanges applies incremental changes to a full set of values, as the
// broker would; list values are comma-separated.
func applyChanges(values map[string]string, changes []ConfigChange) (map[string]string, error) {
	for _, ch := range changes {
		switch ch.Op {
		case OpSet:
			values[ch.Name] = ch.Value
		case OpDelete:
			delete(values, ch.Name)
		case OpAppend:
			values[ch.Name] = strings.Join(appendMissing(splitList(values[ch.Name]), splitList(ch.Value)), ",")
		case OpSubtract:
			values[ch.Name] = strings.Join(removeAll(splitList(values[ch.Name]), splitList(ch.Value)), ",")
		default:
			return nil, fmt.Errorf("unknown config operation %d for %s", ch.Op, ch.Name)
		}
	}
	return values, nil
}

func appendMissing(list, add []string) []string {
	for _, a := range add {
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	return list
}

func removeAll(list, remove []string) []string {
	out := list[:0]
	for _, v := range list {
		if !slices.Contains(remove, v) {
			out = append(out, v)
		}
	}
	return out
}
