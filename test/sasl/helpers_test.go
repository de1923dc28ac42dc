package sasl

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	ksasl "github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/kqhq/kq/test/harness"
)

// Passwords used below; no broker log may contain them.
const (
	adminSecret = "admin-secret-4f9a"
	aliceSecret = "alice-secret-77c1"
	bobSecret   = "bob-secret-1e2d"
)

// plainJAAS is the SASL listener's PLAIN login module: the broker's own
// credentials and the PLAIN users.
var plainJAAS = `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="` + adminSecret +
	`" user_admin="` + adminSecret + `" user_bob="` + bobSecret + `";`

// saslBroker is a broker with a PLAINTEXT listener (for setup) and a
// SASL_PLAINTEXT one offering every mechanism kq serves.
type saslBroker struct {
	*harness.Broker
	SASLAddr string
}

func startSASLBroker(t *testing.T, extra map[string]string, args ...string) *saslBroker {
	t.Helper()
	port, saslPort := harness.FreePort(t), harness.FreePort(t)
	saslAddr := fmt.Sprintf("127.0.0.1:%d", saslPort)
	props := map[string]string{
		"listeners":               fmt.Sprintf("PLAINTEXT://127.0.0.1:%d,SASL_PLAINTEXT://%s", port, saslAddr),
		"sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER",
		"listener.name.sasl_plaintext.plain.sasl.jaas.config": plainJAAS,
		"offsets.topic.replication.factor":                    "1",
		"connection.failed.authentication.delay.ms":           "10",
	}
	for k, v := range extra {
		props[k] = v
	}
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Port: port, Props: props, ServerArgs: args})
	t.Cleanup(func() { checkNoSecrets(t, b.Logs()) })
	return &saslBroker{Broker: b, SASLAddr: saslAddr}
}

// checkNoSecrets fails when a password shows in a log.
func checkNoSecrets(t *testing.T, logs string) {
	t.Helper()
	for _, s := range []string{adminSecret, aliceSecret, bobSecret} {
		if strings.Contains(logs, s) {
			t.Errorf("a password appears in the broker log")
		}
	}
}

// addScramUser runs kq configs through the PLAINTEXT listener.
func addScramUser(t *testing.T, bootstrap, user, password string) {
	t.Helper()
	res := harness.KQ(t, nil, "configs", "--alter", "--entity-type", "users", "--entity-name", user,
		"--add-config", fmt.Sprintf("SCRAM-SHA-256=[iterations=8192,password=%s],SCRAM-SHA-512=[password=%s]", password, password),
		"--bootstrap-server", bootstrap)
	if res.Code != 0 {
		t.Fatalf("kq configs: %d %s %s", res.Code, res.Stdout, res.Stderr)
	}
}

func scramSHA256(user, pass string) ksasl.Mechanism {
	return scram.Auth{User: user, Pass: pass}.AsSha256Mechanism()
}
func scramSHA512(user, pass string) ksasl.Mechanism {
	return scram.Auth{User: user, Pass: pass}.AsSha512Mechanism()
}
func plainMech(user, pass string) ksasl.Mechanism {
	return plain.Auth{User: user, Pass: pass}.AsMechanism()
}

// unsecuredJWT is an alg-none token, what Kafka's default validator accepts.
func unsecuredJWT(claims map[string]any) string {
	body, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(body) + "."
}

func oauthMech(sub string, exp time.Time) ksasl.Mechanism {
	return oauth.Auth{Token: unsecuredJWT(map[string]any{"sub": sub, "exp": exp.Unix(), "iat": time.Now().Unix()})}.AsMechanism()
}

// produceConsume produces n records through a franz-go client with mech
// and reads them back; opts add to the client's (TLS).
func produceConsume(t *testing.T, addr, topic string, mech ksasl.Mechanism, n int, opts ...kgo.Opt) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addr), kgo.SASL(mech), kgo.DefaultProduceTopic(topic),
		kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.AllowAutoTopicCreation()}, opts...)...)
	if err != nil {
		return err
	}
	defer cl.Close()
	for i := range n {
		if err := cl.ProduceSync(ctx, kgo.StringRecord(fmt.Sprintf("v%d", i))).FirstErr(); err != nil {
			return err
		}
	}
	got := 0
	for got < n {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			return err
		}
		got += fs.NumRecords()
	}
	return nil
}

// endOffset reads a topic's end offset over the PLAINTEXT listener (0 for
// a topic that does not exist).
func endOffset(t *testing.T, b *harness.Broker, topic string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offs, err := kadm.NewClient(b.Client()).ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	o, _ := offs.Lookup(topic, 0)
	return max(o.Offset, 0)
}

// metadataErr sends one Metadata request, without retries, and returns
// its error: what authenticating with mech gives.
func metadataErr(addr string, mech ksasl.Mechanism) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.SASL(mech), kgo.RequestRetries(0))
	if err != nil {
		return err
	}
	defer cl.Close()
	_, err = kmsg.NewPtrMetadataRequest().RequestWith(ctx, cl)
	return err
}
