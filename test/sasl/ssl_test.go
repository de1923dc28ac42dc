package sasl

import (
	"crypto/tls"
	"crypto/x509/pkix"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/keystore/keystoretest"
	"github.com/kqhq/kq/test/harness"
)

// TestSASLSSL: SASL over TLS. The only listener is SASL_SSL (inter-broker
// too); kcat produces and consumes with SCRAM-SHA-512 and PLAIN, franz-go
// with SCRAM-SHA-256, and a wrong password fails and writes nothing.
func TestSASLSSL(t *testing.T) {
	dir := t.TempDir()
	ca := keystoretest.NewCA(t, "kq sasl test CA")
	leaf := ca.Issue(t, pkix.Name{CommonName: "broker1"}, "127.0.0.1", "localhost")
	caFile := ca.WriteTrustPEM(t, dir)
	port := harness.FreePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	props := map[string]string{
		"listeners":                                     "SASL_SSL://" + addr,
		"security.inter.broker.protocol":                "SASL_SSL",
		"ssl.keystore.type":                             "PEM",
		"ssl.keystore.location":                         leaf.WriteKeyStorePEM(t, filepath.Join(dir, "keystore.pem")),
		"ssl.truststore.type":                           "PEM",
		"ssl.truststore.location":                       caFile,
		"sasl.enabled.mechanisms":                       "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN",
		"sasl.mechanism.inter.broker.protocol":          "PLAIN",
		"listener.name.sasl_ssl.plain.sasl.jaas.config": plainJAAS,
		"offsets.topic.replication.factor":              "1",
	}
	tlsOpt := kgo.DialTLSConfig(&tls.Config{RootCAs: ca.Pool()})
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Port: port, Props: props,
		ClientOpts: []kgo.Opt{tlsOpt, kgo.SASL(plainMech("admin", adminSecret))}})
	t.Cleanup(func() { checkNoSecrets(t, b.Logs()) })

	admin := []string{"-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanism=PLAIN",
		"-X", "sasl.username=admin", "-X", "sasl.password=" + adminSecret, "-X", "ssl.ca.location=" + caFile}
	res := harness.KQ(t, nil, append([]string{"configs", "--alter", "--entity-type", "users", "--entity-name", "alice",
		"--add-config", "SCRAM-SHA-256=[password=" + aliceSecret + "],SCRAM-SHA-512=[password=" + aliceSecret + "]",
		"--bootstrap-server", addr}, admin...)...)
	if res.Code != 0 {
		t.Fatalf("kq configs over SASL_SSL: %d %s", res.Code, res.Stderr)
	}
	for _, tt := range []struct{ mech, user, pass string }{
		{"SCRAM-SHA-512", "alice", aliceSecret},
		{"PLAIN", "bob", bobSecret},
	} {
		t.Run(tt.mech, func(t *testing.T) {
			topic := "ssl-" + strings.ToLower(tt.mech)
			flags := []string{"-b", addr, "-X", "security.protocol=SASL_SSL", "-X", "ssl.ca.location=" + caFile,
				"-X", "sasl.mechanism=" + tt.mech, "-X", "sasl.username=" + tt.user}
			res := harness.Kcat(t, strings.NewReader("one\ntwo\n"), append(flags, "-X", "sasl.password="+tt.pass, "-P", "-t", topic)...)
			if res.Code != 0 {
				t.Fatalf("produce: %s", res.Stderr)
			}
			res = harness.Kcat(t, nil, append(flags, "-X", "sasl.password="+tt.pass, "-C", "-t", topic, "-o", "beginning", "-e", "-q")...)
			if res.Code != 0 || res.Stdout != "one\ntwo\n" {
				t.Fatalf("consume: %q %s", res.Stdout, res.Stderr)
			}
			res = harness.Kcat(t, strings.NewReader("x\n"), append(flags, "-X", "sasl.password=wrong", "-P", "-t", topic)...)
			if !strings.Contains(res.Stderr, "Authentication failed") {
				t.Fatalf("wrong password: %s", res.Stderr)
			}
			if got := endOffset(t, b, topic); got != 2 {
				t.Fatalf("end offset %d, want 2", got)
			}
		})
	}
	if err := produceConsume(t, addr, "ssl-franz", scramSHA256("alice", aliceSecret), 3, tlsOpt); err != nil {
		t.Fatalf("franz-go SCRAM-SHA-256 over TLS: %v", err)
	}
}
