package sasl

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/test/harness"
)

// kcatSASL are kcat's flags for a SASL_PLAINTEXT connection.
func kcatSASL(addr, mech, user, pass string) []string {
	return []string{"-b", addr, "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanism=" + mech,
		"-X", "sasl.username=" + user, "-X", "sasl.password=" + pass}
}

// TestKcat: librdkafka produces and consumes with SCRAM-SHA-512,
// SCRAM-SHA-256 and PLAIN; wrong credentials fail with Kafka's message and
// write nothing.
func TestKcat(t *testing.T) {
	b := startSASLBroker(t, nil)
	addScramUser(t, b.Addr, "alice", aliceSecret)
	tests := []struct {
		mech, user, pass string
	}{
		{"SCRAM-SHA-512", "alice", aliceSecret},
		{"SCRAM-SHA-256", "alice", aliceSecret},
		{"PLAIN", "bob", bobSecret},
	}
	for _, tt := range tests {
		t.Run(tt.mech, func(t *testing.T) {
			topic := "kcat-" + strings.ToLower(tt.mech)
			flags := kcatSASL(b.SASLAddr, tt.mech, tt.user, tt.pass)
			res := harness.Kcat(t, strings.NewReader("one\ntwo\n"), append(flags, "-P", "-t", topic)...)
			if res.Code != 0 {
				t.Fatalf("produce: %d %s", res.Code, res.Stderr)
			}
			res = harness.Kcat(t, nil, append(flags, "-C", "-t", topic, "-o", "beginning", "-e", "-q")...)
			if res.Code != 0 || res.Stdout != "one\ntwo\n" {
				t.Fatalf("consume: %d %q %s", res.Code, res.Stdout, res.Stderr)
			}
			bad := kcatSASL(b.SASLAddr, tt.mech, tt.user, "wrong-password")
			res = harness.Kcat(t, strings.NewReader("three\n"), append(bad, "-P", "-t", topic)...)
			if !strings.Contains(res.Stderr, "Authentication failed") {
				t.Fatalf("wrong password: %d %s", res.Code, res.Stderr)
			}
			if got := endOffset(t, b.Broker, topic); got != 2 {
				t.Fatalf("end offset %d after a refused producer, want 2", got)
			}
		})
	}
}

// TestFranzGo: franz-go with SCRAM-SHA-256 and OAUTHBEARER (Kafka's
// unsecured tokens); wrong credentials and bad tokens are refused with
// SASL_AUTHENTICATION_FAILED.
func TestFranzGo(t *testing.T) {
	b := startSASLBroker(t, nil)
	addScramUser(t, b.Addr, "alice", aliceSecret)
	if err := produceConsume(t, b.SASLAddr, "franz-scram", scramSHA256("alice", aliceSecret), 5); err != nil {
		t.Fatalf("SCRAM-SHA-256: %v", err)
	}
	if err := produceConsume(t, b.SASLAddr, "franz-oauth", oauthMech("carol", time.Now().Add(time.Hour)), 5); err != nil {
		t.Fatalf("OAUTHBEARER: %v", err)
	}
	if err := metadataErr(b.SASLAddr, scramSHA256("alice", "wrong")); !errors.Is(err, kerr.SaslAuthenticationFailed) {
		t.Fatalf("wrong password: %v", err)
	}
	if err := metadataErr(b.SASLAddr, scramSHA256("nobody", aliceSecret)); !errors.Is(err, kerr.SaslAuthenticationFailed) {
		t.Fatalf("unknown user: %v", err)
	}
	// An expired token is answered with Kafka's JSON error challenge,
	// which franz-go refuses.
	if err := metadataErr(b.SASLAddr, oauthMech("carol", time.Now().Add(-time.Minute))); err == nil {
		t.Fatal("expired token accepted")
	}
	if got := endOffset(t, b.Broker, "franz-scram"); got != 5 {
		t.Fatalf("end offset %d, want 5", got)
	}
}
