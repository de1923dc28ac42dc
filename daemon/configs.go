package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/recordbatch"
)

// configs answers the handlers' and the replica manager's questions about
// broker and topic configs. Effective topic configs are cached per topic
// and refreshed when a config change notification names the topic.
type configs struct {
	broker  atomic.Pointer[config.Broker]
	session *currentSession
	log     *slog.Logger

	mu     sync.RWMutex
	topics map[string]config.TopicConfig
}

func newConfigs(b *config.Broker, s *currentSession, log *slog.Logger) *configs {
	c := &configs{session: s, log: log, topics: map[string]config.TopicConfig{}}
	c.broker.Store(b)
	return c
}

// topic returns a topic's effective config, loading its overrides from the
// metadata store on first use.
func (c *configs) topic(name string) config.TopicConfig {
	c.mu.RLock()
	tc, ok := c.topics[name]
	c.mu.RUnlock()
	if ok {
		return tc
	}
	tc, err := c.reload(name)
	if err != nil {
		c.log.Warn("topic config unavailable; using broker defaults", "topic", name, "err", err)
		return c.broker.Load().TopicDefaults()
	}
	return tc
}

// reload reads a topic's overrides and caches the effective config.
func (c *configs) reload(name string) (config.TopicConfig, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	overrides, err := c.session.EntityConfig(ctx, "topics", name)
	if err != nil {
		return config.TopicConfig{}, err
	}
	b := c.broker.Load()
	tc, err := b.EffectiveTopicConfig(overrides)
	if err != nil {
		return config.TopicConfig{}, fmt.Errorf("topic %s overrides: %w", name, err)
	}
	for _, w := range b.TopicConfigWarnings(name, overrides) {
		c.log.Warn(w, "topic", name) // as Kafka's LogManager and ConfigHandler
	}
	c.mu.Lock()
	c.topics[name] = tc
	c.mu.Unlock()
	return tc, nil
}

func (c *configs) forget(name string) {
	c.mu.Lock()
	delete(c.topics, name)
	c.mu.Unlock()
}

// LogConfig implements replica.LogConfigs.
func (c *configs) LogConfig(topic string) partitionlog.Config {
	return logConfig(c.topic(topic))
}

// logConfig maps a topic config onto the log's settings.
func logConfig(tc config.TopicConfig) partitionlog.Config {
	cfg := partitionlog.Config{
		SegmentBytes: tc.SegmentBytes, SegmentMs: tc.SegmentMs,
		IndexIntervalBytes: int32(tc.IndexIntervalBytes), SegmentIndexBytes: int32(tc.SegmentIndexBytes),
		MaxMessageBytes: int32(tc.MaxMessageBytes), RetentionMs: tc.RetentionMs, RetentionBytes: tc.RetentionBytes,
		FlushMessages: tc.FlushMessages, FlushMs: tc.FlushMs, FileDeleteDelayMs: tc.FileDeleteDelayMs,
		TimestampBeforeMaxMs: tc.MessageTimestampBeforeMaxMs, TimestampAfterMaxMs: tc.MessageTimestampAfterMaxMs,
		Compacted: tc.Compact(), NoDeletePolicy: !tc.Delete(),
	}
	compactionConfig(&cfg, tc)
	if !tc.Delete() {
		// A compact-only topic (__consumer_offsets) is never cut by time
		// or size, as Kafka's: its records stay until compacted.
		cfg.RetentionMs, cfg.RetentionBytes = -1, -1
	}
	if tc.MessageTimestampType == config.LogAppendTime {
		cfg.TimestampType = partitionlog.LogAppendTime
	}
	if tc.FlushMode == partitionlog.FlushGroupCommit.String() {
		cfg.FlushMode = partitionlog.FlushGroupCommit
	}
	cfg.Compression, cfg.Recompress = topicCodec(tc.CompressionType)
	return cfg
}

