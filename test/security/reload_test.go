package security

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

func TestCertificateReloadedWithoutRestart(t *testing.T) {
	p := newPKI(t)
	b := startSSLBroker(t, p, nil)
	if cn := serverCN(t, p, b.Addr); cn != "broker1" {
		t.Fatalf("server certificate CN %q, want broker1", cn)
	}
	renewed := p.ca.Issue(t, pkixName("broker1-renewed"), "127.0.0.1")
	ks := filepath.Join(p.dir, "broker1", "keystore.p12")
	renewed.WriteKeyStorePKCS12(t, ks, storePassword)
	future := time.Now().Add(time.Minute) // a new mtime even within the clock's granularity
	if err := os.Chtimes(ks, future, future); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, 10*time.Second, "renewed certificate served", func() error {
		if cn := serverCN(t, p, b.Addr); cn != "broker1-renewed" {
			return fmt.Errorf("server certificate CN %q", cn)
		}
		return nil
	})
	checkNoSecrets(t, b.Logs())
}

// serverCN is the common name of the certificate a new connection sees.
func serverCN(t *testing.T, p *pki, addr string) string {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(p.trusted.cert, p.trusted.key)
	if err != nil {
		t.Fatal(err)
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	c, err := tls.DialWithDialer(d, "tcp", addr, &tls.Config{RootCAs: p.ca.Pool(), Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatalf("TLS dial: %v", err)
	}
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0].Subject.CommonName
}

// TestKeyStoreLocationChangedDynamically points the SSL listener at another
// key store with kafka-configs' per-listener key, as Kafka rotates
// certificates: new connections get the new certificate.
func TestKeyStoreLocationChangedDynamically(t *testing.T) {
	p := newPKI(t)
	b := startSSLBroker(t, p, nil)
	next := p.ca.Issue(t, pkixName("broker1-dynamic"), "127.0.0.1").
		WriteKeyStorePKCS12(t, filepath.Join(p.dir, "broker1", "next.p12"), storePassword)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := b.Admin().AlterBrokerConfigs(ctx, []kadm.AlterConfig{
		{Name: "listener.name.ssl.ssl.keystore.location", Value: &next}}, 1)
	if err != nil || resp[0].Err != nil {
		t.Fatalf("alter broker config: %v %+v", err, resp)
	}
	harness.Eventually(t, 15*time.Second, "certificate from the new location served", func() error {
		if cn := serverCN(t, p, b.Addr); cn != "broker1-dynamic" {
			return fmt.Errorf("server certificate CN %q", cn)
		}
		return nil
	})
}
