package config

import (
	"strings"
	"sync"
)

// metadataVersions are the names of Kafka 3.9's MetadataVersion values in
// order: the values inter.broker.protocol.version and the deprecated
// (log.)message.format.version take. Versions before 0.10 have no -IV
// suffix; 4.0's are not production versions yet.
var metadataVersions = []string{
	"0.8.0", "0.8.1", "0.8.2", "0.9.0",
	"0.10.0-IV0", "0.10.0-IV1", "0.10.1-IV0", "0.10.1-IV1", "0.10.1-IV2", "0.10.2-IV0",
	"0.11.0-IV0", "0.11.0-IV1", "0.11.0-IV2",
	"1.0-IV0", "1.1-IV0",
	"2.0-IV0", "2.0-IV1", "2.1-IV0", "2.1-IV1", "2.1-IV2", "2.2-IV0", "2.2-IV1",
	"2.3-IV0", "2.3-IV1", "2.4-IV0", "2.4-IV1", "2.5-IV0", "2.6-IV0",
	"2.7-IV0", "2.7-IV1", "2.7-IV2", "2.8-IV0", "2.8-IV1",
	"3.0-IV0", "3.0-IV1", "3.1-IV0", "3.2-IV0", "3.3-IV0", "3.3-IV1", "3.3-IV2", "3.3-IV3",
	"3.4-IV0", "3.5-IV0", "3.5-IV1", "3.5-IV2", "3.6-IV0", "3.6-IV1", "3.6-IV2",
	"3.7-IV0", "3.7-IV1", "3.7-IV2", "3.7-IV3", "3.7-IV4", "3.8-IV0", "3.9-IV0",
	"4.0-IV0", "4.0-IV1",
}

// Positions in metadataVersions that Kafka's rules name.
var (
	latestProduction = versionIndex("3.9-IV0")
	ibp30IV1         = versionIndex("3.0-IV1")    // message.format.version ignored from here
	ibp011IV0        = versionIndex("0.11.0-IV0") // the first with record batches (v2)
)

func versionIndex(name string) int {
	for i, v := range metadataVersions {
		if v == name {
			return i
		}
	}
	panic("config: unknown metadata version " + name)
}

// versionKeys maps every accepted key to its version: each full name, and
// each release ("0.10.0", "2.8", "3.9") to its last production version.
var versionKeys = sync.OnceValue(func() map[string]int {
	keys := make(map[string]int, 2*len(metadataVersions))
	for i, v := range metadataVersions {
		keys[v] = i
	}
	for i, v := range metadataVersions[:latestProduction+1] {
		release, _, _ := strings.Cut(v, "-")
		keys[release] = i
	}
	return keys
})

// parseMetadataVersion reads a version as Kafka's
// MetadataVersion.fromVersionString: a release before 1.0 is judged on its
// first three dotted parts and a later one on its first two, so "0.10.0.1"
// is 0.10.0 and "2.8.1" is 2.8, while "0.10" or "2" are no version. A
// string with no more parts than that must be a name as it stands
// ("0.10.0-IV1", "2.8-IV1", "3.0").
func parseMetadataVersion(s string) (int, bool) {
	parts := javaSplitDots(s)
	n := 2
	if strings.HasPrefix(s, "0.") {
		n = 3
	}
	key := s
	if len(parts) > n {
		key = strings.Join(parts[:n], ".")
	}
	i, ok := versionKeys()[key]
	return i, ok
}

// javaSplitDots is Java's String.split on "." : trailing empty parts are
// dropped, so "2.8." has two parts (and, kept whole, is no version).
func javaSplitDots(s string) []string {
	parts := strings.Split(s, ".")
	for len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// versionsDoc is the validator's list, as Kafka's
// MetadataVersionValidator.toString.
func versionsDoc() string { return "[" + strings.Join(metadataVersions, ", ") + "]" }

// formatWarning says whether a message format version set to value
// deserves a warning: it is ignored (kq always writes record batches), and
// Kafka warns only for one naming a format before them (0.11.0), as its
// MessageFormatVersion.shouldWarn. kafkaIgnores is whether Kafka ignores
// it too: at inter-broker protocol 3.0-IV1 or later.
func formatWarning(value, ibp string) (warn, kafkaIgnores bool) {
	mfv, ok := parseMetadataVersion(value)
	if !ok || mfv >= ibp011IV0 {
		return false, false
	}
	v, ok := parseMetadataVersion(ibp)
	return true, !ok || v >= ibp30IV1
}

// kqFormatNote ends kq's own warning, for an inter-broker protocol below
// 3.0 at which Kafka would write the old format.
func kqFormatNote(ibp string) string {
	return " is ignored: kq always writes record batches (format v2), whatever inter.broker.protocol.version `" + ibp + "` allows."
}

// deprecatedFormatNote ends Kafka's warnings.
const deprecatedFormatNote = "is greater or equal than 3.0. This configuration is deprecated and it will be removed in Apache Kafka 4.0."

// interBrokerProtocolDefault is Kafka 3.9's inter.broker.protocol.version
// default, the protocol kq speaks.
const interBrokerProtocolDefault = "3.9-IV0"

// recordVersion is the newest record format a version writes: message
// sets v0 before 0.10.0, v1 before 0.11.0, record batches (v2) from then.
func recordVersion(v int) int {
	switch {
	case v < versionIndex("0.10.0-IV0"):
		return 0
	case v < ibp011IV0:
		return 1
	}
	return 2
}

// checkFormatVersion is KafkaConfig's requirement that the inter-broker
// protocol can write the format log.message.format.version asks for;
// from 3.0-IV1 on the format is ignored, so anything goes.
func checkFormatVersion(ibp, mfv string) error {
	i, ok := parseMetadataVersion(ibp)
	m, ok2 := parseMetadataVersion(mfv)
	if !ok || !ok2 || i >= ibp30IV1 || recordVersion(i) >= recordVersion(m) {
		return nil // an invalid version is refused by its validator
	}
	first := [...]string{"0.8.0", "0.10.0", "0.11.0"}[recordVersion(m)]
	return configError("log.message.format.version", "log.message.format.version "+mfv+
		" can only be used when inter.broker.protocol.version is set to version "+first+" or higher")
}
