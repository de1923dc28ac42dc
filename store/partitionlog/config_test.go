package partitionlog

import (
	"math"
	"testing"
)

func TestConfigNormalized(t *testing.T) {
	tests := []struct {
		name string
		in   Config
		want func(Config) bool
	}{
		{"zero is Kafka's defaults", Config{}, func(c Config) bool {
			return c.SegmentBytes == 1<<30 && c.SegmentMs == 604_800_000 && c.IndexIntervalBytes == 4096 &&
				c.SegmentIndexBytes == 10<<20 && c.MaxMessageBytes == 1_048_588 && c.RetentionMs == 604_800_000 &&
				c.RetentionBytes == -1 && c.FlushMessages == math.MaxInt64 && c.FlushMs == math.MaxInt64 &&
				c.FileDeleteDelayMs == 60_000 && c.TimestampType == CreateTime
		}},
		{"explicit values kept", Config{SegmentBytes: 5000, RetentionMs: -1, RetentionBytes: 77, FlushMessages: 1}, func(c Config) bool {
			return c.SegmentBytes == 5000 && c.RetentionMs == -1 && c.RetentionBytes == 77 && c.FlushMessages == 1
		}},
		{"segment.bytes capped to int32", Config{SegmentBytes: 1 << 40}, func(c Config) bool { return c.SegmentBytes == math.MaxInt32 }},
		{"index room for entries", Config{SegmentIndexBytes: 1}, func(c Config) bool { return c.SegmentIndexBytes == 48 }},
	}
	for _, tt := range tests {
		if got := tt.in.normalized(); !tt.want(got) {
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
}

func TestSetConfigAppliesToTheNextAppend(t *testing.T) {
	m := openTestManager(t, []string{t.TempDir()}, ManagerOptions{})
	l, _ := m.Create(testTP, [16]byte{1}, Config{})
	m.SetConfig(testTP, Config{MaxMessageBytes: 100})
	if _, err := l.Append(buildBatch(t, batchSpec{valueSize: 200}), 0); err == nil {
		t.Fatal("max.message.bytes change not applied")
	}
	m.SetConfig(TopicPartition{Topic: "unknown"}, Config{}) // no-op
}
