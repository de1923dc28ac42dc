package compat

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/test/harness"
)

// TestMessageFormatVersionSpellings: every spelling Kafka 3.9 accepts for
// the deprecated (log.)message.format.version starts a broker and creates
// a topic, ignored with Kafka's warning from inter-broker protocol 3.0 on;
// one Kafka refuses fails CreateTopics with its message.
func TestMessageFormatVersionSpellings(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"log.message.format.version": "0.10.0.0"}})
	waitLog(t, b, "Broker configuration log.message.format.version with value 0.10.0.0 is ignored because the inter-broker protocol version `3.9-IV0` is greater or equal than 3.0.")
	adm := b.Admin()
	for _, v := range []string{"0.10.0.0", "0.10.0-IV1", "0.8.2", "2.8", "2.8-IV1", "3.0-IV1"} {
		createTopic(t, adm, "mfv-"+v, 1, map[string]*string{"message.format.version": strPtr(v)})
	}
	produceAll(t, b.Client(), "mfv-0.10.0.0", 10) // written as record batches all the same
	waitLog(t, b, "Topic configuration message.format.version with value `0.10.0.0` is ignored for `mfv-0.10.0.0` because")

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	resp, err := adm.CreateTopic(ctx, 1, 1, map[string]*string{"message.format.version": strPtr("0.10")}, "mfv-bad")
	if err == nil {
		err = resp.Err
	}
	want := "Invalid value 0.10 for configuration message.format.version: Version 0.10 is not a valid version"
	if !errors.Is(err, kerr.InvalidConfig) || resp.ErrMessage != want {
		t.Fatalf("create with 0.10: %v %q, want INVALID_CONFIG %q", err, resp.ErrMessage, want)
	}
}

// waitLog waits for the broker to log text.
func waitLog(t *testing.T, b *harness.Broker, text string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !strings.Contains(b.Logs(), text); {
		if time.Now().After(deadline) {
			t.Fatalf("the broker never logged %q", text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
