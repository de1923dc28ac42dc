package authz

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/kqhq/kq/test/harness"
)

// TestSCRAMUserMatrix: SCRAM users on a SASL_PLAINTEXT listener, set up
// through a PLAINTEXT listener whose User:ANONYMOUS is a super user (the
// setup path only): the producer user writes, the consumer user reads
// through its group, and each is refused the other's rights.
func TestSCRAMUserMatrix(t *testing.T) {
	port, saslPort := harness.FreePort(t), harness.FreePort(t)
	saslAddr := fmt.Sprintf("127.0.0.1:%d", saslPort)
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Port: port, Props: map[string]string{
		"listeners":                        fmt.Sprintf("PLAINTEXT://127.0.0.1:%d,SASL_PLAINTEXT://%s", port, saslAddr),
		"sasl.enabled.mechanisms":          "SCRAM-SHA-256",
		"authorizer.class.name":            "kafka.security.authorizer.AclAuthorizer",
		"super.users":                      "User:ANONYMOUS",
		"offsets.topic.replication.factor": "1",
	}})
	users := map[string]string{"producer": "producer-pass-1", "consumer": "consumer-pass-2"}
	for u, p := range users {
		mustKQ(t, "--bootstrap-server", b.Addr, "configs", "--alter", "--entity-type", "users", "--entity-name", u,
			"--add-config", "SCRAM-SHA-256=[password="+p+"]")
	}
	mustKQ(t, "--bootstrap-server", b.Addr, "topics", "--create", "--topic", "orders", "--partitions", "1", "--replication-factor", "1")
	mustKQ(t, "--bootstrap-server", b.Addr, "acls", "--add", "--allow-principal", "User:producer", "--producer", "--topic", "orders")
	mustKQ(t, "--bootstrap-server", b.Addr, "acls", "--add", "--allow-principal", "User:consumer", "--consumer", "--topic", "orders", "--group", "g")

	as := func(user string, opts ...kgo.Opt) *kgo.Client {
		mech := scram.Auth{User: user, Pass: users[user]}.AsSha256Mechanism()
		cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(saslAddr), kgo.SASL(mech)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cl.Close)
		return cl
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := as("producer").ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte("v")}).FirstErr(); err != nil {
		t.Fatalf("producer: %v", err)
	}
	err := as("consumer", kgo.DisableIdempotentWrite(), kgo.RecordRetries(1)).
		ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte("x")}).FirstErr()
	if !errors.Is(err, kerr.TopicAuthorizationFailed) {
		t.Fatalf("consumer produce: %v, want TOPIC_AUTHORIZATION_FAILED", err)
	}
	consumer := as("consumer", kgo.ConsumerGroup("g"), kgo.ConsumeTopics("orders"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	for {
		fs := consumer.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consumer read nothing: %v", fs.Errors())
		}
		if fs.NumRecords() > 0 {
			break
		}
	}
	adm := kadm.NewClient(as("producer"))
	if _, err := adm.FetchOffsets(ctx, "g"); !errors.Is(err, kerr.GroupAuthorizationFailed) {
		t.Fatalf("producer fetches group g's offsets: %v, want GROUP_AUTHORIZATION_FAILED", err)
	}
	topics, err := kadm.NewClient(as("consumer")).ListTopics(ctx)
	if err != nil || !slices.Equal(topics.Names(), []string{"orders"}) {
		t.Fatalf("consumer lists %v %v", topics.Names(), err)
	}
}
