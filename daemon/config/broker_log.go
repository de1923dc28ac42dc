package config

import "path/filepath"

// LogManager holds broker-wide settings of the log manager: where data
// lives and how often background work runs. Per-topic log settings and their
// broker defaults are in TopicConfig (Broker.TopicDefaults).
type LogManager struct {
	// LogDirs is log.dirs, or log.dir when log.dirs is unset; never empty.
	LogDirs                                 []string
	NumRecoveryThreadsPerDataDir            int32
	LogRetentionCheckIntervalMs             int64
	LogFlushSchedulerIntervalMs             int64
	LogFlushOffsetCheckpointIntervalMs      int64
	LogFlushStartOffsetCheckpointIntervalMs int64

	LogCleanerEnable              bool
	LogCleanerThreads             int32
	LogCleanerIOMaxBytesPerSecond float64
	LogCleanerDedupeBufferSize    int64
	LogCleanerIOBufferSize        int64
	LogCleanerIOBufferLoadFactor  float64
	LogCleanerBackoffMs           int64
}

const longMax = "9223372036854775807"

const tieredNote = "kq does not implement tiered storage; only the defaults are meaningful."

func logManagerDefs() []Def {
	return []Def{
		{Name: "log.dir", Type: typeString, Default: "/tmp/kafka-logs", Importance: High,
			Doc: "Directory holding the log data, used when log.dirs is unset."},
		{Name: "log.dirs", Type: typeString, NullDefault: true, Importance: High,
			Doc: "Comma list of directories holding the log data; overrides log.dir."},
		{Name: "num.recovery.threads.per.data.dir", Type: typeInt, Default: "1", valid: atLeast(1), Importance: High, Mode: ClusterWide,
			Doc: "Parallel segment recoveries per data directory at startup and shutdown."},
		{Name: "log.retention.check.interval.ms", Type: typeLong, Default: "300000", valid: atLeast(1), Importance: Medium,
			Doc: "How often the broker looks for segments to delete under retention."},
		{Name: "log.flush.scheduler.interval.ms", Type: typeLong, Default: longMax, Importance: High,
			Doc: "How often the flusher checks whether a log needs fsync; also the default of log.flush.interval.ms."},
		{Name: "log.flush.offset.checkpoint.interval.ms", Type: typeInt, Default: "60000", valid: atLeast(0), Importance: High,
			Doc: "How often the recovery point of each log is checkpointed."},
		{Name: "log.flush.start.offset.checkpoint.interval.ms", Type: typeInt, Default: "60000", valid: atLeast(0), Importance: High,
			Doc: "How often the log start offset of each log is checkpointed."},
		{Name: "log.cleaner.enable", Type: typeBool, Default: "true", Importance: Medium,
			Doc: "Run the log cleaner, which compacts topics with cleanup.policy=compact."},
		{Name: "log.cleaner.threads", Type: typeInt, Default: "1", valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "Threads compacting logs."},
		{Name: "log.cleaner.io.max.bytes.per.second", Type: typeDouble, Default: "1.7976931348623157E308", Importance: Medium, Mode: ClusterWide,
			Doc: "Throttle of the cleaner's combined reads and writes."},
		{Name: "log.cleaner.dedupe.buffer.size", Type: typeLong, Default: "134217728", Importance: Medium, Mode: ClusterWide,
			Doc: "Memory for the cleaner's key-to-offset map, over all cleaner threads."},
		{Name: "log.cleaner.io.buffer.size", Type: typeInt, Default: "524288", valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "Memory for the cleaner's read and write buffers, over all cleaner threads."},
		{Name: "log.cleaner.io.buffer.load.factor", Type: typeDouble, Default: "0.9", Importance: Medium, Mode: ClusterWide,
			Doc: "How full the cleaner's dedupe map may get."},
		{Name: "log.cleaner.backoff.ms", Type: typeLong, Default: "15000", valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "Sleep of the cleaner when no log needs cleaning."},
		{Name: "remote.log.storage.system.enable", Type: typeBool, Default: "false", Importance: Medium,
			Doc: "Enable tiered storage on this broker.", Note: tieredNote},
	}
}

func fillLogManager(r *reader) (LogManager, error) {
	lm := LogManager{
		NumRecoveryThreadsPerDataDir:            r.i32("num.recovery.threads.per.data.dir"),
		LogRetentionCheckIntervalMs:             r.i64("log.retention.check.interval.ms"),
		LogFlushSchedulerIntervalMs:             r.i64("log.flush.scheduler.interval.ms"),
		LogFlushOffsetCheckpointIntervalMs:      r.i64("log.flush.offset.checkpoint.interval.ms"),
		LogFlushStartOffsetCheckpointIntervalMs: r.i64("log.flush.start.offset.checkpoint.interval.ms"),
		LogCleanerEnable:                        r.bool("log.cleaner.enable"),
		LogCleanerThreads:                       r.i32("log.cleaner.threads"),
		LogCleanerIOMaxBytesPerSecond:           r.f64("log.cleaner.io.max.bytes.per.second"),
		LogCleanerDedupeBufferSize:              r.i64("log.cleaner.dedupe.buffer.size"),
		LogCleanerIOBufferSize:                  r.i64("log.cleaner.io.buffer.size"),
		LogCleanerIOBufferLoadFactor:            r.f64("log.cleaner.io.buffer.load.factor"),
		LogCleanerBackoffMs:                     r.i64("log.cleaner.backoff.ms"),
	}
	if r.bool("remote.log.storage.system.enable") {
		return lm, invalidValue("remote.log.storage.system.enable", "true", "kq does not implement tiered storage")
	}
	dirs, err := logDirs(r)
	lm.LogDirs = dirs
	return lm, err
}

// logDirs resolves log.dirs over log.dir and refuses an empty or repeated
// directory list.
func logDirs(r *reader) ([]string, error) {
	key := "log.dirs"
	if !r.isSet(key) {
		key = "log.dir"
	}
	dirs := parseCsvList(r.str(key))
	if len(dirs) == 0 {
		return nil, configError(key, "At least one log directory must be defined via log.dirs or log.dir.")
	}
	seen := map[string]bool{}
	for _, d := range dirs {
		clean := filepath.Clean(d)
		if seen[clean] {
			return nil, invalidValue(key, r.str(key), "Duplicate log directory found: "+d)
		}
		seen[clean] = true
	}
	return dirs, nil
}
