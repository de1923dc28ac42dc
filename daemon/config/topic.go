package config

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TimestampType is message.timestamp.type, numbered as the timestamp-type
// bit of a record batch's attributes.
type TimestampType int8

const (
	CreateTime    TimestampType = 0
	LogAppendTime TimestampType = 1
)

func (t TimestampType) String() string {
	if t == LogAppendTime {
		return "LogAppendTime"
	}
	return "CreateTime"
}

// TopicConfig is the effective configuration of one topic: its overrides
// over the broker's defaults. Sizes and durations are int64; -1 means
// unlimited where Kafka says so (RetentionMs, RetentionBytes).
type TopicConfig struct {
	// CleanupPolicy lists "delete" and/or "compact"; see Delete and Compact.
	CleanupPolicy        []string
	CompressionType      string
	CompressionGzipLevel int32
	CompressionLz4Level  int32
	CompressionZstdLevel int32

	RetentionMs            int64
	RetentionBytes         int64
	DeleteRetentionMs      int64
	MinCompactionLagMs     int64
	MaxCompactionLagMs     int64
	MinCleanableDirtyRatio float64
	FileDeleteDelayMs      int64

	SegmentBytes       int64
	SegmentMs          int64
	SegmentJitterMs    int64
	SegmentIndexBytes  int64
	IndexIntervalBytes int64
	FlushMessages      int64
	FlushMs            int64
	FlushMode          string // kq's own flush.mode: "pagecache" or "group-commit"
	Preallocate        bool

	MaxMessageBytes                 int64
	MessageTimestampType            TimestampType
	MessageTimestampDifferenceMaxMs int64
	// MessageTimestampBeforeMaxMs and AfterMaxMs fall back to the deprecated
	// difference when left at their default, as in Kafka 3.6+.
	MessageTimestampBeforeMaxMs int64
	MessageTimestampAfterMaxMs  int64
	MessageFormatVersion        string
	MessageDownconversionEnable bool

	MinInsyncReplicas                    int32
	UncleanLeaderElectionEnable          bool
	LeaderReplicationThrottledReplicas   []string
	FollowerReplicationThrottledReplicas []string

	RemoteStorageEnable      bool
	RemoteLogCopyDisable     bool
	RemoteLogDeleteOnDisable bool
	LocalRetentionMs         int64
	LocalRetentionBytes      int64
}

// Delete reports whether old segments are deleted by age or size.
func (t TopicConfig) Delete() bool { return slices.Contains(t.CleanupPolicy, "delete") }

// Compact reports whether the log cleaner compacts the topic.
func (t TopicConfig) Compact() bool { return slices.Contains(t.CleanupPolicy, "compact") }

func fillTopicConfig(vals map[string]any) (TopicConfig, error) {
	r := &reader{vals: vals}
	t := TopicConfig{
		CleanupPolicy:                        r.list("cleanup.policy"),
		CompressionType:                      r.str("compression.type"),
		CompressionGzipLevel:                 r.i32("compression.gzip.level"),
		CompressionLz4Level:                  r.i32("compression.lz4.level"),
		CompressionZstdLevel:                 r.i32("compression.zstd.level"),
		RetentionMs:                          r.i64("retention.ms"),
		RetentionBytes:                       r.i64("retention.bytes"),
		DeleteRetentionMs:                    r.i64("delete.retention.ms"),
		MinCompactionLagMs:                   r.i64("min.compaction.lag.ms"),
		MaxCompactionLagMs:                   r.i64("max.compaction.lag.ms"),
		MinCleanableDirtyRatio:               r.f64("min.cleanable.dirty.ratio"),
		FileDeleteDelayMs:                    r.i64("file.delete.delay.ms"),
		SegmentBytes:                         r.i64("segment.bytes"),
		SegmentMs:                            r.i64("segment.ms"),
		SegmentJitterMs:                      r.i64("segment.jitter.ms"),
		SegmentIndexBytes:                    r.i64("segment.index.bytes"),
		IndexIntervalBytes:                   r.i64("index.interval.bytes"),
		FlushMessages:                        r.i64("flush.messages"),
		FlushMs:                              r.i64("flush.ms"),
		FlushMode:                            r.str("flush.mode"),
		Preallocate:                          r.bool("preallocate"),
		MaxMessageBytes:                      r.i64("max.message.bytes"),
		MessageTimestampDifferenceMaxMs:      r.i64("message.timestamp.difference.max.ms"),
		MessageTimestampBeforeMaxMs:          r.i64("message.timestamp.before.max.ms"),
		MessageTimestampAfterMaxMs:           r.i64("message.timestamp.after.max.ms"),
		MessageFormatVersion:                 r.str("message.format.version"),
		MessageDownconversionEnable:          r.bool("message.downconversion.enable"),
		MinInsyncReplicas:                    r.i32("min.insync.replicas"),
		UncleanLeaderElectionEnable:          r.bool("unclean.leader.election.enable"),
		LeaderReplicationThrottledReplicas:   r.list("leader.replication.throttled.replicas"),
		FollowerReplicationThrottledReplicas: r.list("follower.replication.throttled.replicas"),
		RemoteStorageEnable:                  r.bool("remote.storage.enable"),
		RemoteLogCopyDisable:                 r.bool("remote.log.copy.disable"),
		RemoteLogDeleteOnDisable:             r.bool("remote.log.delete.on.disable"),
		LocalRetentionMs:                     r.i64("local.retention.ms"),
		LocalRetentionBytes:                  r.i64("local.retention.bytes"),
	}
	if r.str("message.timestamp.type") == "LogAppendTime" {
		t.MessageTimestampType = LogAppendTime
	}
	if t.MessageTimestampBeforeMaxMs == math.MaxInt64 {
		t.MessageTimestampBeforeMaxMs = t.MessageTimestampDifferenceMaxMs
	}
	if t.MessageTimestampAfterMaxMs == math.MaxInt64 {
		t.MessageTimestampAfterMaxMs = t.MessageTimestampDifferenceMaxMs
	}
	return t, r.err()
}

