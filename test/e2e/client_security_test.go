package e2e

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// Until kq's broker serves TLS itself, these tests put a TLS-terminating
// proxy in front of a real kq server whose advertised listener is the
// proxy, so the client's TLS settings meet a real handshake.

// tlsBroker starts a kq server behind a TLS proxy serving config and
// returns the proxy (its Addr is what clients dial). Every client must
// speak TLS, even to create a topic: the broker advertises the proxy.
func tlsBroker(t *testing.T, config *tls.Config) *harness.TLSProxy {
	t.Helper()
	proxy := harness.StartTLSProxy(t, config)
	_, port, _ := net.SplitHostPort(proxy.Addr)
	// Controlled shutdown would dial the advertised (TLS) address in
	// plaintext and wait for its timeout.
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{
		"advertised.listeners": "PLAINTEXT://127.0.0.1:" + port, "controlled.shutdown.enable": "false"}})
	proxy.Serve(b.Addr)
	return proxy
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
	addr := tlsBroker(t, &tls.Config{Certificates: []tls.Certificate{server.TLS}}).Addr
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
	addr := tlsBroker(t, &tls.Config{Certificates: []tls.Certificate{server.TLS}}).Addr
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
	addr := tlsBroker(t, &tls.Config{Certificates: []tls.Certificate{server.TLS},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.Pool()}).Addr
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
		{"PKCS12 stores", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.PKCS12TrustStore(t, "trust-pw"),
			"ssl.truststore.type": "PKCS12", "ssl.truststore.password": "trust-pw", "ssl.keystore.location": client.PKCS12(t, "store-pw"),
			"ssl.keystore.type": "PKCS12", "ssl.keystore.password": "store-pw"}, 0, ""},
		{"JKS stores, types told from content", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.JKSTrustStore(t, "trust-pw"),
			"ssl.truststore.password": "trust-pw", "ssl.keystore.location": client.JKS(t, "store-pw", "key-pw"),
			"ssl.keystore.password": "store-pw", "ssl.key.password": "key-pw"}, 0, ""},
		{"encrypted PEM key", ssl(map[string]string{"ssl.keystore.type": "PEM", "ssl.keystore.certificate.chain": string(client.CertPEM),
			"ssl.keystore.key": string(client.EncryptedKeyPEM(t, "key-pw")), "ssl.key.password": "key-pw"}), 0, ""},
		{"wrong keystore password", ssl(map[string]string{"ssl.keystore.location": client.PKCS12(t, "store-pw"),
			"ssl.keystore.type": "PKCS12", "ssl.keystore.password": "wrong-store-pw"}), 2, "key store"},
	}, "store-pw", "key-pw", "trust-pw")
}

// TestClientTLSProduceConsume: kq produce and kq consume over TLS with
// Kafka's console tool flags for their property files, and the same
// settings from a profile.
func TestClientTLSProduceConsume(t *testing.T) {
	ca := harness.NewCA(t, "kq-test")
	server, client := ca.Issue(t, "broker", "127.0.0.1"), ca.Issue(t, "alice")
	addr := tlsBroker(t, &tls.Config{Certificates: []tls.Certificate{server.TLS},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.Pool()}).Addr
	props := writeProps(t, map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.CertFile,
		"ssl.keystore.location": client.BothFile})
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
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	profile := fmt.Sprintf("current-profile: secured\nprofiles:\n  secured:\n    bootstrap-server: %s\n    command-config: %s\n", addr, props)
	if err := os.WriteFile(cfg, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	res = harness.KQEnv(t, []string{"KQ_CONFIG=" + cfg}, nil, "topics", "--list")
	if res.Code != 0 || !strings.Contains(res.Stdout, "secured") {
		t.Fatalf("profile: exit %d stdout %q: %s", res.Code, res.Stdout, res.Stderr)
	}
}

// TestClientSSLListener: the client's TLS settings against kq's own SSL
// listener requiring client certificates (ssl.client.auth=required).
func TestClientSSLListener(t *testing.T) {
	ca, other := harness.NewCA(t, "kq-test"), harness.NewCA(t, "other")
	server, client := ca.Issue(t, "broker", "127.0.0.1", "localhost"), ca.Issue(t, "alice")
	port, sslPort := harness.FreePort(t), harness.FreePort(t)
	sslAddr := fmt.Sprintf("127.0.0.1:%d", sslPort)
	skipUnlessServed(t, "ssl.keystore.location")
	harness.StartBroker(t, harness.Options{BrokerID: 1, Port: port, Props: map[string]string{
		"listeners":               fmt.Sprintf("PLAINTEXT://127.0.0.1:%d,SSL://%s", port, sslAddr),
		"ssl.keystore.location":   server.BothFile,
		"ssl.keystore.type":       "PEM",
		"ssl.truststore.location": ca.CertFile,
		"ssl.truststore.type":     "PEM",
		"ssl.client.auth":         "required",
	}})
	trusted := map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.CertFile}
	withKey := map[string]string{"ssl.keystore.location": client.PKCS12(t, "store-pw"), "ssl.keystore.password": "store-pw"}
	for k, v := range trusted {
		withKey[k] = v
	}
	runSecurityCases(t, sslAddr, []securityCase{
		{"mutual TLS", withKey, 0, ""},
		{"no client certificate", trusted, 4, "TLS handshake failed: the broker refused it"},
		{"untrusted broker", map[string]string{"security.protocol": "SSL", "ssl.truststore.location": other.CertFile}, 4,
			"TLS handshake failed: the broker's certificate is not signed by a trusted CA"},
		{"plaintext client", map[string]string{}, 4, "TLS"},
	}, "store-pw")
}
