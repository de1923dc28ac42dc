package authz

import (
	"context"
	"crypto/tls"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/keystore/keystoretest"
	"github.com/kqhq/kq/test/harness"
)

// certPrincipals starts a broker whose only listener is SSL with mutual
// TLS, each client's certificate CN its principal (User:producer,
// User:consumer, User:admin), deny by default and User:admin a super
// user; it returns the broker and a client option per principal.
func certPrincipals(t *testing.T) (*harness.Broker, map[string]kgo.Opt) {
	dir := t.TempDir()
	ca := keystoretest.NewCA(t, "kq authz CA")
	clients := map[string]kgo.Opt{}
	for _, cn := range []string{"producer", "consumer", "admin", "stranger"} {
		leaf := ca.Issue(t, pkix.Name{CommonName: cn})
		clients[cn] = kgo.DialTLSConfig(&tls.Config{RootCAs: ca.Pool(), Certificates: []tls.Certificate{leaf.TLSCertificate()}})
	}
	brokerDir := filepath.Join(dir, "broker")
	if err := os.MkdirAll(brokerDir, 0o755); err != nil {
		t.Fatal(err)
	}
	leaf := ca.Issue(t, pkix.Name{CommonName: "broker1"}, "127.0.0.1", "localhost")
	port := harness.FreePort(t)
	props := map[string]string{
		"listeners":                        fmt.Sprintf("SSL://127.0.0.1:%d", port),
		"security.inter.broker.protocol":   "SSL",
		"ssl.client.auth":                  "required",
		"ssl.keystore.type":                "PKCS12",
		"ssl.keystore.location":            leaf.WriteKeyStorePKCS12(t, filepath.Join(brokerDir, "keystore.p12"), "store-pass"),
		"ssl.keystore.password":            "store-pass",
		"ssl.truststore.type":              "JKS",
		"ssl.truststore.location":          ca.WriteTrustJKS(t, filepath.Join(brokerDir, "truststore.jks"), "trust-pass"),
		"ssl.truststore.password":          "trust-pass",
		"ssl.principal.mapping.rules":      "RULE:^CN=([^,]+)$/$1/,DEFAULT",
		"authorizer.class.name":            "kafka.security.authorizer.AclAuthorizer",
		"super.users":                      "User:admin;User:broker1",
		"offsets.topic.replication.factor": "1",
	}
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Port: port, Props: props, ClientOpts: []kgo.Opt{clients["admin"]}})
	return b, clients
}

// TestCertificatePrincipalMatrix: three principals told apart by their
// certificates each get exactly their rights: the producer writes, the
// consumer reads through its group, neither sees the secret topic, and a
// stranger sees nothing.
func TestCertificatePrincipalMatrix(t *testing.T) {
	b, clients := certPrincipals(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	adm := kadm.NewClient(b.Client(clients["admin"]))
	defer adm.Close()
	for _, name := range []string{"orders", "secret"} {
		if r, err := adm.CreateTopic(ctx, 1, 1, nil, name); err != nil || r.Err != nil {
			t.Fatalf("admin creates %s: %v %v", name, err, r.Err)
		}
	}
	grants := kadm.NewACLs().Allow("User:producer").AllowHosts().Topics("orders").Operations(kadm.OpWrite).ResourcePatternType(kadm.ACLPatternLiteral)
	reads := kadm.NewACLs().Allow("User:consumer").AllowHosts().Topics("orders").Groups("g").Operations(kadm.OpRead).ResourcePatternType(kadm.ACLPatternLiteral)
	for _, b := range []*kadm.ACLBuilder{grants, reads} {
		res, err := adm.CreateACLs(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				t.Fatalf("create ACL: %v", r.Err)
			}
		}
	}

	visible := map[string][]string{"producer": {"orders"}, "consumer": {"orders"}, "stranger": nil, "admin": {"orders", "secret"}}
	for p, want := range visible {
		a := kadm.NewClient(b.Client(clients[p]))
		topics, err := a.ListTopics(ctx)
		a.Close()
		got := topics.Names()
		slices.Sort(got)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s lists %v (%v), want %v", p, got, err, want)
		}
	}

	produce := func(p string, opts ...kgo.Opt) error {
		cl := b.Client(append([]kgo.Opt{clients[p], kgo.RecordRetries(1)}, opts...)...)
		defer cl.Close()
		return cl.ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte(p)}).FirstErr()
	}
	if err := produce("producer"); err != nil {
		t.Fatalf("producer: %v", err)
	}
	// Idempotence needs Write on some topic (or IdempotentWrite on the
	// cluster); without it the producer id is refused.
	if err := produce("consumer"); !errors.Is(err, kerr.ClusterAuthorizationFailed) {
		t.Fatalf("consumer idempotent produce: %v, want CLUSTER_AUTHORIZATION_FAILED", err)
	}
	if err := produce("consumer", kgo.DisableIdempotentWrite()); !errors.Is(err, kerr.TopicAuthorizationFailed) {
		t.Fatalf("consumer produce: %v, want TOPIC_AUTHORIZATION_FAILED", err)
	}
	consumer := b.Client(clients["consumer"], kgo.ConsumerGroup("g"), kgo.ConsumeTopics("orders"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	defer consumer.Close()
	for {
		fs := consumer.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumer read nothing: %v", fs.Errors())
		}
		if fs.NumRecords() > 0 {
			if v := string(fs.Records()[0].Value); v != "producer" {
				t.Fatalf("consumer read %q", v)
			}
			break
		}
	}
	if err := consumer.CommitUncommittedOffsets(ctx); err != nil {
		t.Fatalf("consumer commit: %v", err)
	}
	// The group's offsets: the consumer may fetch them, a stranger not.
	for p, want := range map[string]error{"consumer": nil, "stranger": kerr.GroupAuthorizationFailed} {
		a := kadm.NewClient(b.Client(clients[p]))
		resps, err := a.FetchOffsets(ctx, "g")
		a.Close()
		if err == nil {
			err = resps.Error()
		}
		if !errors.Is(err, want) && (want != nil || err != nil) {
			t.Errorf("%s fetches the group's offsets: %v, want %v", p, err, want)
		}
	}
}
