package daemon

import (
	"math"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/store/partitionlog"
)

func TestLogConfigCarriesCompaction(t *testing.T) {
	cases := []struct {
		name string
		tc   config.TopicConfig
		want partitionlog.Config
	}{
		{"compact with Kafka's zeros", config.TopicConfig{CleanupPolicy: []string{"compact"}, SegmentMs: 604800000,
			DeleteRetentionMs: 0, MinCleanableDirtyRatio: 0, MaxCompactionLagMs: math.MaxInt64, MinCompactionLagMs: 5},
			partitionlog.Config{Compacted: true, NoDeletePolicy: true, SegmentMs: 604800000, DeleteRetentionMs: 1, MinCompactionLagMs: 5,
				MaxCompactionLagMs: math.MaxInt64, MinCleanableDirtyRatio: math.SmallestNonzeroFloat64, RetentionMs: -1, RetentionBytes: -1}},
		{"max.compaction.lag.ms bounds segment.ms", config.TopicConfig{CleanupPolicy: []string{"compact", "delete"}, SegmentMs: 604800000,
			DeleteRetentionMs: 86400000, MinCleanableDirtyRatio: 0.5, MaxCompactionLagMs: 60000, RetentionMs: 1000},
			partitionlog.Config{Compacted: true, SegmentMs: 60000, DeleteRetentionMs: 86400000, MaxCompactionLagMs: 60000,
				MinCleanableDirtyRatio: 0.5, RetentionMs: 1000}},
		{"delete only", config.TopicConfig{CleanupPolicy: []string{"delete"}, SegmentMs: 1000, MaxCompactionLagMs: 10, MinCleanableDirtyRatio: 0.5, DeleteRetentionMs: 7},
			partitionlog.Config{SegmentMs: 1000, DeleteRetentionMs: 7, MaxCompactionLagMs: 10, MinCleanableDirtyRatio: 0.5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := logConfig(c.tc)
			if got != c.want {
				t.Fatalf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestCleanerOptionsFromBrokerConfig(t *testing.T) {
	cases := []struct {
		name string
		in   config.LogManager
		want partitionlog.CleanerOptions
	}{
		{"defaults", config.LogManager{LogCleanerEnable: true, LogCleanerThreads: 1, LogCleanerBackoffMs: 15000,
			LogCleanerDedupeBufferSize: 134217728, LogCleanerIOBufferSize: 524288, LogCleanerIOBufferLoadFactor: 0.9, LogCleanerIOMaxBytesPerSecond: math.MaxFloat64},
			partitionlog.CleanerOptions{Threads: 1, Backoff: 15 * time.Second, DedupeBufferSize: 134217728, IOBufferSize: 524288, LoadFactor: 0.9, MaxIOBytesPerSecond: math.MaxFloat64}},
		{"disabled", config.LogManager{LogCleanerEnable: false, LogCleanerThreads: 2}, partitionlog.CleanerOptions{Disabled: true, Threads: 2, Backoff: time.Millisecond}},
		{"no threads", config.LogManager{LogCleanerEnable: true, LogCleanerThreads: 0, LogCleanerBackoffMs: 0}, partitionlog.CleanerOptions{Disabled: true, Backoff: time.Millisecond}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cleanerOptions(&config.Broker{LogManager: c.in}); got != c.want {
				t.Fatalf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}
