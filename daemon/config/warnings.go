package config

import (
	"maps"
	"slices"
	"strings"
)

// staticWarnings lists, in key order, the server.properties keys kq keeps
// but will not act on.
func staticWarnings(props map[string]string) []Warning {
	var out []Warning
	for _, k := range slices.Sorted(maps.Keys(props)) {
		msg := staticKeyWarning(k, props[k])
		if k == "log.message.format.version" {
			msg = brokerFormatWarning(props)
		}
		if msg != "" {
			out = append(out, Warning{Key: k, Message: msg})
		}
	}
	return out
}

// brokerFormatWarning is KafkaConfig's warning for a
// log.message.format.version its inter-broker protocol ignores.
func brokerFormatWarning(props map[string]string) string {
	ibp, ok := props["inter.broker.protocol.version"]
	if !ok {
		ibp = interBrokerProtocolDefault
	}
	value, ibp := javaTrim(props["log.message.format.version"]), javaTrim(ibp)
	warn, kafkaIgnores := formatWarning(value, ibp)
	subject := "Broker configuration log.message.format.version with value " + value
	switch {
	case !warn:
		return ""
	case !kafkaIgnores:
		return subject + kqFormatNote(ibp)
	}
	return subject + " is ignored because the inter-broker protocol version `" + ibp + "` " + deprecatedFormatNote
}

func staticKeyWarning(key, value string) string {
	if d, ok := brokerTable().lookup(key); ok {
		if d.Unsupported && javaTrim(value) != d.Default {
			return "set but not applied: " + d.Note
		}
		return ""
	}
	switch {
	case isDynamicOnly(key):
		return "can only be set dynamically (AlterConfigs, kafka-configs --alter --entity-type brokers); ignored here"
	case isKRaftOnly(key):
		return "is a KRaft setting; kq runs in ZooKeeper mode and ignores it"
	case isClientOnly(key):
		return "is a client setting, not a broker setting; ignored"
	case isAppliedListenerOverride(key) || strings.HasPrefix(key, "listener.name.") && isSASLListenerKey(listenerKeyBase(key)):
		return ""
	case strings.HasPrefix(key, "listener.name."):
		return "per-listener override kept but not applied: kq applies listener.name.<listener>.ssl.* and SASL overrides only"
	}
	return "The configuration '" + key + "' was supplied but isn't a known config."
}

func isDynamicOnly(key string) bool {
	_, ok := dynamicOnlyTable().lookup(key)
	return ok
}

// isKRaftOnly reports keys that only mean something to a KRaft broker or
// controller.
func isKRaftOnly(key string) bool {
	if strings.HasPrefix(key, "controller.quorum.") || strings.HasPrefix(key, "metadata.log.") {
		return true
	}
	switch key {
	case "process.roles", "node.id", "controller.listener.names", "metadata.max.retention.bytes",
		"metadata.max.retention.ms", "metadata.max.idle.interval.ms", "broker.heartbeat.interval.ms",
		"broker.session.timeout.ms", "initial.broker.registration.timeout.ms",
		"sasl.mechanism.controller.protocol", "zookeeper.metadata.migration.enable",
		"early.start.listeners", "eligible.leader.replicas.enable", "unstable.api.versions.enable":
		return true
	}
	return false
}

// isClientOnly reports producer, consumer and admin client keys that people
// paste into server.properties by mistake. Keys that are also broker
// configs (compression.type, request.timeout.ms, fetch.max.bytes) are not
// listed: they are known broker keys.
func isClientOnly(key string) bool {
	switch key {
	case "bootstrap.servers", "client.id", "acks", "retries", "linger.ms", "batch.size",
		"buffer.memory", "key.serializer", "value.serializer", "key.deserializer",
		"value.deserializer", "group.id", "group.instance.id", "enable.auto.commit",
		"auto.commit.interval.ms", "auto.offset.reset", "max.poll.records",
		"max.poll.interval.ms", "session.timeout.ms", "heartbeat.interval.ms",
		"fetch.min.bytes", "fetch.max.wait.ms", "max.partition.fetch.bytes",
		"isolation.level", "enable.idempotence", "transactional.id",
		"transaction.timeout.ms", "delivery.timeout.ms", "max.in.flight.requests.per.connection",
		"partitioner.class", "max.block.ms", "max.request.size", "security.protocol",
		"sasl.mechanism", "partition.assignment.strategy":
		return true
	}
	return false
}

// listenerKeyBase is the config after listener.name.<listener>.
func listenerKeyBase(key string) string {
	base, _ := listenerBase(key)
	return base
}
