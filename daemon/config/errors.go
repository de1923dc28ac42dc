package config

import (
	"slices"
	"strings"
)

// ConfigError is a refused configuration, worded as Kafka's ConfigException
// so clients and operators see the message they know:
//
//	Invalid value abc for configuration num.partitions: Not a number of type INT
//
// Kafka answers a ConfigException in CreateTopics with INVALID_CONFIG (40)
// and in AlterConfigs with INVALID_REQUEST (42), the message prefixed by
// "Invalid config value for resource <resource>: ".
type ConfigError struct {
	// Key is the config at fault; "" when the message names several.
	Key string
	msg string
}

func (e *ConfigError) Error() string { return e.msg }

// InvalidConfigError is Kafka's InvalidConfigurationException: an unknown
// topic config name, or values that conflict with each other. Kafka answers
// it with INVALID_CONFIG (40) in every API.
type InvalidConfigError struct {
	Key string
	msg string
}

func (e *InvalidConfigError) Error() string { return e.msg }

// invalidValue builds Kafka's "Invalid value V for configuration K: reason".
func invalidValue(key, value, reason string) *ConfigError {
	msg := "Invalid value " + value + " for configuration " + key
	if reason != "" {
		msg += ": " + reason
	}
	return &ConfigError{Key: key, msg: msg}
}

// configError is a ConfigException built from a free-form message.
func configError(key, msg string) *ConfigError {
	return &ConfigError{Key: key, msg: msg}
}

// scalaSet renders names as Scala prints a Set ("Set(a, b)"), because Kafka's
// dynamic-config refusals embed one in their message. Sorted for stable output.
func scalaSet(names []string) string {
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	return "Set(" + strings.Join(sorted, ", ") + ")"
}