// topicCodec maps compression.type to the codec leader appends store, and
// false for "producer" (keep the producer's).
func topicCodec(compressionType string) (recordbatch.Codec, bool) {
	switch compressionType {
	case "uncompressed":
		return recordbatch.None, true
	case "gzip":
		return recordbatch.Gzip, true
	case "snappy":
		return recordbatch.Snappy, true
	case "lz4":
		return recordbatch.LZ4, true
	case "zstd":
		return recordbatch.Zstd, true
	default:
		return recordbatch.None, false
	}
}

// MinInsyncReplicas implements handler.Configs.
func (c *configs) MinInsyncReplicas(topic string) int {
	return int(c.topic(topic).MinInsyncReplicas)
}

// UncleanElection reports unclean.leader.election.enable for a topic.
func (c *configs) UncleanElection(topic string) bool {
	return c.topic(topic).UncleanLeaderElectionEnable
}

// ValidateTopic implements handler.Configs.
func (c *configs) ValidateTopic(cfg map[string]string) error {
	return c.broker.Load().ValidateTopicConfigs(cfg)
}

// ValidateBroker implements handler.Configs.
func (c *configs) ValidateBroker(cfg map[string]string) error {
	return config.ValidateDynamicBrokerConfigs(cfg, true)
}

// DescribeTopic implements handler.Configs.
func (c *configs) DescribeTopic(overrides map[string]string, keys []string, synonyms, docs bool) []handler.ConfigEntry {
	return entries(c.broker.Load().DescribeTopic(overrides, keys, synonyms, docs))
}

// DescribeBroker implements handler.Configs.
func (c *configs) DescribeBroker(_ int32, perBroker, clusterDefault map[string]string, keys []string, synonyms, docs bool) []handler.ConfigEntry {
	b := c.broker.Load()
	if perBroker == nil {
		withDefaults, _, err := b.WithDynamic(nil, clusterDefault)
		if err == nil {
			b = withDefaults
		}
		return entries(b.DescribeBrokerDefault(keys, synonyms, docs))
	}
	if dyn, _, err := b.WithDynamic(perBroker, clusterDefault); err == nil {
		b = dyn
	} else {
		c.log.Warn("invalid dynamic broker config ignored", "err", err)
	}
	return entries(b.DescribeBroker(keys, synonyms, docs))
}

func entries(es []config.Entry) []handler.ConfigEntry {
	out := make([]handler.ConfigEntry, 0, len(es))
	for _, e := range es {
		ce := handler.ConfigEntry{Name: e.Name, Value: e.Value, Source: int8(e.Source), ReadOnly: e.ReadOnly,
			Sensitive: e.Sensitive, Type: int8(e.Type)}
		if e.Doc != "" {
			doc := e.Doc
			ce.Doc = &doc
		}
		for _, s := range e.Synonyms {
			ce.Synonyms = append(ce.Synonyms, handler.ConfigSynonym{Name: s.Name, Value: s.Value, Source: int8(s.Source)})
		}
		out = append(out, ce)
	}
	return out
}

// settings are the broker values the handlers read on every request.
func (c *configs) settings() handler.Settings {
	b := c.broker.Load()
	return handler.Settings{
		AutoCreateTopics: b.AutoCreateTopicsEnable, NumPartitions: b.NumPartitions,
		DefaultReplicationFactor: int16(b.DefaultReplicationFactor), DeleteTopicEnable: b.DeleteTopicEnable,
		OffsetsTopicReplicationFactor: b.OffsetsTopicReplicationFactor, OffsetsTopicSegmentBytes: b.OffsetsTopicSegmentBytes,
		TransactionStateLogReplicationFactor:   b.TransactionStateLogReplicationFactor,
		TransactionStateLogSegmentBytes:        b.TransactionStateLogSegmentBytes,
		TransactionStateLogMinISR:              b.TransactionStateLogMinISR,
		TransactionPartitionVerificationEnable: b.TransactionPartitionVerificationEnable,
		MaxIncrementalFetchSessionCacheSlots:   b.MaxIncrementalFetchSessionCacheSlots,
		OffsetMetadataMaxBytes:                 int(b.OffsetMetadataMaxBytes),
	}
}
