package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Kafka 3.9's MetadataVersion.fromVersionString: a release before 1.0 is
// read on three dotted parts, a later one on two, and what remains must be
// a version name or a production release.
var versionSpellings = []struct {
	value string
	ok    bool
}{
	{"0.8.0", true}, {"0.8.1", true}, {"0.8.2", true}, {"0.9.0", true},
	{"0.8.0.x", true}, {"0.8.2.2", true}, {"0.9.0.1", true},
	{"0.10.0", true}, {"0.10.0-IV0", true}, {"0.10.0-IV1", true}, {"0.10.0.0", true}, {"0.10.0.1", true},
	{"0.10.1-IV2", true}, {"0.10.2", true}, {"0.10.2.2", true},
	{"0.11.0", true}, {"0.11.0-IV2", true}, {"0.11.0.3", true},
	{"1.0", true}, {"1.0-IV0", true}, {"1.0.1", true}, {"1.1", true}, {"1.1.1", true},
	{"2.0-IV1", true}, {"2.1", true}, {"2.8", true}, {"2.8-IV1", true}, {"2.8.2", true}, {"2.8.0-IV1", true}, {"2.8.x", true},
	{"3.0", true}, {"3.0-IV0", true}, {"3.0-IV1", true}, {"3.3-IV3", true}, {"3.7-IV4", true},
	{"3.9", true}, {"3.9-IV0", true}, {"3.9.0", true},
	{"4.0-IV0", true}, {"4.0-IV1", true}, // named, though not production yet
	{" 2.8 ", true}, // values are trimmed
	{"", false}, {"0", false}, {"0.8", false}, {"0.10", false}, {"0.10.0-IV2", false}, {"0.10.3", false},
	{"0.10.0.", false}, {"0.10.0-iv1", false}, {"0.9.0-IV0", false},
	{"1", false}, {"2", false}, {"2.8.", false}, {"2.8-IV2", false}, {"2.8-IV", false}, {"2.9", false},
	{"3.0-IV2", false}, {"3.10", false}, {"3.9-IV1", false}, {"4.0", false}, {"4.0-IV2", false},
	{"three", false}, {"v2.8", false}, {"2.8-IV1-x", false}, {".2.8", false},
}

func TestVersionSpellingsBroker(t *testing.T) {
	for _, key := range []string{"log.message.format.version", "inter.broker.protocol.version"} {
		for _, tt := range versionSpellings {
			t.Run(key+"="+tt.value, func(t *testing.T) {
				// A protocol below 0.11 writes no format 3.0-IV1 names.
				props := map[string]string{"log.message.format.version": "0.8.0", key: tt.value}
				_, _, err := ParseWithOptions(props, testOptions)
				checkVersionVerdict(t, key, tt.value, tt.ok, err)
			})
		}
	}
}

func TestVersionSpellingsTopic(t *testing.T) {
	for _, tt := range versionSpellings {
		t.Run(tt.value, func(t *testing.T) {
			err := ValidateTopicConfigs(map[string]string{"message.format.version": tt.value})
			checkVersionVerdict(t, "message.format.version", tt.value, tt.ok, err)
		})
	}
}

func checkVersionVerdict(t *testing.T, key, value string, ok bool, err error) {
	t.Helper()
	v := strings.TrimSpace(value)
	want := "Invalid value " + v + " for configuration " + key + ": Version " + v + " is not a valid version"
	switch {
	case ok && err != nil:
		t.Fatalf("refused: %v", err)
	case !ok && (err == nil || err.Error() != want):
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// The validator lists every version, as Kafka's toString.
func TestVersionsDoc(t *testing.T) {
	doc := versionString().String()
	if !strings.HasPrefix(doc, "[0.8.0, 0.8.1, 0.8.2, 0.9.0, 0.10.0-IV0, ") || !strings.HasSuffix(doc, ", 3.9-IV0, 4.0-IV0, 4.0-IV1]") {
		t.Fatalf("doc %s", doc)
	}
}

const deprecated = "is greater or equal than 3.0. This configuration is deprecated and it will be removed in Apache Kafka 4.0."

// log.message.format.version is accepted and ignored; a format before
// record batches is named in a warning, in Kafka's words from protocol
// 3.0-IV1 on.
func TestMessageFormatVersionBrokerWarning(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		want  string // "" for no warning
	}{
		{"before record batches", map[string]string{"log.message.format.version": "0.10.0.0"},
			"Broker configuration log.message.format.version with value 0.10.0.0 is ignored because the inter-broker protocol version `3.9-IV0` " + deprecated},
		{"set protocol", map[string]string{"log.message.format.version": "0.8.2", "inter.broker.protocol.version": "3.0"},
			"Broker configuration log.message.format.version with value 0.8.2 is ignored because the inter-broker protocol version `3.0` " + deprecated},
		{"record batches: ignored silently", map[string]string{"log.message.format.version": "2.8"}, ""},
		{"the default", map[string]string{"log.message.format.version": "3.0-IV1"}, ""},
		{"old protocol: kq's words", map[string]string{"log.message.format.version": "0.10.0-IV1", "inter.broker.protocol.version": "2.8"},
			"Broker configuration log.message.format.version with value 0.10.0-IV1 is ignored: kq always writes record batches (format v2), whatever inter.broker.protocol.version `2.8` allows."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warnings, err := ParseWithOptions(tt.props, testOptions)
			if err != nil {
				t.Fatal(err)
			}
			var got []Warning
			if tt.want != "" {
				got = []Warning{{Key: "log.message.format.version", Message: tt.want}}
			}
			if !reflect.DeepEqual(warnings, got) {
				t.Fatalf("warnings %v\nwant %v", warnings, got)
			}
		})
	}
}

