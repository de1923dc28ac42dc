package sasl

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestReauthentication (KIP-368): with connections.max.reauth.ms, franz-go
// re-authenticates its busy connection in place (SaslHandshake and
// SaslAuthenticate between its produce requests) and keeps producing across
// several session lifetimes. (Its idle connections, used again only after
// their session ended, are closed by the broker and reopened by the
// client, as with Kafka.)
func TestReauthentication(t *testing.T) {
	// franz-go re-authenticates 1s before the session ends, and a broker
	// (Kafka's rule too) allows one re-authentication per second: 2.5s
	// sessions re-authenticate every 1.5s.
	const lifetime = 2500 * time.Millisecond
	b := startSASLBroker(t, map[string]string{"connections.max.reauth.ms": "2500"}, "--log-level", "debug")
	addScramUser(t, b.Addr, "alice", aliceSecret)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := kadm.NewClient(b.Client()).CreateTopic(ctx, 1, 1, nil, "reauth"); err != nil {
		t.Fatal(err)
	}
	sasl, err := kgo.NewClient(kgo.SeedBrokers(b.SASLAddr), kgo.SASL(scramSHA512("alice", aliceSecret)),
		kgo.DefaultProduceTopic("reauth"))
	if err != nil {
		t.Fatal(err)
	}
	defer sasl.Close()
	// Produce at a steady pace over three session lifetimes.
	tick := time.NewTicker(lifetime / 10)
	defer tick.Stop()
	for start := time.Now(); time.Since(start) < 3*lifetime; <-tick.C {
		if err := sasl.ProduceSync(ctx, kgo.StringRecord("v")).FirstErr(); err != nil {
			t.Fatalf("produce: %v", err)
		}
	}
	if n := strings.Count(b.Logs(), `"SASL re-authenticated" broker=1 component=network`); n < 2 {
		t.Fatalf("%d in-place re-authentications over three session lifetimes", n)
	}
}
