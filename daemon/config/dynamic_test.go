package config

import (
	"reflect"
	"testing"
)

func TestValidateDynamicBrokerConfigs(t *testing.T) {
	tests := []struct {
		name      string
		configs   map[string]string
		perBroker bool
		want      string
	}{
		{"cluster-wide at default", map[string]string{"log.retention.ms": "1000", "num.io.threads": "4", "message.max.bytes": "2000000"}, false, ""},
		{"cluster-wide per broker", map[string]string{"log.cleaner.threads": "2"}, true, ""},
		{"per-broker on a broker", map[string]string{"listeners": "PLAINTEXT://:9093"}, true, ""},
		{"dynamic-only rate", map[string]string{"follower.replication.throttled.rate": "1048576"}, false, ""},
		{"custom keys are allowed", map[string]string{"my.custom": "x"}, false, ""},
		{"listener-prefixed security config", map[string]string{"listener.name.external.ssl.keystore.location": "/ks"}, true, ""},
		{"read-only", map[string]string{"log.dirs": "/x", "broker.id": "3", "log.retention.ms": "5"}, true,
			"Cannot update these configs dynamically: Set(broker.id, log.dirs)"},
		{"security config without listener prefix", map[string]string{"ssl.keystore.location": "/ks"}, true,
			"These security configs can be dynamically updated only per-listener using the listener prefix: Set(ssl.keystore.location)"},
		{"bad value", map[string]string{"log.retention.ms": "soon"}, false,
			"Invalid value soon for configuration log.retention.ms: Not a number of type LONG"},
		{"bad value of a dynamic-only key", map[string]string{"leader.replication.throttled.rate": "-1"}, true,
			"Invalid value -1 for configuration leader.replication.throttled.rate: Value must be at least 0"},
		{"bad value behind a listener prefix", map[string]string{"listener.name.internal.max.connections": "x"}, true,
			"Invalid value x for configuration max.connections: Not a number of type INT"},
		{"per-broker at the cluster default", map[string]string{"advertised.listeners": "PLAINTEXT://h:1", "listeners": "PLAINTEXT://:1"}, false,
			"Cannot update these configs at default cluster level, broker id must be specified: Set(advertised.listeners, listeners)"},
		{"listener prefix at the cluster default", map[string]string{"listener.name.internal.ssl.key.password": "x"}, false,
			"Cannot update these configs at default cluster level, broker id must be specified: Set(listener.name.internal.ssl.key.password)"},
		{"cluster-level listener config at the default", map[string]string{"listener.name.internal.max.connections": "10"}, false, ""},
		{"read-only checked before values", map[string]string{"broker.id": "1", "log.retention.ms": "x"}, false,
			"Cannot update these configs dynamically: Set(broker.id)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateDynamicBrokerConfigs(tt.configs, tt.perBroker)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Fatalf("err = %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestWithDynamicPrecedence(t *testing.T) {
	static := mustParse(t, map[string]string{"log.retention.hours": "24", "num.io.threads": "4", "log.segment.bytes": "1000000"})
	b, warnings, err := static.WithDynamic(
		map[string]string{"num.io.threads": "16", "follower.replication.throttled.rate": "1000"},
		map[string]string{"num.io.threads": "8", "log.retention.minutes": "30", "message.max.bytes": "2000"},
	)
	if err != nil || len(warnings) != 0 {
		t.Fatalf("WithDynamic: %v %v", warnings, err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"per-broker beats default beats static", b.NumIOThreads, int32(16)},
		{"dynamic default minutes beat static hours", b.TopicDefaults().RetentionMs, int64(30 * 60_000)},
		{"dynamic default alone", b.TopicDefaults().MaxMessageBytes, int64(2000)},
		{"static kept", b.TopicDefaults().SegmentBytes, int64(1000000)},
		{"dynamic-only key applied", b.FollowerReplicationThrottledRate, int64(1000)},
		{"original untouched", static.NumIOThreads, int32(4)},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}
	// New dynamic layers replace the old ones.
	b2, _, err := b.WithDynamic(nil, nil)
	if err != nil || b2.NumIOThreads != 4 || b2.TopicDefaults().RetentionMs != 24*3600_000 {
		t.Errorf("clearing dynamic layers: threads %d retention %d err %v", b2.NumIOThreads, b2.TopicDefaults().RetentionMs, err)
	}
}

func TestWithDynamicDropsUnusableEntries(t *testing.T) {
	b, warnings, err := mustParse(t, nil).WithDynamic(
		map[string]string{"broker.id": "7", "num.io.threads": "zero", "num.network.threads": "5"},
		map[string]string{"listeners": "PLAINTEXT://:1", "log.cleaner.threads": "3"},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []Warning{
		{"listeners", "dynamic config ignored: it can be set only for one broker, not as the cluster default"},
		{"broker.id", "dynamic config ignored: it can not be updated dynamically"},
		{"num.io.threads", "dynamic config ignored: Invalid value zero for configuration num.io.threads: Not a number of type INT"},
	}
	if !reflect.DeepEqual(warnings, want) {
		t.Errorf("warnings:\n got %v\nwant %v", warnings, want)
	}
	if b.BrokerID != -1 || b.NumNetworkThreads != 5 || b.LogCleanerThreads != 3 || b.Listeners[0].Port != 9092 {
		t.Errorf("id %d network %d cleaner %d port %d", b.BrokerID, b.NumNetworkThreads, b.LogCleanerThreads, b.Listeners[0].Port)
	}
}

func TestWithDynamicRefusesInconsistentResult(t *testing.T) {
	static := mustParse(t, map[string]string{
		"listeners":            "PLAINTEXT://:9092,SSL://:9093",
		"advertised.listeners": "PLAINTEXT://h:9092,SSL://h:9093",
	})
	_, _, err := static.WithDynamic(map[string]string{"listeners": "PLAINTEXT://:9092"}, nil)
	want := "advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found PLAINTEXT,SSL. The valid options based on currently configured listeners are PLAINTEXT"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}
