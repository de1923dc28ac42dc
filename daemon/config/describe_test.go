package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// render prints an entry compactly: name=value SOURCE [flags] {synonyms}.
func render(e Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s=%s %s %s", e.Name, deref(e.Value), e.Source, e.Type)
	if e.ReadOnly {
		b.WriteString(" ro")
	}
	if e.Sensitive {
		b.WriteString(" sensitive")
	}
	for _, s := range e.Synonyms {
		fmt.Fprintf(&b, " {%s=%s %s}", s.Name, deref(s.Value), s.Source)
	}
	return b.String()
}

func deref(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

// layered is a broker with every layer set, so sources can be told apart.
func layered(t *testing.T) *Broker {
	t.Helper()
	static := mustParse(t, map[string]string{
		"log.retention.hours":   "24",
		"ssl.keystore.password": "secret",
		"my.custom":             "x",
		"num.io.threads":        "4",
	})
	b, warnings, err := static.WithDynamic(
		map[string]string{"log.retention.minutes": "5", "num.io.threads": "16"},
		map[string]string{"log.retention.ms": "1000", "num.io.threads": "8"},
	)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("WithDynamic: %v %v", warnings, err)
	}
	return b
}

func TestDescribeBroker(t *testing.T) {
	b := layered(t)
	tests := []struct {
		key, want string
	}{
		{"num.partitions", "num.partitions=1 DEFAULT_CONFIG INT ro {num.partitions=1 DEFAULT_CONFIG}"},
		{"num.io.threads", "num.io.threads=16 DYNAMIC_BROKER_CONFIG INT {num.io.threads=16 DYNAMIC_BROKER_CONFIG}" +
			" {num.io.threads=8 DYNAMIC_DEFAULT_BROKER_CONFIG} {num.io.threads=4 STATIC_BROKER_CONFIG} {num.io.threads=8 DEFAULT_CONFIG}"},
		// Kafka lists synonyms from the described name on: ms shows ms and what ranks below it.
		{"log.retention.ms", "log.retention.ms=1000 DYNAMIC_DEFAULT_BROKER_CONFIG LONG {log.retention.ms=1000 DYNAMIC_DEFAULT_BROKER_CONFIG}" +
			" {log.retention.hours=24 STATIC_BROKER_CONFIG} {log.retention.hours=168 DEFAULT_CONFIG}"},
		{"log.retention.minutes", "log.retention.minutes=5 DYNAMIC_BROKER_CONFIG INT {log.retention.minutes=5 DYNAMIC_BROKER_CONFIG}" +
			" {log.retention.ms=1000 DYNAMIC_DEFAULT_BROKER_CONFIG} {log.retention.hours=24 STATIC_BROKER_CONFIG} {log.retention.hours=168 DEFAULT_CONFIG}"},
		{"log.retention.hours", "log.retention.hours=24 STATIC_BROKER_CONFIG INT {log.retention.hours=24 STATIC_BROKER_CONFIG} {log.retention.hours=168 DEFAULT_CONFIG}"},
		{"log.roll.ms", "log.roll.ms=null DEFAULT_CONFIG LONG"},
		{"log.flush.interval.ms", "log.flush.interval.ms=null DEFAULT_CONFIG LONG"},
		{"ssl.keystore.password", "ssl.keystore.password=null STATIC_BROKER_CONFIG PASSWORD sensitive {ssl.keystore.password=null STATIC_BROKER_CONFIG}"},
		{"ssl.key.password", "ssl.key.password=null DEFAULT_CONFIG PASSWORD sensitive"},
		{"my.custom", "my.custom=null STATIC_BROKER_CONFIG UNKNOWN ro sensitive {my.custom=null STATIC_BROKER_CONFIG}"},
		{"listeners", "listeners=PLAINTEXT://:9092 DEFAULT_CONFIG STRING {listeners=PLAINTEXT://:9092 DEFAULT_CONFIG}"},
		{"log.cleaner.io.max.bytes.per.second", "log.cleaner.io.max.bytes.per.second=1.7976931348623157E308 DEFAULT_CONFIG DOUBLE" +
			" {log.cleaner.io.max.bytes.per.second=1.7976931348623157E308 DEFAULT_CONFIG}"},
	}
	for _, tt := range tests {
		got := b.DescribeBroker([]string{tt.key}, true, false)
		if len(got) != 1 || render(got[0]) != tt.want {
			t.Errorf("describe %s:\n got %v\nwant %s", tt.key, renderAll(got), tt.want)
		}
	}
}

func renderAll(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = render(e)
	}
	return out
}