// topicDefaultsFrom resolves every topic config from parsed broker values:
// the first broker synonym that is set, scaled to the topic's unit, or
// Kafka's own default for topic configs without a broker synonym.
func topicDefaultsFrom(broker map[string]any) map[string]any {
	out := make(map[string]any, len(topicTable()))
	for _, td := range topicTable() {
		out[td.Name] = topicDefault(td, broker)
	}
	// KafkaConfig turns any negative broker retention into -1 (unlimited).
	if ms, _ := out["retention.ms"].(int64); ms < 0 {
		out["retention.ms"] = int64(-1)
	}
	out["message.format.version"] = topicFormatVersion(broker)
	return out
}

// topicFormatVersion is the message.format.version KafkaConfig hands its
// topics: from inter-broker protocol 3.0-IV1 on it ignores
// log.message.format.version and gives the default, 3.0-IV1; below, the
// full name of the version set ("0.10.0.0" is 0.10.0-IV1).
func topicFormatVersion(broker map[string]any) string {
	ibp, _ := broker["inter.broker.protocol.version"].(string)
	mfv, _ := broker["log.message.format.version"].(string)
	if v, ok := parseMetadataVersion(ibp); !ok || v >= ibp30IV1 {
		return metadataVersions[ibp30IV1]
	}
	if v, ok := parseMetadataVersion(mfv); ok {
		return metadataVersions[v]
	}
	return mfv
}

func topicDefault(td TopicDef, broker map[string]any) any {
	for _, f := range td.fallbacks {
		if v := broker[f.key]; v != nil {
			return scaleTo(v, f.scale, td.Type)
		}
	}
	v, _ := parseValue(&td.Def, td.Default) // table defaults parse: see TestTopicDefaultsParse
	return v
}

// scaleTo multiplies an integer broker value into the topic key's type.
func scaleTo(v any, scale int64, t kmsg.ConfigType) any {
	r := reader{vals: map[string]any{"v": v}}
	n, isInt := r.optI64("v")
	if !isInt {
		return v
	}
	n *= scale
	if t == typeInt {
		return int32(n)
	}
	return n
}

// kafkaTopicDefaults are the topic values of a broker with default config.
var kafkaTopicDefaults = sync.OnceValue(func() map[string]any {
	vals, _ := parseLayers(nil, nil, nil) // defaults always parse: see TestDefaultsParse
	return topicDefaultsFrom(vals)
})

// ValidateTopicConfigs checks topic overrides as CreateTopics and
// AlterConfigs do in Kafka: every name must be a topic config
// (*InvalidConfigError "Unknown topic config name: x"), every value must
// parse and pass its rule (*ConfigError), and combined values must agree,
// judged against Kafka's default broker config.
func ValidateTopicConfigs(configs map[string]string) error {
	return validateTopic(configs, kafkaTopicDefaults())
}

