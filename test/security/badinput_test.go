package security

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// apiVersionsFrame is a plaintext ApiVersions v0 request, size-prefixed.
func apiVersionsFrame() []byte {
	req := kmsg.NewPtrApiVersionsRequest()
	req.Version = 0
	body := req.AppendTo(nil)
	msg := binary.BigEndian.AppendUint16(nil, uint16(req.Key()))
	msg = binary.BigEndian.AppendUint16(msg, 0)
	msg = binary.BigEndian.AppendUint32(msg, 1) // correlation id
	msg = binary.BigEndian.AppendUint16(msg, 0) // empty client id
	msg = append(msg, body...)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(msg))), msg...)
}

// tlsGarbage is a TLS handshake record header followed by random bytes.
func tlsGarbage() []byte {
	junk := make([]byte, 512)
	_, _ = rand.Read(junk)
	return append([]byte{0x16, 0x03, 0x01, 0x02, 0x00}, junk...)
}

func TestHostileInputOnTLSPort(t *testing.T) {
	p := newPKI(t)
	b := startSSLBroker(t, p, nil)
	createTopic(t, b.Admin(), "still-serving", 1, 1)
	tests := []struct {
		name  string
		input []byte
	}{
		{"plaintext Kafka request", apiVersionsFrame()},
		{"TLS record header then garbage", tlsGarbage()},
		{"HTTP", []byte("GET / HTTP/1.1\r\nHost: kq\r\n\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := sendRaw(t, b.Addr, tt.input)
			// No Kafka response comes back: at most a TLS alert record (type
			// 0x15), then the broker closes the connection.
			if len(reply) > 0 && reply[0] != 0x15 {
				t.Fatalf("broker answered % x, want at most a TLS alert", reply[:min(len(reply), 16)])
			}
		})
	}
	// The broker keeps serving well-behaved clients.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Client().Ping(ctx); err != nil {
		t.Fatalf("broker stopped serving after hostile input: %v", err)
	}
	if !strings.Contains(b.Logs(), "tls_handshake") {
		t.Errorf("no connection closed for a failed TLS handshake in the broker log")
	}
	checkNoSecrets(t, b.Logs())
}

// sendRaw writes input to a fresh TCP connection and reads until the broker
// closes it; it fails the test if the broker keeps it open.
func sendRaw(t *testing.T, addr string, input []byte) []byte {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(input); err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadDeadline(time.Now().Add(8 * time.Second)); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("broker kept the connection open after % x...", input[:8])
	}
	return reply
}

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

func TestStartupRefusals(t *testing.T) {
	p := newPKI(t)
	tests := []struct {
		name    string
		props   map[string]string
		wantErr string
	}{
		{"SASL listener without SASL", map[string]string{"listeners": "SASL_SSL://127.0.0.1:0", "security.inter.broker.protocol": "SASL_SSL"}, "needs SASL authentication"},
		{"wrong key store password", map[string]string{"listeners": "SSL://127.0.0.1:0", "ssl.keystore.password": "not-the-" + storePassword[:4]}, "keystore.p12"},
		{"no key store", map[string]string{"listeners": "SSL://127.0.0.1:0", "ssl.keystore.location": ""}, "no key store"},
		{"bad mapping rule", map[string]string{"listeners": "SSL://127.0.0.1:0", "ssl.principal.mapping.rules": "RULE:x"}, "ssl.principal.mapping.rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := p.brokerStores(t, 1)
			props["broker.id"] = "1"
			props["log.dirs"] = t.TempDir()
			props["security.inter.broker.protocol"] = "SSL"
			for k, v := range tt.props {
				if v == "" {
					delete(props, k)
				} else {
					props[k] = v
				}
			}
			conf := filepath.Join(t.TempDir(), "server.properties")
			var sb strings.Builder
			for k, v := range props {
				fmt.Fprintf(&sb, "%s=%s\n", k, v)
			}
			if err := os.WriteFile(conf, []byte(sb.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			res := harness.KQWithin(t, 30*time.Second, "server", conf)
			if res.Code == 0 || !strings.Contains(res.Stderr, tt.wantErr) {
				t.Fatalf("kq server: exit %d, stderr %q; want a failure mentioning %q", res.Code, res.Stderr, tt.wantErr)
			}
			checkNoSecrets(t, res.Stdout+res.Stderr)
		})
	}
}
