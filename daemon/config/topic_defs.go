package config

import (
	"slices"
	"strings"
	"sync"
)

// TopicDef defines a topic-level config and the broker keys it falls back to
// when a topic has no override (Kafka's ServerTopicConfigSynonyms).
type TopicDef struct {
	Def
	fallbacks []fallback
}

// fallback is a broker key a topic config defaults to; scale converts its
// unit to the topic's (log.roll.hours to segment.ms is 3,600,000).
type fallback struct {
	key   string
	scale int64
}

// BrokerSynonyms lists the broker keys this topic config falls back to,
// highest priority first; empty when Kafka has no broker default for it.
func (t TopicDef) BrokerSynonyms() []string {
	out := make([]string, len(t.fallbacks))
	for i, f := range t.fallbacks {
		out[i] = f.key
	}
	return out
}

const (
	msPerMinute = 60_000
	msPerHour   = 3_600_000
)

func same(key string) []fallback { return []fallback{{key: key, scale: 1}} }

// topicTable holds every topic config, sorted by name as Kafka's docs list them.
var topicTable = sync.OnceValue(func() []TopicDef {
	defs := slices.Concat(topicRetentionDefs(), topicSegmentDefs(), topicMessageDefs(), topicReplicationDefs())
	slices.SortFunc(defs, func(a, b TopicDef) int { return strings.Compare(a.Name, b.Name) })
	return defs
})

// TopicDefs lists every topic config kq knows, sorted by name.
func TopicDefs() []TopicDef { return slices.Clone(topicTable()) }

// LookupTopic finds a topic config by name.
func LookupTopic(name string) (TopicDef, bool) {
	defs := topicTable()
	i, ok := slices.BinarySearchFunc(defs, name, func(d TopicDef, n string) int { return strings.Compare(d.Name, n) })
	if !ok {
		return TopicDef{}, false
	}
	return defs[i], true
}

func topicRetentionDefs() []TopicDef {
	return []TopicDef{
		{Def: Def{Name: "cleanup.policy", Type: typeList, Default: "delete", valid: listOf{"compact", "delete"}, Importance: Medium,
			Doc: "delete drops old segments by age or size; compact keeps the latest record per key; both may be listed."},
			fallbacks: same("log.cleanup.policy")},
		{Def: Def{Name: "retention.ms", Type: typeLong, Default: "604800000", valid: atLeast(-1), Importance: Medium,
			Doc: "Age after which segments are deleted under the delete policy; -1 keeps them forever."},
			fallbacks: []fallback{{"log.retention.ms", 1}, {"log.retention.minutes", msPerMinute}, {"log.retention.hours", msPerHour}}},
		{Def: Def{Name: "retention.bytes", Type: typeLong, Default: "-1", Importance: Medium,
			Doc: "Size a partition may reach before old segments are deleted; -1 for no limit."},
			fallbacks: same("log.retention.bytes")},
		{Def: Def{Name: "delete.retention.ms", Type: typeLong, Default: "86400000", valid: atLeast(0), Importance: Medium,
			Doc: "How long tombstones survive in a compacted topic."},
			fallbacks: same("log.cleaner.delete.retention.ms")},
		{Def: Def{Name: "min.compaction.lag.ms", Type: typeLong, Default: "0", valid: atLeast(0), Importance: Medium,
			Doc: "Least age of a record before it may be compacted."},
			fallbacks: same("log.cleaner.min.compaction.lag.ms")},
		{Def: Def{Name: "max.compaction.lag.ms", Type: typeLong, Default: longMax, valid: atLeast(1), Importance: Medium,
			Doc: "Greatest age of a record before it must be compacted."},
			fallbacks: same("log.cleaner.max.compaction.lag.ms")},
		{Def: Def{Name: "min.cleanable.dirty.ratio", Type: typeDouble, Default: "0.5", valid: between(0, 1), Importance: Medium,
			Doc: "Dirty share of the log that makes it eligible for compaction."},
			fallbacks: same("log.cleaner.min.cleanable.ratio")},
		{Def: Def{Name: "file.delete.delay.ms", Type: typeLong, Default: "60000", valid: atLeast(0), Importance: Medium,
			Doc: "Wait between removing a segment from the log and deleting its files."},
			fallbacks: same("log.segment.delete.delay.ms")},
		{Def: Def{Name: "local.retention.ms", Type: typeLong, Default: "-2", valid: atLeast(-2), Importance: Medium,
			Doc: "Local retention age of a tiered topic; -2 follows retention.ms.", Note: tieredNote},
			fallbacks: same("log.local.retention.ms")},
		{Def: Def{Name: "local.retention.bytes", Type: typeLong, Default: "-2", valid: atLeast(-2), Importance: Medium,
			Doc: "Local retention size of a tiered topic; -2 follows retention.bytes.", Note: tieredNote},
			fallbacks: same("log.local.retention.bytes")},
		{Def: Def{Name: "remote.storage.enable", Type: typeBool, Default: "false", Importance: Medium,
			Doc: "Move old segments of this topic to tiered storage.", Note: tieredNote}},
		{Def: Def{Name: "remote.log.copy.disable", Type: typeBool, Default: "false", Importance: Medium,
			Doc: "Stop copying segments of a tiered topic to remote storage.", Note: tieredNote}},
		{Def: Def{Name: "remote.log.delete.on.disable", Type: typeBool, Default: "false", Importance: Medium,
			Doc: "Delete remote segments when tiered storage is turned off for the topic.", Note: tieredNote}},
	}
}

