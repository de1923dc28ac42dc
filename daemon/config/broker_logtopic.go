package config

// compressionTypes are the broker and topic compression.type values, in
// Kafka's order ("producer" keeps whatever the producer used).
var compressionTypes = []string{"uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"}

// flushModes are the values of kq's own log.flush.mode and flush.mode.
var flushModes = []string{"pagecache", "group-commit"}

// flushModeNote marks log.flush.mode and flush.mode as kq's own keys.
const flushModeNote = "kq's own key, not Kafka's: pagecache (the default) is Kafka's behaviour; group-commit answers a produce " +
	"(acks=1 and acks=all) only once an fsync covers its batches, one fsync serving every batch that arrived while the previous one ran, " +
	"and followers fetch on only once they have fsynced, so the high watermark counts what is on disk on every in-sync replica."

// logTopicDefaultDefs are the broker keys that give topics their defaults:
// each is the synonym of a topic config (see topicDefs). Kafka lets all of
// them change dynamically, cluster-wide.
func logTopicDefaultDefs() []Def {
	defs := []Def{
		{Name: "log.segment.bytes", Type: typeInt, Default: "1073741824", valid: atLeast(14), Importance: High,
			Doc: "Size at which a segment is rolled."},
		{Name: "log.roll.ms", Type: typeLong, NullDefault: true, valid: atLeast(1), Importance: High,
			Doc: "Age at which a segment is rolled even if not full; overrides log.roll.hours."},
		{Name: "log.roll.hours", Type: typeInt, Default: "168", valid: atLeast(1), Importance: High,
			Doc: "Age in hours at which a segment is rolled, when log.roll.ms is unset."},
		{Name: "log.roll.jitter.ms", Type: typeLong, NullDefault: true, Importance: High,
			Doc: "Largest random delay subtracted from the roll age; overrides log.roll.jitter.hours."},
		{Name: "log.roll.jitter.hours", Type: typeInt, Default: "0", valid: atLeast(0), Importance: High,
			Doc: "Largest random delay in hours subtracted from the roll age."},
		{Name: "log.index.size.max.bytes", Type: typeInt, Default: "10485760", valid: atLeast(4), Importance: Medium,
			Doc: "Largest offset index of a segment; a full index rolls the segment."},
		{Name: "log.index.interval.bytes", Type: typeInt, Default: "4096", valid: atLeast(0), Importance: Medium,
			Doc: "Bytes of records between two offset index entries."},
		{Name: "log.flush.interval.messages", Type: typeLong, Default: longMax, valid: atLeast(1), Importance: High,
			Doc: "Messages appended to a log before it is fsynced."},
		{Name: "log.flush.interval.ms", Type: typeLong, NullDefault: true, Importance: High,
			Doc: "Time a message may wait in memory before fsync; defaults to log.flush.scheduler.interval.ms."},
		{Name: "log.flush.mode", Type: typeString, Default: "pagecache", valid: oneOf(flushModes), Importance: Medium,
			Doc: "When a produce is acknowledged: pagecache once written, group-commit once an fsync covers it.", Note: flushModeNote},
		{Name: "log.retention.bytes", Type: typeLong, Default: "-1", Importance: High,
			Doc: "Size a partition may reach before old segments are deleted; -1 for no limit."},
		{Name: "log.retention.ms", Type: typeLong, NullDefault: true, Importance: High,
			Doc: "Age after which segments are deleted; wins over minutes and hours; -1 keeps data forever."},
		{Name: "log.retention.minutes", Type: typeInt, NullDefault: true, Importance: High,
			Doc: "Retention age in minutes, when log.retention.ms is unset."},
		{Name: "log.retention.hours", Type: typeInt, Default: "168", Importance: High,
			Doc: "Retention age in hours, when log.retention.ms and log.retention.minutes are unset."},
		{Name: "log.cleaner.delete.retention.ms", Type: typeLong, Default: "86400000", valid: atLeast(0), Importance: Medium,
			Doc: "How long tombstones survive in compacted topics."},
		{Name: "log.cleaner.min.compaction.lag.ms", Type: typeLong, Default: "0", valid: atLeast(0), Importance: Medium,
			Doc: "Least age of a message before it may be compacted."},
		{Name: "log.cleaner.max.compaction.lag.ms", Type: typeLong, Default: longMax, valid: atLeast(1), Importance: Medium,
			Doc: "Greatest age of a message before it must be compacted."},
		{Name: "log.cleaner.min.cleanable.ratio", Type: typeDouble, Default: "0.5", valid: between(0, 1), Importance: Medium,
			Doc: "Dirty share of a log that makes it eligible for cleaning."},
		{Name: "log.segment.delete.delay.ms", Type: typeLong, Default: "60000", valid: atLeast(0), Importance: High,
			Doc: "Wait between removing a segment from the log and deleting its files."},
		{Name: "log.cleanup.policy", Type: typeList, Default: "delete", valid: listOf{"compact", "delete"}, Importance: Medium,
			Doc: "Default cleanup policy: delete, compact, or both."},
		{Name: "unclean.leader.election.enable", Type: typeBool, Default: "false", Importance: High,
			Doc: "Allow a replica outside the ISR to become leader, at the cost of data loss."},
		{Name: "min.insync.replicas", Type: typeInt, Default: "1", valid: atLeast(1), Importance: High,
			Doc: "In-sync replicas needed to accept an acks=all produce."},
		{Name: "message.max.bytes", Type: typeInt, Default: "1048588", valid: atLeast(0), Importance: High,
			Doc: "Largest record batch the broker accepts."},
		{Name: "compression.type", Type: typeString, Default: "producer", valid: oneOf(compressionTypes), Importance: High,
			Doc: "Compression of stored batches; producer keeps the producer's."},
		{Name: "compression.gzip.level", Type: typeInt, Default: "-1", valid: gzipLevel(), Importance: Medium,
			Doc: "Gzip level when compression.type is gzip."},
		{Name: "compression.lz4.level", Type: typeInt, Default: "9", valid: between(1, 17), Importance: Medium,
			Doc: "LZ4 level when compression.type is lz4."},
		{Name: "compression.zstd.level", Type: typeInt, Default: "3", valid: between(-131072, 22), Importance: Medium,
			Doc: "Zstandard level when compression.type is zstd."},
		{Name: "log.preallocate", Type: typeBool, Default: "false", Importance: Medium,
			Doc: "Preallocate segment files when rolling.", Note: "Informational: kq does not preallocate segments."},
		{Name: "log.message.format.version", Type: typeString, Default: "3.0-IV1", valid: versionString(), Importance: Medium,
			Doc:  "Deprecated record format version; ignored from 3.0 on.",
			Note: "kq always writes record batch v2."},
		{Name: "log.message.timestamp.type", Type: typeString, Default: "CreateTime", valid: oneOf{"CreateTime", "LogAppendTime"}, Importance: Medium,
			Doc: "Whether record timestamps are the producer's or the broker's append time."},
		{Name: "log.message.timestamp.difference.max.ms", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium,
			Doc: "Deprecated: largest gap between a CreateTime timestamp and the broker clock."},
		{Name: "log.message.timestamp.before.max.ms", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium,
			Doc: "How far a CreateTime timestamp may lie behind the broker clock."},
		{Name: "log.message.timestamp.after.max.ms", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium,
			Doc: "How far a CreateTime timestamp may lie ahead of the broker clock."},
		{Name: "log.message.downconversion.enable", Type: typeBool, Default: "true", Importance: Low,
			Doc:  "Convert records to an old format for old fetchers.",
			Note: "Informational: kq serves record batch v2 only."},
		{Name: "log.local.retention.ms", Unsupported: true, Type: typeLong, Default: "-2", valid: atLeast(-2), Importance: Medium,
			Doc: "Local retention age of tiered topics; -2 follows log.retention.ms.", Note: tieredNote},
		{Name: "log.local.retention.bytes", Unsupported: true, Type: typeLong, Default: "-2", valid: atLeast(-2), Importance: Medium,
			Doc: "Local retention size of tiered topics; -2 follows log.retention.bytes.", Note: tieredNote},
	}
	for i := range defs {
		defs[i].Mode = ClusterWide
	}
	return defs
}
