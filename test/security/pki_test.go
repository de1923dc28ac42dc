package security

import (
	"crypto/tls"
	"crypto/x509/pkix"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/keystore/keystoretest"
	"github.com/kqhq/kq/test/harness"
)

// Passwords the tests look for in logs: none may appear.
const (
	storePassword = "store-pass-8c1f"
	trustPassword = "trust-pass-5e2a"
)

// pki is one test's CA, with a client certificate it signed and one from
// an unrelated CA, written as kcat reads them.
type pki struct {
	dir     string
	ca      *keystoretest.CA
	trusted clientFiles
	rogue   clientFiles
}

type clientFiles struct{ key, cert, ca string }

func newPKI(t testing.TB) *pki {
	t.Helper()
	p := &pki{dir: t.TempDir(), ca: keystoretest.NewCA(t, "kq test CA")}
	p.trusted = writeClient(t, p.ca.Issue(t, pkix.Name{CommonName: "alice", Organization: []string{"Example"}}), filepath.Join(p.dir, "alice"))
	rogueCA := keystoretest.NewCA(t, "rogue CA")
	p.rogue = writeClient(t, rogueCA.Issue(t, pkix.Name{CommonName: "mallory"}), filepath.Join(p.dir, "mallory"))
	p.rogue.ca = p.ca.WriteTrustPEM(t, filepath.Join(p.dir, "mallory")) // mallory trusts the broker
	return p
}

func writeClient(t testing.TB, l *keystoretest.Leaf, dir string) clientFiles {
	if err := mkdir(dir); err != nil {
		t.Fatal(err)
	}
	key, cert, ca := l.WriteFiles(t, dir)
	return clientFiles{key: key, cert: cert, ca: ca}
}

// brokerStores writes a broker's PKCS12 key store (certificate for
// 127.0.0.1 and localhost) and a JKS trust store holding the CA, and
// returns the ssl.* properties naming them.
func (p *pki) brokerStores(t testing.TB, id int32) map[string]string {
	dir := filepath.Join(p.dir, fmt.Sprintf("broker%d", id))
	if err := mkdir(dir); err != nil {
		t.Fatal(err)
	}
	leaf := p.ca.Issue(t, pkix.Name{CommonName: fmt.Sprintf("broker%d", id)}, "127.0.0.1", "localhost")
	return map[string]string{
		"ssl.keystore.type":       "PKCS12",
		"ssl.keystore.location":   leaf.WriteKeyStorePKCS12(t, filepath.Join(dir, "keystore.p12"), storePassword),
		"ssl.keystore.password":   storePassword,
		"ssl.truststore.type":     "JKS",
		"ssl.truststore.location": p.ca.WriteTrustJKS(t, filepath.Join(dir, "truststore.jks"), trustPassword),
		"ssl.truststore.password": trustPassword,
	}
}

// clientTLS is a franz-go dial option trusting the CA, with the trusted
// client certificate when withCert.
func (p *pki) clientTLS(t testing.TB, withCert bool) kgo.Opt {
	cfg := &tls.Config{RootCAs: p.ca.Pool()}
	if withCert {
		cert, err := tls.LoadX509KeyPair(p.trusted.cert, p.trusted.key)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return kgo.DialTLSConfig(cfg)
}

// startSSLBroker starts a broker whose only listener is SSL with mutual TLS
// required, on the embedded metadata store.
func startSSLBroker(t *testing.T, p *pki, extra map[string]string) *harness.Broker {
	port := harness.FreePort(t)
	props := p.brokerStores(t, 1)
	props["listeners"] = fmt.Sprintf("SSL://127.0.0.1:%d", port)
	props["security.inter.broker.protocol"] = "SSL"
	props["ssl.client.auth"] = "required"
	for k, v := range extra {
		props[k] = v
	}
	return harness.StartBroker(t, harness.Options{BrokerID: 1, Port: port, Props: props,
		ClientOpts: []kgo.Opt{p.clientTLS(t, true)}, ServerArgs: []string{"--log-level", "debug"}})
}

// kcatSSL are kcat's options for this client over SSL.
func kcatSSL(addr string, c clientFiles) []string {
	return []string{"-b", addr, "-X", "security.protocol=SSL", "-X", "ssl.ca.location=" + c.ca,
		"-X", "ssl.certificate.location=" + c.cert, "-X", "ssl.key.location=" + c.key}
}