func topicSegmentDefs() []TopicDef {
	return []TopicDef{
		{Def: Def{Name: "segment.bytes", Type: typeInt, Default: "1073741824", valid: atLeast(14), Importance: Medium,
			Doc: "Size at which a segment is rolled."},
			fallbacks: same("log.segment.bytes")},
		{Def: Def{Name: "segment.ms", Type: typeLong, Default: "604800000", valid: atLeast(1), Importance: Medium,
			Doc: "Age at which a segment is rolled even if not full, so retention can delete it."},
			fallbacks: []fallback{{"log.roll.ms", 1}, {"log.roll.hours", msPerHour}}},
		{Def: Def{Name: "segment.jitter.ms", Type: typeLong, Default: "0", valid: atLeast(0), Importance: Medium,
			Doc: "Largest random delay subtracted from segment.ms, so segments do not all roll at once."},
			fallbacks: []fallback{{"log.roll.jitter.ms", 1}, {"log.roll.jitter.hours", msPerHour}}},
		{Def: Def{Name: "segment.index.bytes", Type: typeInt, Default: "10485760", valid: atLeast(4), Importance: Medium,
			Doc: "Largest offset index of a segment; a full index rolls the segment."},
			fallbacks: same("log.index.size.max.bytes")},
		{Def: Def{Name: "index.interval.bytes", Type: typeInt, Default: "4096", valid: atLeast(0), Importance: Medium,
			Doc: "Bytes of records between two offset index entries."},
			fallbacks: same("log.index.interval.bytes")},
		{Def: Def{Name: "flush.messages", Type: typeLong, Default: longMax, valid: atLeast(1), Importance: Medium,
			Doc: "Records appended before the log is fsynced."},
			fallbacks: same("log.flush.interval.messages")},
		{Def: Def{Name: "flush.ms", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium,
			Doc: "Time a record may stay unsynced before the log is fsynced."},
			fallbacks: []fallback{{"log.flush.interval.ms", 1}, {"log.flush.scheduler.interval.ms", 1}}},
		{Def: Def{Name: "flush.mode", Type: typeString, Default: "pagecache", valid: oneOf(flushModes), Importance: Medium,
			Doc: "When a produce is acknowledged: pagecache once written, group-commit once an fsync covers it.", Note: flushModeNote},
			fallbacks: same("log.flush.mode")},
		{Def: Def{Name: "preallocate", Type: typeBool, Default: "false", Importance: Medium,
			Doc: "Preallocate segment files when rolling.", Note: "Informational: kq does not preallocate segments."},
			fallbacks: same("log.preallocate")},
	}
}

