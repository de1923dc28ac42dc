package config

import (
	"reflect"
	"testing"
)

func TestRetentionPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		want  int64
	}{
		{"default 168 hours", nil, 168 * 3600_000},
		{"hours", map[string]string{"log.retention.hours": "24"}, 24 * 3600_000},
		{"minutes beat hours", map[string]string{"log.retention.hours": "24", "log.retention.minutes": "30"}, 30 * 60_000},
		{"ms beats minutes and hours", map[string]string{"log.retention.hours": "24", "log.retention.minutes": "30", "log.retention.ms": "1234"}, 1234},
		{"ms -1 is unlimited", map[string]string{"log.retention.ms": "-1"}, -1},
		{"any negative ms is unlimited", map[string]string{"log.retention.ms": "-5"}, -1},
		{"negative hours is unlimited", map[string]string{"log.retention.hours": "-1"}, -1},
		{"negative minutes is unlimited", map[string]string{"log.retention.minutes": "-3"}, -1},
		{"large hours do not overflow", map[string]string{"log.retention.hours": "2147483647"}, 2147483647 * 3600_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustParse(t, tt.props).TopicDefaults().RetentionMs; got != tt.want {
				t.Errorf("RetentionMs = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestRollPrecedence(t *testing.T) {
	tests := []struct {
		name              string
		props             map[string]string
		wantMs, wantJitMs int64
	}{
		{"defaults", nil, 168 * 3600_000, 0},
		{"hours", map[string]string{"log.roll.hours": "1", "log.roll.jitter.hours": "2"}, 3600_000, 2 * 3600_000},
		{"ms beats hours", map[string]string{"log.roll.hours": "1", "log.roll.ms": "500", "log.roll.jitter.hours": "2", "log.roll.jitter.ms": "7"}, 500, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.props).TopicDefaults()
			if d.SegmentMs != tt.wantMs || d.SegmentJitterMs != tt.wantJitMs {
				t.Errorf("SegmentMs = %d, SegmentJitterMs = %d, want %d, %d", d.SegmentMs, d.SegmentJitterMs, tt.wantMs, tt.wantJitMs)
			}
		})
	}
	_, _, err := ParseWithOptions(map[string]string{"log.roll.ms": "0"}, testOptions)
	if err == nil || err.Error() != "Invalid value 0 for configuration log.roll.ms: Value must be at least 1" {
		t.Errorf("log.roll.ms=0: %v", err)
	}
}

func TestDerivedDefaults(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		get   func(*Broker) any
		want  any
	}{
		{"flush.ms falls back to the scheduler interval", map[string]string{"log.flush.scheduler.interval.ms": "2000"},
			func(b *Broker) any { return b.TopicDefaults().FlushMs }, int64(2000)},
		{"flush interval beats the scheduler interval", map[string]string{"log.flush.scheduler.interval.ms": "2000", "log.flush.interval.ms": "10"},
			func(b *Broker) any { return b.TopicDefaults().FlushMs }, int64(10)},
		{"log.dirs beats log.dir", map[string]string{"log.dir": "/one", "log.dirs": "/two,/three"},
			func(b *Broker) any { return b.LogDirs }, []string{"/two", "/three"}},
		{"log.dir alone", map[string]string{"log.dir": "/one"},
			func(b *Broker) any { return b.LogDirs }, []string{"/one"}},
		{"zk connection timeout follows the session timeout", map[string]string{"zookeeper.session.timeout.ms": "6000"},
			func(b *Broker) any { return b.ZooKeeperConnectionTimeoutMs }, int64(6000)},
		{"zk connection timeout set", map[string]string{"zookeeper.session.timeout.ms": "6000", "zookeeper.connection.timeout.ms": "100"},
			func(b *Broker) any { return b.ZooKeeperConnectionTimeoutMs }, int64(100)},
		{"file.delete.delay.ms from log.segment.delete.delay.ms", map[string]string{"log.segment.delete.delay.ms": "5"},
			func(b *Broker) any { return b.TopicDefaults().FileDeleteDelayMs }, int64(5)},
		{"max.message.bytes from message.max.bytes", map[string]string{"message.max.bytes": "2000000"},
			func(b *Broker) any { return b.TopicDefaults().MaxMessageBytes }, int64(2000000)},
		{"segment.index.bytes from log.index.size.max.bytes", map[string]string{"log.index.size.max.bytes": "4096"},
			func(b *Broker) any { return b.TopicDefaults().SegmentIndexBytes }, int64(4096)},
		{"timestamp type", map[string]string{"log.message.timestamp.type": "LogAppendTime"},
			func(b *Broker) any { return b.TopicDefaults().MessageTimestampType }, LogAppendTime},
		{"before/after fall back to the deprecated difference", map[string]string{"log.message.timestamp.difference.max.ms": "1000"},
			func(b *Broker) any {
				d := b.TopicDefaults()
				return [2]int64{d.MessageTimestampBeforeMaxMs, d.MessageTimestampAfterMaxMs}
			}, [2]int64{1000, 1000}},
		{"before/after set beat the difference", map[string]string{"log.message.timestamp.difference.max.ms": "1000", "log.message.timestamp.after.max.ms": "5"},
			func(b *Broker) any {
				d := b.TopicDefaults()
				return [2]int64{d.MessageTimestampBeforeMaxMs, d.MessageTimestampAfterMaxMs}
			}, [2]int64{1000, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.get(mustParse(t, tt.props)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}
