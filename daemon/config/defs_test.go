package config

import (
	"testing"
)

// testOptions pins the hostname so advertised listeners are predictable.
var testOptions = Options{Hostname: func() (string, error) { return "broker.test", nil }}

// mustParse parses props with testOptions and fails the test on error.
func mustParse(t *testing.T, props map[string]string) *Broker {
	t.Helper()
	b, _, err := ParseWithOptions(props, testOptions)
	if err != nil {
		t.Fatalf("Parse(%v): %v", props, err)
	}
	return b
}

// TestDefaultsParse checks every non-null default parses, passes its own
// validator, and prints back unchanged, so DEFAULT_CONFIG values match what
// Kafka reports.
func TestDefaultsParse(t *testing.T) {
	all := append(BrokerDefs(), DynamicOnlyBrokerDefs()...)
	for _, td := range TopicDefs() {
		all = append(all, td.Def)
	}
	for _, d := range all {
		if d.NullDefault {
			continue
		}
		v, err := parseChecked(&d, d.Default)
		if err != nil {
			t.Errorf("%s: default %q refused: %v", d.Name, d.Default, err)
			continue
		}
		if got, _ := formatValue(v); got != d.Default {
			t.Errorf("%s: default %q prints back as %q", d.Name, d.Default, got)
		}
	}
}

func TestDefsAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range append(BrokerDefs(), DynamicOnlyBrokerDefs()...) {
		if seen[d.Name] {
			t.Errorf("%s defined twice", d.Name)
		}
		seen[d.Name] = true
		if d.Doc == "" {
			t.Errorf("%s has no documentation", d.Name)
		}
		if d.Unsupported && d.Note == "" {
			t.Errorf("%s is unsupported but has no note saying why", d.Name)
		}
	}
	for _, td := range TopicDefs() {
		if td.Doc == "" {
			t.Errorf("topic %s has no documentation", td.Name)
		}
		if _, ok := LookupTopic(td.Name); !ok {
			t.Errorf("LookupTopic(%s) fails", td.Name)
		}
	}
}

// TestTopicSynonymsAreClusterWideBrokerKeys checks each topic fallback is a
// broker key of a compatible type, dynamically updatable cluster-wide as in
// Kafka's DynamicLogConfig.
func TestTopicSynonymsAreClusterWideBrokerKeys(t *testing.T) {
	for _, td := range TopicDefs() {
		for _, key := range td.BrokerSynonyms() {
			d, ok := LookupBroker(key)
			switch {
			case !ok:
				t.Errorf("topic %s falls back to unknown broker key %s", td.Name, key)
			case d.Mode != ClusterWide && key != "log.flush.scheduler.interval.ms":
				t.Errorf("broker key %s (synonym of %s) is %v, want cluster-wide", key, td.Name, d.Mode)
			case (d.Type == typeList) != (td.Type == typeList), (d.Type == typeDouble) != (td.Type == typeDouble):
				t.Errorf("broker key %s is %v but topic %s is %v", key, d.Type, td.Name, td.Type)
			}
		}
	}
}

// TestTopicDefaultsMatchKafka checks that a broker with Kafka's default
// config gives topics Kafka's LogConfig defaults.
func TestTopicDefaultsMatchKafka(t *testing.T) {
	b := mustParse(t, nil)
	entries := b.DescribeTopic(nil, nil, false, false)
	if len(entries) != len(TopicDefs()) {
		t.Fatalf("described %d topic configs, want %d", len(entries), len(TopicDefs()))
	}
	for _, e := range entries {
		td, _ := LookupTopic(e.Name)
		if e.Value == nil || *e.Value != td.Default {
			t.Errorf("%s = %v, want Kafka default %q", e.Name, e.Value, td.Default)
		}
	}
}

func TestLookupBroker(t *testing.T) {
	tests := []struct {
		name string
		want bool
		mode UpdateMode
	}{
		{"broker.id", true, ReadOnly},
		{"listeners", true, PerBroker},
		{"log.retention.hours", true, ClusterWide},
		{"follower.replication.throttled.rate", true, ClusterWide},
		{"retention.ms", false, ReadOnly},
		{"no.such.key", false, ReadOnly},
	}
	for _, tt := range tests {
		d, ok := LookupBroker(tt.name)
		if ok != tt.want || (ok && d.Mode != tt.mode) {
			t.Errorf("LookupBroker(%s) = %v mode %v, want %v mode %v", tt.name, ok, d.Mode, tt.want, tt.mode)
		}
	}
}

func TestValidValues(t *testing.T) {
	tests := map[string]string{
		"num.partitions":                  "[1,...]",
		"log.cleaner.min.cleanable.ratio": "[0,...,1]",
		"log.cleanup.policy":              "[compact, delete]",
		"compression.type":                "[uncompressed, zstd, lz4, snappy, gzip, producer]",
		"broker.id":                       "",
	}
	for name, want := range tests {
		d, _ := LookupBroker(name)
		if got := d.ValidValues(); got != want {
			t.Errorf("%s valid values = %q, want %q", name, got, want)
		}
	}
}
