package daemon

import (
	"math"
	"time"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/store/partitionlog"
)

// cleanerOptions maps the broker's log.cleaner.* settings onto the log
// manager's cleaner. log.cleaner.threads=0 disables it, as no thread would
// run in Kafka either; log.cleaner.backoff.ms=0 becomes 1 ms rather than
// a busy loop.
func cleanerOptions(b *config.Broker) partitionlog.CleanerOptions {
	return partitionlog.CleanerOptions{
		Disabled:            !b.LogCleanerEnable || b.LogCleanerThreads <= 0,
		Threads:             int(b.LogCleanerThreads),
		Backoff:             max(millis(b.LogCleanerBackoffMs), time.Millisecond),
		DedupeBufferSize:    b.LogCleanerDedupeBufferSize,
		IOBufferSize:        b.LogCleanerIOBufferSize,
		LoadFactor:          b.LogCleanerIOBufferLoadFactor,
		MaxIOBytesPerSecond: b.LogCleanerIOMaxBytesPerSecond,
	}
}

// compactionConfig fills the log cleaner's topic settings into cfg.
// Kafka's 0 for delete.retention.ms and min.cleanable.dirty.ratio become
// the smallest values the log reads literally (a zero means its default).
// A compacted topic rolls segments at least every max.compaction.lag.ms,
// as Kafka's LogConfig.maxSegmentMs, so the lag can be honoured.
func compactionConfig(cfg *partitionlog.Config, tc config.TopicConfig) {
	cfg.DeleteRetentionMs = max(tc.DeleteRetentionMs, 1)
	cfg.MinCompactionLagMs = tc.MinCompactionLagMs
	cfg.MaxCompactionLagMs = tc.MaxCompactionLagMs
	cfg.MinCleanableDirtyRatio = tc.MinCleanableDirtyRatio
	if cfg.MinCleanableDirtyRatio <= 0 {
		cfg.MinCleanableDirtyRatio = math.SmallestNonzeroFloat64
	}
	if tc.Compact() && tc.MaxCompactionLagMs > 0 {
		cfg.SegmentMs = min(cfg.SegmentMs, tc.MaxCompactionLagMs)
	}
}
