// Package config is the typed broker and topic configuration of kq, read
// and checked exactly like Apache Kafka 3.9 in ZooKeeper mode: the same
// server.properties keys, defaults, topic-level keys with their broker
// fallbacks, validation messages, and DescribeConfigs answers.
//
// # Definitions
//
// Every key is defined once, in a table per area (broker_core.go,
// broker_network.go, broker_log.go, broker_logtopic.go, broker_zk.go,
// broker_replication.go, broker_coordinators.go, broker_security.go,
// broker_requests.go; topic_defs.go for topic keys). A Def carries the
// Kafka name, type (kmsg.ConfigType), default in Kafka's string form,
// validator, importance, one line of documentation, dynamic update mode
// (read-only, per-broker, cluster-wide) and, where kq differs from Kafka, a
// Note. Keys kq accepts without acting on them (thread pool sizes, metric
// reporters) say so in their Note; keys for features kq lacks (TLS, SASL,
// ACLs, tiered storage) are marked Unsupported and warned about when set.
// kq's own keys, which Kafka lacks, start with "kq." (kq.metrics.listener,
// broker_metrics.go) so they never collide with a Kafka key.
//
// # Parsing
//
// Parse takes the CLI's merged key->value map and returns a *Broker, the
// warnings, and an error joining every refusal, each worded as Kafka's
// ConfigException ("Invalid value abc for configuration num.partitions: Not
// a number of type INT"). Values are parsed as Kafka's ConfigDef does:
// trimmed, booleans case-insensitive, lists split on commas. Unknown keys
// are kept (DescribeConfigs shows them, typed UNKNOWN and hidden as Kafka
// does) and warned about; KRaft-only keys (process.roles, node.id,
// controller.quorum.voters) and client keys get their own warnings.
//
// Typed fields follow one rule: counts, ids and ports keep Kafka's width
// (INT is int32, SHORT int16); byte sizes and durations are int64 whatever
// Kafka's width, and keep the unit in their name (SegmentMs, SegmentBytes).
//
// Keys that derive from others are resolved as KafkaConfig resolves them:
//
//	retention   log.retention.ms > log.retention.minutes > log.retention.hours; negative = -1 (unlimited)
//	roll        log.roll.ms > log.roll.hours; jitter likewise
//	flush       log.flush.interval.ms, else log.flush.scheduler.interval.ms
//	log dirs    log.dirs, else log.dir
//	zookeeper   zookeeper.connection.timeout.ms, else zookeeper.session.timeout.ms
//	advertised  advertised.listeners, else listeners
//
// Advertised listeners with an empty host get the machine's hostname, as in
// Kafka (Options.Hostname; default os.Hostname rather than Kafka's DNS
// canonical name). When advertised.listeners is unset and a listener binds
// 0.0.0.0 or ::, kq advertises the hostname too, where Kafka refuses to
// start; an explicit advertised 0.0.0.0 is refused with Kafka's message.
// An empty zookeeper.connect selects kq's embedded metadata store.
//
// # Layers and dynamic configs
//
// A Broker is immutable and remembers its layers: Kafka's defaults, the
// static properties, the cluster-wide dynamic default (/config/brokers/
// <default>) and this broker's dynamic config (/config/brokers/<id>).
// WithDynamic builds a new Broker with new dynamic layers; entries that
// cannot be set dynamically are dropped with warnings, as Kafka drops them
// when loading from ZooKeeper. ValidateDynamicBrokerConfigs checks an
// AlterConfigs request with Kafka's refusals ("Cannot update these configs
// dynamically: Set(broker.id)").
//
// # Topics
//
// Topic configs fall back to broker keys (retention.ms to log.retention.ms,
// minutes, hours; segment.ms to log.roll.*; file.delete.delay.ms to
// log.segment.delete.delay.ms; max.message.bytes to message.max.bytes...).
// Broker.TopicDefaults is a topic without overrides; EffectiveTopicConfig
// applies overrides; ValidateTopicConfigs checks CreateTopics and
// AlterConfigs input ("Unknown topic config name: x" is an
// *InvalidConfigError, a bad value a *ConfigError).
//
// # DescribeConfigs
//
// DescribeBroker, DescribeBrokerDefault and DescribeTopic answer as Kafka's
// ConfigHelper: kmsg.ConfigSource numbers, kmsg.ConfigType, passwords and
// unknown keys hidden, synonyms ordered dynamic broker, dynamic default,
// static, default, after the topic override, and Kafka's habit of dropping
// the synonyms listed before the described name (so retention.ms shows no
// broker synonym until log.retention.ms itself is set).
package config