func topicMessageDefs() []TopicDef {
	return []TopicDef{
		{Def: Def{Name: "max.message.bytes", Type: typeInt, Default: "1048588", valid: atLeast(0), Importance: Medium,
			Doc: "Largest record batch the topic accepts."},
			fallbacks: same("message.max.bytes")},
		{Def: Def{Name: "compression.type", Type: typeString, Default: "producer", valid: oneOf(compressionTypes), Importance: Medium,
			Doc: "Compression of stored batches; producer keeps the producer's."},
			fallbacks: same("compression.type")},
		{Def: Def{Name: "compression.gzip.level", Type: typeInt, Default: "-1", valid: gzipLevel(), Importance: Medium,
			Doc: "Gzip level when compression.type is gzip."},
			fallbacks: same("compression.gzip.level")},
		{Def: Def{Name: "compression.lz4.level", Type: typeInt, Default: "9", valid: between(1, 17), Importance: Medium,
			Doc: "LZ4 level when compression.type is lz4."},
			fallbacks: same("compression.lz4.level")},
		{Def: Def{Name: "compression.zstd.level", Type: typeInt, Default: "3", valid: between(-131072, 22), Importance: Medium,
			Doc: "Zstandard level when compression.type is zstd."},
			fallbacks: same("compression.zstd.level")},
		{Def: Def{Name: "message.timestamp.type", Type: typeString, Default: "CreateTime", valid: oneOf{"CreateTime", "LogAppendTime"}, Importance: Medium,
			Doc: "CreateTime keeps the producer's timestamps; LogAppendTime stamps batches on append."},
			fallbacks: same("log.message.timestamp.type")},
		{Def: Def{Name: "message.timestamp.difference.max.ms", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium,
			Doc: "Deprecated: largest gap between a CreateTime timestamp and the broker clock."},
			fallbacks: same("log.message.timestamp.difference.max.ms")},
		{Def: Def{Name: "message.timestamp.before.max.ms", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium,
			Doc: "How far a CreateTime timestamp may lie behind the broker clock."},
			fallbacks: same("log.message.timestamp.before.max.ms")},
		{Def: Def{Name: "message.timestamp.after.max.ms", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium,
			Doc: "How far a CreateTime timestamp may lie ahead of the broker clock."},
			fallbacks: same("log.message.timestamp.after.max.ms")},
		{Def: Def{Name: "message.format.version", Type: typeString, Default: "3.0-IV1", valid: versionString(), Importance: Medium,
			Doc: "Deprecated record format version; ignored from 3.0 on.", Note: "kq always writes record batch v2."},
			fallbacks: same("log.message.format.version")},
		{Def: Def{Name: "message.downconversion.enable", Type: typeBool, Default: "true", Importance: Low,
			Doc: "Convert records to an old format for old fetchers.", Note: "Informational: kq serves record batch v2 only."},
			fallbacks: same("log.message.downconversion.enable")},
	}
}

func topicReplicationDefs() []TopicDef {
	return []TopicDef{
		{Def: Def{Name: "min.insync.replicas", Type: typeInt, Default: "1", valid: atLeast(1), Importance: Medium,
			Doc: "In-sync replicas needed to accept an acks=all produce."},
			fallbacks: same("min.insync.replicas")},
		{Def: Def{Name: "unclean.leader.election.enable", Type: typeBool, Default: "false", Importance: Medium,
			Doc: "Allow a replica outside the ISR to become leader, at the cost of data loss."},
			fallbacks: same("unclean.leader.election.enable")},
		{Def: Def{Name: "leader.replication.throttled.replicas", Type: typeList, Default: "", valid: throttledReplicas(), Importance: Medium,
			Doc: "Replicas throttled on the leader side, as partition:broker pairs or *."}},
		{Def: Def{Name: "follower.replication.throttled.replicas", Type: typeList, Default: "", valid: throttledReplicas(), Importance: Medium,
			Doc: "Replicas throttled on the follower side, as partition:broker pairs or *."}},
	}
}

// throttledReplicas is Kafka's ThrottledReplicaListValidator: "*" alone, or
// partitionId:brokerId pairs.
func throttledReplicas() validator {
	return checkFunc{doc: "[partitionId]:[brokerId],[partitionId]:[brokerId],...", fn: func(key string, v any) error {
		items, _ := v.([]string)
		if len(items) == 1 && items[0] == "*" {
			return nil
		}
		for _, item := range items {
			p, b, ok := strings.Cut(javaTrim(item), ":")
			if item != "" && (!ok || !allDigits(p) || !allDigits(b)) {
				return invalidValue(key, strings.Join(items, ","), key+" must be the literal '*' or a list of replicas "+
					"in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...")
			}
		}
		return nil
	}}
}