func TestMessageFormatVersionTopicWarning(t *testing.T) {
	tests := []struct {
		name      string
		ibp       string
		overrides map[string]string
		want      []string
	}{
		{"before record batches", "", map[string]string{"message.format.version": "0.10.0.0"},
			[]string{"Topic configuration message.format.version with value `0.10.0.0` is ignored for `t` because the inter-broker protocol version `3.9-IV0` " + deprecated}},
		{"record batches", "", map[string]string{"message.format.version": "2.8-IV1"}, nil},
		{"not set", "", map[string]string{"retention.ms": "1"}, nil},
		{"old protocol", "2.7", map[string]string{"message.format.version": "0.9.0"},
			[]string{"Topic configuration message.format.version with value `0.9.0` is ignored: kq always writes record batches (format v2), whatever inter.broker.protocol.version `2.7` allows."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := map[string]string{}
			if tt.ibp != "" {
				props["inter.broker.protocol.version"] = tt.ibp
			}
			b := mustParse(t, props)
			if got := b.TopicConfigWarnings("t", tt.overrides); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("warnings %q\nwant %q", got, tt.want)
			}
		})
	}
}

// From inter-broker protocol 3.0-IV1 on, Kafka hands its topics
// message.format.version 3.0-IV1 whatever the broker key says, and drops
// a topic's override; below, the full name of the version set.
func TestMessageFormatVersionIgnored(t *testing.T) {
	tests := []struct {
		props       map[string]string
		override    string
		defaultWant string
		effective   string
	}{
		{map[string]string{"log.message.format.version": "0.10.0.0"}, "0.9.0", "3.0-IV1", "3.0-IV1"},
		{map[string]string{"log.message.format.version": "2.8"}, "", "3.0-IV1", "3.0-IV1"},
		{map[string]string{"log.message.format.version": "0.10.0.0", "inter.broker.protocol.version": "2.8"}, "0.9.0", "0.10.0-IV1", "0.9.0"},
	}
	for _, tt := range tests {
		t.Run(tt.props["log.message.format.version"]+"/"+tt.props["inter.broker.protocol.version"], func(t *testing.T) {
			b := mustParse(t, tt.props)
			if got := b.TopicDefaults().MessageFormatVersion; got != tt.defaultWant {
				t.Errorf("topic default %s, want %s", got, tt.defaultWant)
			}
			overrides := map[string]string{}
			if tt.override != "" {
				overrides["message.format.version"] = tt.override
			}
			tc, err := b.EffectiveTopicConfig(overrides)
			if err != nil || tc.MessageFormatVersion != tt.effective {
				t.Errorf("effective %s (%v), want %s", tc.MessageFormatVersion, err, tt.effective)
			}
		})
	}
}

// Below inter-broker protocol 3.0-IV1 the format must be one the protocol
// writes, as KafkaConfig requires; from 3.0-IV1 on it is ignored.
func TestMessageFormatVersionAboveProtocol(t *testing.T) {
	tests := []struct {
		ibp, mfv, want string
	}{
		{"0.10.2", "0.11.0", "log.message.format.version 0.11.0 can only be used when inter.broker.protocol.version is set to version 0.11.0 or higher"},
		{"0.9.0", "0.10.0.0", "log.message.format.version 0.10.0.0 can only be used when inter.broker.protocol.version is set to version 0.10.0 or higher"},
		{"0.9.0", "2.8", "log.message.format.version 2.8 can only be used when inter.broker.protocol.version is set to version 0.11.0 or higher"},
		{"2.8", "3.0-IV1", ""},       // both write record batches
		{"0.10.0-IV1", "0.10.2", ""}, // both message sets v1
		{"0.11.0", "0.8.2", ""},
		{"3.0-IV0", "3.9", ""},
		{"3.9", "0.8.0", ""}, // ignored
	}
	for _, tt := range tests {
		t.Run(tt.ibp+"/"+tt.mfv, func(t *testing.T) {
			_, _, err := ParseWithOptions(map[string]string{"inter.broker.protocol.version": tt.ibp, "log.message.format.version": tt.mfv}, testOptions)
			if got := fmt.Sprint(err); (tt.want == "" && err != nil) || (tt.want != "" && got != tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
