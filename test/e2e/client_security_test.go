package e2e

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
	"github.com/twmb/franz-go/pkg/kfake"
)

// These tests run the kq binary against franz-go's kfake, an independent
// implementation of Kafka's TLS and SASL server side, so the client's
// properties are checked against a server kq did not write.

const (
	scramModule = "org.apache.kafka.common.security.scram.ScramLoginModule"
	plainModule = "org.apache.kafka.common.security.plain.PlainLoginModule"
	oauthModule = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
)

// fakeCluster starts a one-broker kfake cluster with opts and returns its
// address.
func fakeCluster(t *testing.T, opts ...kfake.Opt) string {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.SeedTopics(1, "secured")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()[0]
}

// writeProps writes a client properties file; a value holding newlines
// (PEM text) is written with line continuations, as people write it.
func writeProps(t *testing.T, props map[string]string) string {
	t.Helper()
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	for _, k := range keys {
		v := strings.ReplaceAll(strings.TrimSpace(props[k]), "\n", " \\\n    ")
		fmt.Fprintf(&sb, "%s=%s\n", k, v)
	}
	path := filepath.Join(t.TempDir(), "client.properties")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func jaas(module, user, pass string) string {
	return fmt.Sprintf(`%s required username="%s" password="%s";`, module, user, pass)
}

type securityCase struct {
	name     string
	props    map[string]string
	wantCode int
	wantErr  string // in stderr
}

// runSecurityCases lists topics with each case's --command-config and
// checks the exit code and message; no secret may appear in the output.
func runSecurityCases(t *testing.T, addr string, cases []securityCase, secrets ...string) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := harness.KQ(t, nil, "topics", "--list", "--bootstrap-server", addr, "--command-config", writeProps(t, tc.props))
			t.Logf("exit %d, stderr: %s", res.Code, res.Stderr)
			if res.Code != tc.wantCode || !strings.Contains(res.Stderr, tc.wantErr) {
				t.Fatalf("exit %d, want %d; stderr %q, want %q", res.Code, tc.wantCode, res.Stderr, tc.wantErr)
			}
			if tc.wantCode == 0 && !strings.Contains(res.Stdout, "secured") {
				t.Fatalf("stdout %q lacks the topic", res.Stdout)
			}
			for _, s := range secrets {
				if strings.Contains(res.Stdout+res.Stderr, s) {
					t.Fatalf("a secret is shown: %s%s", res.Stdout, res.Stderr)
				}
			}
		})
	}
}

func TestClientTLS(t *testing.T) {
	ca, other := harness.NewCA(t, "kq-test"), harness.NewCA(t, "other")
	server := ca.Issue(t, "broker", "localhost", "127.0.0.1")
	addr := fakeCluster(t, kfake.TLS(&tls.Config{Certificates: []tls.Certificate{server.TLS}}))
	runSecurityCases(t, addr, []securityCase{
		{"truststore PEM file", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.CertFile}, 0, ""},
		{"truststore type given", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.CertFile, "ssl.truststore.type": "PEM"}, 0, ""},
		{"truststore as PEM text", map[string]string{"security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.certificates": string(ca.CertPEM)}, 0, ""},
		{"librdkafka's ssl.ca.location", map[string]string{"security.protocol": "SSL", "ssl.ca.location": ca.CertFile}, 0, ""},
		{"untrusted CA", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": other.CertFile}, 4,
			"TLS handshake failed: the broker's certificate is not signed by a trusted CA"},
		{"system roots do not know the test CA", map[string]string{"security.protocol": "SSL"}, 4, "TLS handshake failed"},
		{"plaintext client on a TLS listener", map[string]string{}, 4, "TLS"},
	})
}

func TestClientTLSHostnameCheck(t *testing.T) {
	ca := harness.NewCA(t, "kq-test")
	server := ca.Issue(t, "broker", "broker.example")
	addr := fakeCluster(t, kfake.TLS(&tls.Config{Certificates: []tls.Certificate{server.TLS}}))
	runSecurityCases(t, addr, []securityCase{
		{"name mismatch", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.CertFile}, 4,
			"TLS handshake failed: the broker's certificate is not valid for 127.0.0.1"},
		{"empty algorithm skips the name check", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.CertFile,
			"ssl.endpoint.identification.algorithm": ""}, 0, ""},
	})
	other := harness.NewCA(t, "other")
	runSecurityCases(t, addr, []securityCase{
		{"the chain is still checked", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": other.CertFile,
			"ssl.endpoint.identification.algorithm": ""}, 4, "TLS handshake failed"},
	})
}

func TestClientMutualTLS(t *testing.T) {
	ca := harness.NewCA(t, "kq-test")
	server, client := ca.Issue(t, "broker", "127.0.0.1"), ca.Issue(t, "alice")
	addr := fakeCluster(t, kfake.TLS(&tls.Config{Certificates: []tls.Certificate{server.TLS},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.Pool()}))
	ssl := func(more map[string]string) map[string]string {
		props := map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.CertFile}
		for k, v := range more {
			props[k] = v
		}
		return props
	}
	runSecurityCases(t, addr, []securityCase{
		{"no client certificate", ssl(nil), 4, "TLS handshake failed: the broker refused it"},
		{"PEM keystore file", ssl(map[string]string{"ssl.keystore.location": client.BothFile, "ssl.keystore.type": "PEM"}), 0, ""},
		{"PEM keystore file, type told from content", ssl(map[string]string{"ssl.keystore.location": client.BothFile}), 0, ""},
		{"PEM text keystore", ssl(map[string]string{"ssl.keystore.type": "PEM", "ssl.keystore.certificate.chain": string(client.CertPEM),
			"ssl.keystore.key": string(client.KeyPEM)}), 0, ""},
		{"librdkafka's certificate and key", ssl(map[string]string{"ssl.certificate.location": client.CertFile, "ssl.key.location": client.KeyFile}), 0, ""},
	})
}

