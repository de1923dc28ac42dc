package config

import (
	"errors"
	"reflect"
	"testing"
)

func TestValidateTopicConfigs(t *testing.T) {
	tests := []struct {
		name    string
		configs map[string]string
		want    string // "" for valid
		invalid bool   // *InvalidConfigError rather than *ConfigError
	}{
		{"empty", nil, "", false},
		{"valid set", map[string]string{"retention.ms": "-1", "cleanup.policy": "compact,delete", "segment.bytes": "14",
			"min.insync.replicas": "2", "message.timestamp.type": "LogAppendTime", "min.cleanable.dirty.ratio": "0.1",
			"leader.replication.throttled.replicas": "0:1,1:2", "follower.replication.throttled.replicas": "*"}, "", false},
		{"empty cleanup policy is a valid list", map[string]string{"cleanup.policy": ""}, "", false},
		{"unknown name", map[string]string{"retention.ms": "1", "x.y": "1"}, "Unknown topic config name: x.y", true},
		{"broker name is not a topic name", map[string]string{"log.retention.ms": "1"}, "Unknown topic config name: log.retention.ms", true},
		{"not a number", map[string]string{"retention.ms": "week"}, "Invalid value week for configuration retention.ms: Not a number of type LONG", false},
		{"retention below -1", map[string]string{"retention.ms": "-2"}, "Invalid value -2 for configuration retention.ms: Value must be at least -1", false},
		{"min.insync.replicas 0", map[string]string{"min.insync.replicas": "0"}, "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1", false},
		{"cleanup policy", map[string]string{"cleanup.policy": "delete,compress"}, "Invalid value compress for configuration cleanup.policy: String must be one of: compact, delete", false},
		{"segment too small", map[string]string{"segment.bytes": "10"}, "Invalid value 10 for configuration segment.bytes: Value must be at least 14", false},
		{"segment.ms 0", map[string]string{"segment.ms": "0"}, "Invalid value 0 for configuration segment.ms: Value must be at least 1", false},
		{"dirty ratio", map[string]string{"min.cleanable.dirty.ratio": "2"}, "Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no more than 1", false},
		{"bool", map[string]string{"unclean.leader.election.enable": "1"}, "Invalid value 1 for configuration unclean.leader.election.enable: Expected value to be either true or false", false},
		{"throttled replicas", map[string]string{"leader.replication.throttled.replicas": "0-1"},
			"Invalid value 0-1 for configuration leader.replication.throttled.replicas: leader.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...", false},
		{"first bad value in name order", map[string]string{"segment.ms": "0", "retention.ms": "x"},
			"Invalid value x for configuration retention.ms: Not a number of type LONG", false},
		{"compaction lags conflict", map[string]string{"min.compaction.lag.ms": "10", "max.compaction.lag.ms": "5"},
			"conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)", true},
		{"tiered storage", map[string]string{"remote.storage.enable": "true"},
			"Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateTopicConfigs(tt.configs)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant %s", err, tt.want)
			}
			var ice *InvalidConfigError
			var ce *ConfigError
			if tt.invalid && !errors.As(err, &ice) || !tt.invalid && !errors.As(err, &ce) {
				t.Fatalf("err is %T, want InvalidConfigError=%v", err, tt.invalid)
			}
		})
	}
}

// TestBrokerValidateTopicConfigs judges cross-checks against the broker's
// own defaults, not Kafka's.
func TestBrokerValidateTopicConfigs(t *testing.T) {
	b := mustParse(t, map[string]string{"log.cleaner.max.compaction.lag.ms": "100"})
	if err := ValidateTopicConfigs(map[string]string{"min.compaction.lag.ms": "500"}); err != nil {
		t.Fatalf("against Kafka defaults: %v", err)
	}
	err := b.ValidateTopicConfigs(map[string]string{"min.compaction.lag.ms": "500"})
	if err == nil || err.Error() != "conflict topic config setting min.compaction.lag.ms (500) > max.compaction.lag.ms (100)" {
		t.Fatalf("against broker defaults: %v", err)
	}
}

func TestEffectiveTopicConfig(t *testing.T) {
	b := mustParse(t, map[string]string{"log.retention.hours": "24", "log.segment.bytes": "1048576", "min.insync.replicas": "2"})
	tc, err := b.EffectiveTopicConfig(map[string]string{
		"retention.ms":           "60000",
		"cleanup.policy":         "compact",
		"message.timestamp.type": "LogAppendTime",
		"unknown.key":            "ignored, as Kafka ignores it",
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"RetentionMs (override)", tc.RetentionMs, int64(60000)},
		{"SegmentBytes (broker)", tc.SegmentBytes, int64(1048576)},
		{"MinInsyncReplicas (broker)", tc.MinInsyncReplicas, int32(2)},
		{"CleanupPolicy (override)", tc.CleanupPolicy, []string{"compact"}},
		{"Compact", tc.Compact(), true},
		{"Delete", tc.Delete(), false},
		{"MessageTimestampType", tc.MessageTimestampType, LogAppendTime},
		{"SegmentMs (Kafka default)", tc.SegmentMs, int64(604800000)},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if b.TopicDefaults().RetentionMs != 24*3600_000 {
		t.Errorf("overrides leaked into the broker defaults: %d", b.TopicDefaults().RetentionMs)
	}
}

func TestEffectiveTopicConfigFallsBackOnBadValues(t *testing.T) {
	b := mustParse(t, map[string]string{"log.retention.ms": "1000"})
	tc, err := b.EffectiveTopicConfig(map[string]string{"retention.ms": "soon", "segment.bytes": "1", "max.message.bytes": "100"})
	want := "Invalid value soon for configuration retention.ms: Not a number of type LONG\n" +
		"Invalid value 1 for configuration segment.bytes: Value must be at least 14"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if tc.RetentionMs != 1000 || tc.SegmentBytes != 1<<30 || tc.MaxMessageBytes != 100 {
		t.Errorf("RetentionMs %d SegmentBytes %d MaxMessageBytes %d: want broker fallbacks and the valid override", tc.RetentionMs, tc.SegmentBytes, tc.MaxMessageBytes)
	}
}

func TestTimestampType(t *testing.T) {
	if CreateTime.String() != "CreateTime" || LogAppendTime.String() != "LogAppendTime" || LogAppendTime != 1 {
		t.Error("timestamp types do not match Kafka's names and attribute bit")
	}
}
