package sasl

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

// TestDynamicJAAS: a listener's PLAIN users change with AlterConfigs on
// listener.name.<l>.plain.sasl.jaas.config, without a restart, as in
// Kafka: the new user logs in, the removed one no longer does.
func TestDynamicJAAS(t *testing.T) {
	b := startSASLBroker(t, nil)
	if err := metadataErr(b.SASLAddr, plainMech("bob", bobSecret)); err != nil {
		t.Fatalf("bob before: %v", err)
	}
	const carolSecret = "carol-secret-93ab"
	jaas := `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="` + adminSecret +
		`" user_admin="` + adminSecret + `" user_carol="` + carolSecret + `";`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resps, err := kadm.NewClient(b.Client()).AlterBrokerConfigs(ctx, []kadm.AlterConfig{{
		Name: "listener.name.sasl_plaintext.plain.sasl.jaas.config", Value: &jaas}}, 1)
	if err == nil {
		err = resps[0].Err
	}
	if err != nil {
		t.Fatalf("alter: %v", err)
	}
	harness.Eventually(t, 20*time.Second, "carol logs in", func() error {
		return metadataErr(b.SASLAddr, plainMech("carol", carolSecret))
	})
	if metadataErr(b.SASLAddr, plainMech("bob", bobSecret)) == nil {
		t.Fatal("bob still logs in after his removal")
	}
	if strings.Contains(b.Logs(), carolSecret) {
		t.Error("carol's password appears in the broker log")
	}
}