func TestClientSASL(t *testing.T) {
	addr := fakeCluster(t, kfake.EnableSASL(),
		kfake.Superuser("PLAIN", "plain-user", "plain-secret"),
		kfake.Superuser("SCRAM-SHA-256", "scram256", "scram256-secret"),
		kfake.Superuser("SCRAM-SHA-512", "scram512", "scram512-secret"))
	sasl := func(mech, module, user, pass string) map[string]string {
		return map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": mech, "sasl.jaas.config": jaas(module, user, pass)}
	}
	const wrong = "not-the-password"
	// kfake closes the connection on bad credentials where Kafka answers
	// SASL_AUTHENTICATION_FAILED; retries=0 spares the client's retries.
	bad := func(mech, module, user string) map[string]string {
		props := sasl(mech, module, user, wrong)
		props["retries"] = "0"
		return props
	}
	runSecurityCases(t, addr, []securityCase{
		{"PLAIN", sasl("PLAIN", plainModule, "plain-user", "plain-secret"), 0, ""},
		{"SCRAM-SHA-256", sasl("SCRAM-SHA-256", scramModule, "scram256", "scram256-secret"), 0, ""},
		{"SCRAM-SHA-512", sasl("SCRAM-SHA-512", scramModule, "scram512", "scram512-secret"), 0, ""},
		{"librdkafka's sasl.username", map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-512",
			"sasl.username": "scram512", "sasl.password": "scram512-secret"}, 0, ""},
		{"PLAIN wrong password", bad("PLAIN", plainModule, "plain-user"), 4, "SASL authentication failed"},
		{"SCRAM-SHA-256 wrong password", bad("SCRAM-SHA-256", scramModule, "scram256"), 4, "SASL authentication failed"},
		{"SCRAM-SHA-512 unknown user", bad("SCRAM-SHA-512", scramModule, "mallory"), 4, "SASL authentication failed"},
		{"mechanism the broker lacks", map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "OAUTHBEARER",
			"sasl.jaas.config": oauthModule + ` required unsecuredLoginStringClaim_sub="alice";`}, 4, "SASL failed: the broker does not enable this sasl.mechanism"},
		{"no SASL on a SASL listener", map[string]string{}, 4, "SASL"},
		{"no sasl.mechanism (Kafka's GSSAPI)", map[string]string{"security.protocol": "SASL_PLAINTEXT",
			"sasl.jaas.config": jaas(plainModule, "plain-user", "plain-secret")}, 2, "GSSAPI"},
		{"malformed JAAS", map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN",
			"sasl.jaas.config": plainModule + ` required username="plain-user" password="` + wrong}, 2, "sasl.jaas.config syntax"},
	}, wrong, "plain-secret", "scram256-secret", "scram512-secret")
}

// TestClientSASLSSLProduceConsume: kq produce and kq consume over SASL_SSL
// with Kafka's console tool flags for their property files.
func TestClientSASLSSLProduceConsume(t *testing.T) {
	ca := harness.NewCA(t, "kq-test")
	server := ca.Issue(t, "broker", "127.0.0.1")
	addr := fakeCluster(t, kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-512", "alice", "alice-secret"),
		kfake.TLS(&tls.Config{Certificates: []tls.Certificate{server.TLS}}))
	props := writeProps(t, map[string]string{"security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512",
		"sasl.jaas.config": jaas(scramModule, "alice", "alice-secret"), "ssl.truststore.location": ca.CertFile})
	in := "one\ntwo\nthree\n"
	if res := harness.KQ(t, strings.NewReader(in), "produce", "-b", addr, "--topic", "secured", "--producer.config", props,
		"--producer-property", "linger.ms=5"); res.Code != 0 {
		t.Fatalf("produce: exit %d: %s", res.Code, res.Stderr)
	}
	res := harness.KQ(t, nil, "consume", "-b", addr, "--topic", "secured", "--consumer.config", props,
		"--consumer-property", "auto.offset.reset=earliest", "--exit-at-end")
	if res.Code != 0 || res.Stdout != in {
		t.Fatalf("consume: exit %d stdout %q: %s", res.Code, res.Stdout, res.Stderr)
	}
	// The same settings from a profile.
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	profile := fmt.Sprintf("current-profile: fake\nprofiles:\n  fake:\n    bootstrap-server: %s\n    command-config: %s\n", addr, props)
	if err := os.WriteFile(cfg, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	res = harness.KQEnv(t, []string{"KQ_CONFIG=" + cfg}, nil, "topics", "--list")
	if res.Code != 0 || !strings.Contains(res.Stdout, "secured") {
		t.Fatalf("profile: exit %d stdout %q: %s", res.Code, res.Stdout, res.Stderr)
	}
}
