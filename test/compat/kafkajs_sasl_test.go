package compat

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/kqhq/kq/store/keystore/keystoretest"
	"github.com/kqhq/kq/test/harness"
)

// TestKafkajsPlainOverTLS: kafkajs with SASL PLAIN over TLS against a
// broker whose only listener is SASL_SSL: it produces and reads back in a
// group; with a wrong password it fails authentication and writes nothing.
func TestKafkajsPlainOverTLS(t *testing.T) {
	const n, topic, secret = 20, "js-sasl", "js-secret-9"
	dir := txnScriptDir(t)
	node := kafkajs(t, dir)
	certs := t.TempDir()
	ca := keystoretest.NewCA(t, "kq kafkajs test CA")
	leaf := ca.Issue(t, pkix.Name{CommonName: "broker1"}, "127.0.0.1", "localhost")
	caFile := ca.WriteTrustPEM(t, certs)
	port := harness.FreePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	jaas := `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="` + secret +
		`" user_admin="` + secret + `" user_js="` + secret + `";`
	props := map[string]string{
		"listeners":                                     "SASL_SSL://" + addr,
		"security.inter.broker.protocol":                "SASL_SSL",
		"ssl.keystore.type":                             "PEM",
		"ssl.keystore.location":                         leaf.WriteKeyStorePEM(t, filepath.Join(certs, "keystore.pem")),
		"ssl.truststore.type":                           "PEM",
		"ssl.truststore.location":                       caFile,
		"sasl.enabled.mechanisms":                       "PLAIN",
		"sasl.mechanism.inter.broker.protocol":          "PLAIN",
		"listener.name.sasl_ssl.plain.sasl.jaas.config": jaas,
		"offsets.topic.replication.factor":              "1",
	}
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Port: port, Props: props,
		ClientOpts: saslSSLClientOpts(ca.Pool(), "admin", secret)})

	out := runScript(t, dir, node, "kafkajs_sasl.js", addr, caFile, "js", secret, topic, fmt.Sprint(n))
	if got := strings.Count(out, "js-"); got != n {
		t.Fatalf("kafkajs read %d records, want %d:\n%s", got, n, out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "kafkajs_sasl.js", addr, caFile, "js", "wrong", topic, "1")
	cmd.Dir = dir
	wrong, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(wrong), "SASL") {
		t.Fatalf("wrong password: err %v, output:\n%s", err, wrong)
	}
	if strings.Contains(b.Logs(), secret) {
		t.Fatal("the broker log holds a password")
	}
	offsets, err := b.Admin().ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	offsets.Each(func(o kadm.ListedOffset) { total += o.Offset })
	if total != n {
		t.Fatalf("topic holds %d records after the refused login, want %d", total, n)
	}
}

// saslSSLClientOpts are the harness client's TLS and SASL PLAIN settings.
func saslSSLClientOpts(roots *x509.CertPool, user, pass string) []kgo.Opt {
	return []kgo.Opt{
		kgo.DialTLSConfig(&tls.Config{RootCAs: roots}),
		kgo.SASL(plain.Auth{User: user, Pass: pass}.AsMechanism()),
	}
}
