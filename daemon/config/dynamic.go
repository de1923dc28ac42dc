package config

import (
	"maps"
	"slices"
	"strings"
)

// dynamicProblem classifies why a key may not be set dynamically, in the
// order Kafka checks (DynamicBrokerConfig.validateConfigs).
type dynamicProblem int

const (
	dynamicOK dynamicProblem = iota
	dynamicReadOnly
	dynamicNeedsListenerPrefix
	dynamicBadValue
	dynamicPerBrokerOnly
)

// clusterLevelListenerConfigs may be set at the cluster default even with a
// listener prefix.
func isClusterLevelListenerConfig(base string) bool {
	return base == "max.connections" || base == "max.connection.creation.rate" || base == "num.network.threads"
}

// listenerBase splits "listener.name.<listener>.<config>" into its config;
// ok is false for keys without the listener prefix.
func listenerBase(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "listener.name.")
	if !ok {
		return "", false
	}
	_, base, ok := strings.Cut(rest, ".")
	return base, ok
}

// checkDynamicKey says whether key=value may be set dynamically on a broker
// resource (perBroker) or the cluster default. Unknown keys are allowed,
// as Kafka allows custom dynamic broker configs.
func checkDynamicKey(key, value string, perBroker bool) (dynamicProblem, error) {
	base, prefixed := listenerBase(key)
	if !prefixed {
		base = key
	}
	def, known := LookupBroker(base)
	switch {
	case !prefixed && known && def.Mode == ReadOnly && !isDynamicOnly(base):
		return dynamicReadOnly, nil
	case !prefixed && slices.Contains(listenerPrefixOnly, key):
		return dynamicNeedsListenerPrefix, nil
	}
	if known {
		if _, err := parseChecked(&def, value); err != nil {
			return dynamicBadValue, err
		}
	}
	perBrokerKey := (known && !prefixed && def.Mode == PerBroker) || (prefixed && !isClusterLevelListenerConfig(base))
	if !perBroker && perBrokerKey {
		return dynamicPerBrokerOnly, nil
	}
	return dynamicOK, nil
}

// ValidateDynamicBrokerConfigs checks the configs of an AlterConfigs or
// IncrementalAlterConfigs on a BROKER resource, with Kafka's messages:
// perBroker is true for a broker id resource, false for the cluster default
// (empty resource name). Refusals are *ConfigError, e.g.
//
//	Cannot update these configs dynamically: Set(broker.id, log.dirs)
//
// Kafka answers them with INVALID_REQUEST, prefixed "Invalid config value
// for resource ConfigResource(type=BROKER, name='1'): ". To check the result
// as a whole (listeners against advertised listeners, ...), apply it with
// WithDynamic.
func ValidateDynamicBrokerConfigs(configs map[string]string, perBroker bool) error {
	byProblem := map[dynamicProblem][]string{}
	var firstBad error
	for _, k := range slices.Sorted(maps.Keys(configs)) {
		p, err := checkDynamicKey(k, configs[k], perBroker)
		byProblem[p] = append(byProblem[p], k)
		if err != nil && firstBad == nil {
			firstBad = err
		}
	}
	if names := byProblem[dynamicReadOnly]; len(names) > 0 {
		return configError("", "Cannot update these configs dynamically: "+scalaSet(names))
	}
	if names := byProblem[dynamicNeedsListenerPrefix]; len(names) > 0 {
		return configError("", "These security configs can be dynamically updated only per-listener using the listener prefix: "+scalaSet(names))
	}
	if firstBad != nil {
		return firstBad
	}
	if names := byProblem[dynamicPerBrokerOnly]; len(names) > 0 {
		return configError("", "Cannot update these configs at default cluster level, broker id must be specified: "+scalaSet(names))
	}
	return nil
}

// WithDynamic returns the broker configuration with dynamic layers applied:
// perBroker from /config/brokers/<id> over clusterDefault from
// /config/brokers/<default>, both over the static configuration this Broker
// was parsed from (earlier dynamic layers are replaced, not merged).
//
// Like Kafka loading dynamic configs from ZooKeeper, entries that could not
// be set dynamically or do not parse are dropped and reported as warnings.
// The error reports a combination that fails as a whole (for example
// advertised listeners that no longer match listeners); the caller should
// then keep its current Broker.
func (b *Broker) WithDynamic(perBroker, clusterDefault map[string]string) (*Broker, []Warning, error) {
	l := layers{static: b.layers.static}
	var warnings []Warning
	l.dynamicDefault, warnings = usableDynamic(clusterDefault, false, warnings)
	l.dynamicBroker, warnings = usableDynamic(perBroker, true, warnings)
	nb, err := build(l, b.opts)
	return nb, warnings, err
}

// usableDynamic keeps the entries of one dynamic layer that may be applied.
func usableDynamic(configs map[string]string, perBroker bool, warnings []Warning) (map[string]string, []Warning) {
	out := make(map[string]string, len(configs))
	for _, k := range slices.Sorted(maps.Keys(configs)) {
		p, err := checkDynamicKey(k, configs[k], perBroker)
		if p == dynamicOK {
			out[k] = configs[k]
			continue
		}
		warnings = append(warnings, Warning{Key: k, Message: "dynamic config ignored: " + dynamicReason(p, err)})
	}
	return out, warnings
}

func dynamicReason(p dynamicProblem, err error) string {
	switch p {
	case dynamicReadOnly:
		return "it can not be updated dynamically"
	case dynamicNeedsListenerPrefix:
		return "it can be updated only per listener, with the listener.name.<listener>. prefix"
	case dynamicPerBrokerOnly:
		return "it can be set only for one broker, not as the cluster default"
	}
	return err.Error()
}