func TestDescribeBrokerListing(t *testing.T) {
	b := layered(t)
	all := b.DescribeBroker(nil, false, false)
	if len(all) != len(BrokerDefs())+1 { // + my.custom
		t.Errorf("described %d keys, want %d", len(all), len(BrokerDefs())+1)
	}
	for i, e := range all {
		if i > 0 && all[i-1].Name >= e.Name {
			t.Fatalf("not sorted by name: %s before %s", all[i-1].Name, e.Name)
		}
		if e.Synonyms != nil || e.Doc != "" {
			t.Fatalf("%s: synonyms or docs returned unasked", e.Name)
		}
		if strings.HasSuffix(e.Name, "throttled.rate") {
			t.Errorf("unset dynamic-only key %s described", e.Name)
		}
	}
	got := b.DescribeBroker([]string{"num.partitions", "no.such.key"}, false, true)
	if len(got) != 1 || got[0].Doc == "" {
		t.Errorf("filtered describe with docs: %v", renderAll(got))
	}
	rate := mustParse(t, nil)
	rate, _, _ = rate.WithDynamic(map[string]string{"leader.replication.throttled.rate": "100"}, nil)
	got = rate.DescribeBroker([]string{"leader.replication.throttled.rate"}, true, false)
	want := "leader.replication.throttled.rate=100 DYNAMIC_BROKER_CONFIG LONG {leader.replication.throttled.rate=100 DYNAMIC_BROKER_CONFIG}" +
		" {leader.replication.throttled.rate=9223372036854775807 DEFAULT_CONFIG}"
	if len(got) != 1 || render(got[0]) != want {
		t.Errorf("dynamic-only key:\n got %v\nwant %s", renderAll(got), want)
	}
}

func TestDescribeBrokerDefault(t *testing.T) {
	got := renderAll(layered(t).DescribeBrokerDefault(nil, true, false))
	want := []string{
		"log.retention.ms=1000 DYNAMIC_DEFAULT_BROKER_CONFIG LONG {log.retention.ms=1000 DYNAMIC_DEFAULT_BROKER_CONFIG}",
		"num.io.threads=8 DYNAMIC_DEFAULT_BROKER_CONFIG INT {num.io.threads=8 DYNAMIC_DEFAULT_BROKER_CONFIG}",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("default resource:\n got %v\nwant %v", got, want)
	}
}

func TestDescribeTopic(t *testing.T) {
	b := layered(t)
	overrides := map[string]string{"segment.bytes": "1048576", "unknown.key": "v", "max.message.bytes": "-5"}
	tests := []struct {
		key, want string
	}{
		{"segment.bytes", "segment.bytes=1048576 DYNAMIC_TOPIC_CONFIG INT {segment.bytes=1048576 DYNAMIC_TOPIC_CONFIG}" +
			" {log.segment.bytes=1073741824 DEFAULT_CONFIG}"},
		{"retention.ms", "retention.ms=1000 DYNAMIC_DEFAULT_BROKER_CONFIG LONG {log.retention.ms=1000 DYNAMIC_DEFAULT_BROKER_CONFIG}" +
			" {log.retention.hours=24 STATIC_BROKER_CONFIG} {log.retention.hours=168 DEFAULT_CONFIG}"},
		// An invalid stored override is described as absent.
		{"max.message.bytes", "max.message.bytes=1048588 DEFAULT_CONFIG INT {message.max.bytes=1048588 DEFAULT_CONFIG}"},
		{"leader.replication.throttled.replicas", "leader.replication.throttled.replicas= DEFAULT_CONFIG LIST"},
		{"unknown.key", "unknown.key=null DYNAMIC_TOPIC_CONFIG UNKNOWN sensitive {unknown.key=null DYNAMIC_TOPIC_CONFIG}"},
	}
	for _, tt := range tests {
		got := b.DescribeTopic(overrides, []string{tt.key}, true, false)
		if len(got) != 1 || render(got[0]) != tt.want {
			t.Errorf("describe topic %s:\n got %v\nwant %s", tt.key, renderAll(got), tt.want)
		}
	}
	if n := len(b.DescribeTopic(overrides, nil, false, false)); n != len(TopicDefs())+1 {
		t.Errorf("described %d topic configs, want %d", n, len(TopicDefs())+1)
	}
}

// TestDescribeTopicRetentionQuirk pins Kafka's behaviour: with only
// log.retention.hours set, retention.ms lists no broker synonym.
func TestDescribeTopicRetentionQuirk(t *testing.T) {
	b := mustParse(t, map[string]string{"log.retention.hours": "24"})
	got := b.DescribeTopic(map[string]string{"retention.ms": "5000"}, []string{"retention.ms", "segment.ms"}, true, false)
	want := []string{
		"retention.ms=5000 DYNAMIC_TOPIC_CONFIG LONG {retention.ms=5000 DYNAMIC_TOPIC_CONFIG}",
		"segment.ms=604800000 DEFAULT_CONFIG LONG",
	}
	if strings.Join(renderAll(got), "\n") != strings.Join(want, "\n") {
		t.Errorf("got %v\nwant %v", renderAll(got), want)
	}
	if e := b.DescribeTopic(nil, []string{"retention.ms"}, false, false)[0]; *e.Value != "86400000" || e.Source != kmsg.ConfigSourceDefaultConfig {
		t.Errorf("retention.ms without override: %s", render(e))
	}
}
