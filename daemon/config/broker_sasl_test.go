package config

import (
	"slices"
	"strings"
	"testing"
)

func TestListenerSASL(t *testing.T) {
	b, warnings, err := Parse(map[string]string{
		"listeners":                                           "SASL_PLAINTEXT://:9093,EXTERNAL://:9094,PLAINTEXT://:9092",
		"listener.security.protocol.map":                      "SASL_PLAINTEXT:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT,PLAINTEXT:PLAINTEXT",
		"sasl.enabled.mechanisms":                             "SCRAM-SHA-512,PLAIN",
		"listener.name.external.sasl.enabled.mechanisms":      "OAUTHBEARER",
		"listener.name.sasl_plaintext.plain.sasl.jaas.config": "plain-jaas",
		"sasl.jaas.config":                                    "fallback-jaas",
		"connections.max.reauth.ms":                           "60000",
		"listener.name.sasl_plaintext.scram-sha-512.connections.max.reauth.ms": "1000",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warnings {
		if strings.Contains(w.Key, "sasl") || strings.Contains(w.Key, "reauth") {
			t.Errorf("warning for an applied key: %v", w)
		}
	}
	internal := b.ListenerSASL("SASL_PLAINTEXT")
	if !slices.Equal(internal.Mechanisms, []string{"SCRAM-SHA-512", "PLAIN"}) || internal.JAAS["PLAIN"] != "plain-jaas" ||
		internal.JAAS["SCRAM-SHA-512"] != "fallback-jaas" || internal.MaxReauthMs["SCRAM-SHA-512"] != 1000 || internal.MaxReauthMs["PLAIN"] != 60000 {
		t.Fatalf("SASL_PLAINTEXT: %+v", internal)
	}
	external := b.ListenerSASL("EXTERNAL")
	if !slices.Equal(external.Mechanisms, []string{"OAUTHBEARER"}) {
		t.Fatalf("EXTERNAL: %+v", external)
	}
	if b.ConnectionFailedAuthenticationDelayMs != 100 || b.SASLServerMaxReceiveSize != 524288 {
		t.Fatalf("defaults: %+v", b.SASL)
	}
}

func TestInterBrokerSASLMechanism(t *testing.T) {
	base := map[string]string{
		"listeners":                      "SASL_PLAINTEXT://:9093",
		"security.inter.broker.protocol": "SASL_PLAINTEXT",
		"sasl.enabled.mechanisms":        "PLAIN",
	}
	if _, _, err := Parse(base); err == nil || !strings.Contains(err.Error(),
		"sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms") {
		t.Fatalf("GSSAPI between brokers: %v", err)
	}
	base["sasl.mechanism.inter.broker.protocol"] = "PLAIN"
	if _, _, err := Parse(base); err != nil {
		t.Fatal(err)
	}
}