// ValidateTopicConfigs is the package function judged against this
// broker's topic defaults instead of Kafka's.
func (b *Broker) ValidateTopicConfigs(configs map[string]string) error {
	return validateTopic(configs, b.topicValues)
}

func validateTopic(configs map[string]string, defaults map[string]any) error {
	keys := slices.Sorted(maps.Keys(configs))
	for _, k := range keys {
		if _, ok := LookupTopic(k); !ok {
			return &InvalidConfigError{Key: k, msg: "Unknown topic config name: " + k}
		}
	}
	merged, errs := applyTopicOverrides(defaults, configs)
	if len(errs) > 0 {
		return errs[0]
	}
	return checkTopicValues(merged)
}

// applyTopicOverrides parses overrides over defaults. Unknown names are
// skipped; invalid values keep the default and are returned as errors in
// name order.
func applyTopicOverrides(defaults map[string]any, overrides map[string]string) (map[string]any, []error) {
	merged := maps.Clone(defaults)
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(overrides)) {
		td, ok := LookupTopic(k)
		if !ok {
			continue
		}
		v, err := parseChecked(&td.Def, overrides[k])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		merged[k] = v
	}
	return merged, errs
}

// checkTopicValues applies LogConfig's cross-checks.
func checkTopicValues(vals map[string]any) error {
	minLag, _ := vals["min.compaction.lag.ms"].(int64)
	maxLag, _ := vals["max.compaction.lag.ms"].(int64)
	if minLag > maxLag {
		return &InvalidConfigError{Key: "min.compaction.lag.ms", msg: "conflict topic config setting min.compaction.lag.ms (" +
			itoa(minLag) + ") > max.compaction.lag.ms (" + itoa(maxLag) + ")"}
	}
	if remote, _ := vals["remote.storage.enable"].(bool); remote {
		return configError("remote.storage.enable",
			"Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.")
	}
	return nil
}

// TopicDefaults is the configuration of a topic without overrides.
func (b *Broker) TopicDefaults() TopicConfig { return b.topicDefaults }

// EffectiveTopicConfig applies a topic's overrides (as stored in
// /config/topics/<topic>) over this broker's defaults. Unknown names are
// ignored, as Kafka's LogConfig ignores them. An invalid value falls back to
// the broker default and is reported in the error (all of them, joined), so
// a caller may log it and still serve the topic.
func (b *Broker) EffectiveTopicConfig(overrides map[string]string) (TopicConfig, error) {
	if _, set := overrides["message.format.version"]; set && b.ignoresFormatVersion() {
		// Dropped as Kafka's LogManager does (TopicConfigWarnings).
		overrides = maps.Clone(overrides)
		delete(overrides, "message.format.version")
	}
	merged, errs := applyTopicOverrides(b.topicValues, overrides)
	t, err := fillTopicConfig(merged)
	if err != nil {
		errs = append(errs, err)
	}
	return t, errors.Join(errs...)
}

// topicOverrideApplies reports whether an override takes effect: a topic
// config name with a valid value.
func topicOverrideApplies(key, value string) bool {
	td, ok := LookupTopic(key)
	if !ok {
		return false
	}
	_, err := parseChecked(&td.Def, value)
	return err == nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TopicConfigWarnings are what Kafka logs when it applies a topic's
// overrides: a message.format.version the inter-broker protocol ignores
// (LogManager and ConfigHandler warn so and drop the override; kq never
// applies it).
func (b *Broker) TopicConfigWarnings(topic string, overrides map[string]string) []string {
	v, ok := overrides["message.format.version"]
	if !ok {
		return nil
	}
	value, ibp := javaTrim(v), b.InterBrokerProtocolVersion
	warn, kafkaIgnores := formatWarning(value, ibp)
	subject := "Topic configuration message.format.version with value `" + value + "`"
	switch {
	case !warn:
		return nil
	case !kafkaIgnores:
		return []string{subject + kqFormatNote(ibp)}
	}
	return []string{subject + " is ignored for `" + topic + "` because the inter-broker protocol version `" + ibp + "` " + deprecatedFormatNote}
}

// ignoresFormatVersion: from inter-broker protocol 3.0-IV1 on Kafka
// ignores (log.)message.format.version.
func (b *Broker) ignoresFormatVersion() bool {
	v, ok := parseMetadataVersion(b.InterBrokerProtocolVersion)
	return !ok || v >= ibp30IV1
}
