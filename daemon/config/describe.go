package config

import (
	"maps"
	"slices"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Entry is one config of a DescribeConfigs response.
type Entry struct {
	Name string
	// Value is nil for null values and for sensitive configs.
	Value  *string
	Source kmsg.ConfigSource
	// ReadOnly is true for broker configs that cannot change dynamically;
	// topic configs are never read-only.
	ReadOnly bool
	// Sensitive is true for passwords and for keys kq does not know: Kafka
	// hides what it cannot type.
	Sensitive bool
	Type      kmsg.ConfigType
	// Doc is "" unless documentation was asked for.
	Doc string
	// Synonyms are nil unless asked for; highest precedence first.
	Synonyms []Synonym
}

// Synonym is one place a config's value may come from.
type Synonym struct {
	Name   string
	Value  *string
	Source kmsg.ConfigSource
}

// describeOpts carries the request flags through the entry builders.
type describeOpts struct {
	synonyms, docs bool
}

// DescribeBroker describes this broker's configs, as DescribeConfigs on a
// BROKER resource named by this broker's id: every known key plus any key
// set in a layer, sorted by name. keys limits the answer to those names
// (unknown names are left out); nil or empty means all.
func (b *Broker) DescribeBroker(keys []string, includeSynonyms, includeDocs bool) []Entry {
	// Dynamic-only keys (throttle rates) are not KafkaConfig keys: Kafka
	// shows them only once set, so they come in through the layers.
	var names []string
	for _, d := range brokerTable().defs {
		names = append(names, d.Name)
	}
	names = append(names, slices.Collect(maps.Keys(b.layers.merged()))...)
	o := describeOpts{includeSynonyms, includeDocs}
	var out []Entry
	for _, name := range selectNames(names, keys) {
		out = append(out, b.brokerEntry(name, o, true))
	}
	return out
}

// DescribeBrokerDefault describes the cluster-wide dynamic defaults, as
// DescribeConfigs on the BROKER resource with an empty name: only the keys
// set at that level.
func (b *Broker) DescribeBrokerDefault(keys []string, includeSynonyms, includeDocs bool) []Entry {
	o := describeOpts{includeSynonyms, includeDocs}
	var out []Entry
	for _, name := range selectNames(slices.Collect(maps.Keys(b.layers.dynamicDefault)), keys) {
		out = append(out, b.brokerEntry(name, o, false))
	}
	return out
}

// selectNames dedupes and sorts names, keeping only those in keys when keys
// is not empty.
func selectNames(names, keys []string) []string {
	slices.Sort(names)
	names = slices.Compact(names)
	if len(keys) == 0 {
		return names
	}
	return slices.DeleteFunc(names, func(n string) bool { return !slices.Contains(keys, n) })
}

// brokerEntry builds one broker entry; perBroker is false when describing
// the cluster default, whose values and synonyms come from that layer only.
func (b *Broker) brokerEntry(name string, o describeOpts, perBroker bool) Entry {
	def, known := LookupBroker(name)
	// Unknown keys: type UNKNOWN, sensitive, read-only, as Kafka shows them.
	e := Entry{Name: name, Sensitive: !known || def.Sensitive(), ReadOnly: true}
	if known {
		e.Type = def.Type
		e.ReadOnly = def.Mode == ReadOnly && !isDynamicOnly(name)
	}
	if !e.Sensitive {
		e.Value = b.brokerValue(name, perBroker)
	}
	chain := b.synonymChain(name, brokerSynonymNames(name), e.Sensitive)
	if !perBroker {
		chain = slices.DeleteFunc(chain, func(s Synonym) bool {
			return s.Source != kmsg.ConfigSourceDynamicDefaultBrokerConfig
		})
	}
	e.Source = sourceOf(chain)
	if o.synonyms {
		e.Synonyms = chain
	}
	if o.docs && known {
		e.Doc = def.Doc
	}
	return e
}

func (b *Broker) brokerValue(name string, perBroker bool) *string {
	if !perBroker {
		v := b.layers.dynamicDefault[name]
		return &v
	}
	s, ok := b.Value(name)
	if !ok {
		return nil
	}
	return &s
}

// sourceOf is the source of the winning synonym, DEFAULT_CONFIG if none.
func sourceOf(chain []Synonym) kmsg.ConfigSource {
	if len(chain) == 0 {
		return kmsg.ConfigSourceDefaultConfig
	}
	return chain[0].Source
}

// brokerSynonymNames lists the keys that set the same broker value, highest
// precedence first (Kafka's DynamicBrokerConfig.brokerConfigSynonyms).
func brokerSynonymNames(name string) []string {
	switch name {
	case "log.roll.ms", "log.roll.hours":
		return []string{"log.roll.ms", "log.roll.hours"}
	case "log.roll.jitter.ms", "log.roll.jitter.hours":
		return []string{"log.roll.jitter.ms", "log.roll.jitter.hours"}
	case "log.flush.interval.ms":
		return []string{"log.flush.interval.ms", "log.flush.scheduler.interval.ms"}
	case "log.retention.ms", "log.retention.minutes", "log.retention.hours":
		return []string{"log.retention.ms", "log.retention.minutes", "log.retention.hours"}
	}
	if base, ok := listenerBase(name); ok {
		return []string{name, base}
	}
	return []string{name}
}

// synonymChain lists where the synonyms of name are set, by layer (dynamic
// per-broker, dynamic default, static, default) and within a layer in
// synonym order. As Kafka does, entries before the first one named name are
// dropped: describing log.retention.hours does not show log.retention.ms.
func (b *Broker) synonymChain(name string, synonyms []string, sensitive bool) []Synonym {
	sources := []struct {
		layer  func(string) (string, bool)
		source kmsg.ConfigSource
	}{
		{lookupIn(b.layers.dynamicBroker), kmsg.ConfigSourceDynamicBrokerConfig},
		{lookupIn(b.layers.dynamicDefault), kmsg.ConfigSourceDynamicDefaultBrokerConfig},
		{lookupIn(b.layers.static), kmsg.ConfigSourceStaticBrokerConfig},
		{kafkaDefault, kmsg.ConfigSourceDefaultConfig},
	}
	var chain []Synonym
	for _, src := range sources {
		for _, syn := range synonyms {
			if v, ok := src.layer(syn); ok {
				chain = append(chain, Synonym{Name: syn, Value: hideIf(sensitive, v), Source: src.source})
			}
		}
	}
	first := slices.IndexFunc(chain, func(s Synonym) bool { return s.Name == name })
	if first < 0 {
		return nil
	}
	return chain[first:]
}

func lookupIn(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// kafkaDefault is a key's non-null default, in Kafka's string form.
func kafkaDefault(key string) (string, bool) {
	def, ok := LookupBroker(key)
	if !ok {
		return "", false
	}
	return def.defaultValue()
}

func hideIf(sensitive bool, v string) *string {
	if sensitive {
		return nil
	}
	return &v
}

// DescribeTopic describes a topic's configs, as DescribeConfigs on a TOPIC
// resource: every topic config with its effective value, plus any unknown
// override key (shown as Kafka does: sensitive, no value). overrides are the
// topic's stored overrides; invalid ones are described as if absent. keys
// limits the answer as in DescribeBroker.
//
// Synonyms follow Kafka exactly, including its quirk for multi-key broker
// defaults: retention.ms lists broker synonyms only once log.retention.ms
// itself is set somewhere (log.retention.hours alone yields none).
func (b *Broker) DescribeTopic(overrides map[string]string, keys []string, includeSynonyms, includeDocs bool) []Entry {
	merged, _ := applyTopicOverrides(b.topicValues, overrides) // invalid overrides: described as absent
	names := slices.Collect(maps.Keys(merged))
	names = append(names, slices.Collect(maps.Keys(overrides))...)
	o := describeOpts{includeSynonyms, includeDocs}
	var out []Entry
	for _, name := range selectNames(names, keys) {
		out = append(out, b.topicEntry(name, merged, overrides, o))
	}
	return out
}

func (b *Broker) topicEntry(name string, merged map[string]any, overrides map[string]string, o describeOpts) Entry {
	td, known := LookupTopic(name)
	e := Entry{Name: name, Sensitive: !known}
	var chain []Synonym
	if known {
		e.Type = td.Type
		if s, ok := formatValue(merged[name]); ok {
			e.Value = &s
		}
		if len(td.fallbacks) > 0 {
			first := td.fallbacks[0].key
			chain = b.synonymChain(first, brokerSynonymNames(first), false)
		}
	}
	if raw, set := overrides[name]; set && (!known || topicOverrideApplies(name, raw)) {
		chain = append([]Synonym{{Name: name, Value: e.Value, Source: kmsg.ConfigSourceDynamicTopicConfig}}, chain...)
	}
	e.Source = sourceOf(chain)
	if o.synonyms {
		e.Synonyms = chain
	}
	if o.docs && known {
		e.Doc = td.Doc
	}
	return e
}
