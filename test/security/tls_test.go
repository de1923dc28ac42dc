package security

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

func createTopic(t *testing.T, adm *kadm.Client, topic string, partitions int32, rf int16) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := adm.CreateTopic(ctx, partitions, rf, nil, topic)
	if err != nil || r.Err != nil {
		t.Fatalf("create topic %s: %v %v", topic, err, r.Err)
	}
}

// endOffset is the high watermark of partition 0.
func endOffset(t *testing.T, adm *kadm.Client, topic string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offs, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatalf("list end offsets: %v", err)
	}
	o, ok := offs.Lookup(topic, 0)
	if !ok || o.Err != nil {
		t.Fatalf("end offset of %s: %+v", topic, o)
	}
	return o.Offset
}

// checkNoSecrets fails if a password appears in the broker's log.
func checkNoSecrets(t *testing.T, logs string) {
	t.Helper()
	for _, secret := range []string{storePassword, trustPassword} {
		if strings.Contains(logs, secret) {
			t.Fatalf("broker log contains a password:\n%s", logs)
		}
	}
}

func TestKcatMutualTLS(t *testing.T) {
	p := newPKI(t)
	b := startSSLBroker(t, p, map[string]string{"ssl.principal.mapping.rules": "RULE:^CN=([^,]+),O=Example$/$1/L,DEFAULT"})
	adm := b.Admin()
	createTopic(t, adm, "mtls", 1, 1)

	var in strings.Builder
	for i := range 100 {
		fmt.Fprintf(&in, "k%d:v%d\n", i, i)
	}
	res := harness.Kcat(t, strings.NewReader(in.String()), append(kcatSSL(b.Addr, p.trusted), "-P", "-t", "mtls", "-K:")...)
	if res.Code != 0 {
		t.Fatalf("kcat -P over mutual TLS: exit %d: %s", res.Code, res.Stderr)
	}
	res = harness.Kcat(t, nil, append(kcatSSL(b.Addr, p.trusted), "-C", "-t", "mtls", "-o", "beginning", "-e", "-f", "%k:%s\n")...)
	if res.Code != 0 || res.Stdout != in.String() {
		t.Fatalf("kcat -C over mutual TLS: exit %d, %d bytes (want %d): %s", res.Code, len(res.Stdout), in.Len(), res.Stderr)
	}
	// The certificate's subject CN=alice,O=Example went through the rule.
	if !strings.Contains(b.Logs(), "principal=User:alice ") {
		t.Errorf("no connection authenticated as User:alice in the broker log")
	}

	// An untrusted client certificate: the handshake fails, nothing lands.
	res = harness.Kcat(t, strings.NewReader("intruder:value\n"), append(kcatSSL(b.Addr, p.rogue),
		"-P", "-t", "mtls", "-K:", "-X", "message.timeout.ms=5000", "-X", "socket.timeout.ms=3000")...)
	if res.Code == 0 {
		t.Fatalf("kcat with an untrusted certificate exited 0: %s", res.Stderr)
	}
	if !strings.Contains(strings.ToLower(res.Stderr), "ssl") && !strings.Contains(res.Stderr, "certificate") {
		t.Errorf("kcat's error does not mention TLS: %s", res.Stderr)
	}
	if got := endOffset(t, adm, "mtls"); got != 100 {
		t.Fatalf("end offset after the untrusted client = %d, want 100", got)
	}
	checkNoSecrets(t, b.Logs())
}

func TestFranzGoTLS(t *testing.T) {
	p := newPKI(t)
	b := startSSLBroker(t, p, nil)
	createTopic(t, b.Admin(), "franz-tls", 1, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	producer := b.Client(kgo.DefaultProduceTopic("franz-tls"))
	for i := range 50 {
		if err := producer.ProduceSync(ctx, kgo.StringRecord(fmt.Sprint(i))).FirstErr(); err != nil {
			t.Fatalf("produce over TLS: %v", err)
		}
	}
	consumer := b.Client(kgo.ConsumeTopics("franz-tls"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	var got []string
	for len(got) < 50 {
		fs := consumer.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatalf("consume over TLS after %d records: %v", len(got), err)
		}
		fs.EachRecord(func(r *kgo.Record) { got = append(got, string(r.Value)) })
	}
	if got[0] != "0" || got[49] != "49" {
		t.Fatalf("consumed %v", got)
	}

	// Without a client certificate the broker (ssl.client.auth=required)
	// refuses the connection and the record is not written.
	noCert, err := kgo.NewClient(kgo.SeedBrokers(b.Addr), p.clientTLS(t, false), kgo.DefaultProduceTopic("franz-tls"),
		kgo.RecordDeliveryTimeout(5*time.Second), kgo.RequestRetries(1))
	if err != nil {
		t.Fatal(err)
	}
	defer noCert.Close()
	if err := noCert.ProduceSync(ctx, kgo.StringRecord("x")).FirstErr(); err == nil {
		t.Fatal("produce without a client certificate succeeded")
	}
	if got := endOffset(t, b.Admin(), "franz-tls"); got != 50 {
		t.Fatalf("end offset = %d, want 50", got)
	}
}
