package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/sasl"
	"github.com/kqhq/kq/store/keystore/keystoretest"
)

// principalRecorder is a handler that remembers the ConnInfo of each request.
type principalRecorder struct {
	*fakeHandler
	mu    sync.Mutex
	conns []ConnInfo
}

func newPrincipalRecorder() *principalRecorder {
	r := &principalRecorder{fakeHandler: newFakeHandler()}
	r.handle = func(_ context.Context, req *Request) (*Response, error) {
		r.mu.Lock()
		r.conns = append(r.conns, req.Conn)
		r.mu.Unlock()
		return &Response{Msg: req.Body.ResponseKind()}, nil
	}
	return r
}

func (r *principalRecorder) last() ConnInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conns[len(r.conns)-1]
}

func TestTLSListenerPrincipal(t *testing.T) {
	ca := keystoretest.NewCA(t, "ca")
	serverCert := ca.Issue(t, pkix.Name{CommonName: "broker"}, "127.0.0.1").TLSCertificate()
	alice := ca.Issue(t, pkix.Name{CommonName: "alice", Organization: []string{"Example"}}).TLSCertificate()
	bob := ca.Issue(t, pkix.Name{CommonName: "bob"}).TLSCertificate()
	mapper := func(cert *x509.Certificate) (string, error) {
		if cert.Subject.CommonName == "bob" {
			return "", errors.New("no rules apply to CN=bob")
		}
		return DefaultSSLPrincipal(cert)
	}
	tests := []struct {
		name          string
		protocol      string
		clientCert    *tls.Certificate
		wantPrincipal string // "" means the connection must be refused
	}{
		{"no client certificate", ProtocolSSL, nil, AnonymousPrincipal},
		{"client certificate", ProtocolSSL, &alice, "User:CN=alice,O=Example"},
		{"mapping rule fails", ProtocolSSL, &bob, ""},
		{"SASL_SSL: SASL names the principal, not the certificate", ProtocolSASLSSL, &bob, "User:carol"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newPrincipalRecorder()
			h.versions[saslHandshakeKey], h.versions[saslAuthenticateKey] = [2]int16{0, 1}, [2]int16{0, 2}
			l := Listener{Name: "SECURE", Address: "127.0.0.1:0", SecurityProtocol: tt.protocol,
				TLS:          &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientCAs: ca.Pool(), ClientAuth: tls.VerifyClientCertIfGiven},
				SSLPrincipal: mapper}
			if tt.protocol == ProtocolSASLSSL {
				l.SASL = &sasl.Listener{Mechanisms: []string{sasl.Plain}, PlainUsers: sasl.PlainUsers{"carol": "carol-secret"}}
			}
			s := startServer(t, Config{Listeners: []Listener{l}}, h)
			cfg := &tls.Config{RootCAs: ca.Pool()}
			if tt.clientCert != nil {
				cfg.Certificates = []tls.Certificate{*tt.clientCert}
			}
			nc, err := tls.Dial("tcp", s.addr, cfg)
			if err != nil {
				t.Fatalf("TLS dial: %v", err)
			}
			t.Cleanup(func() { _ = nc.Close() })
			c := newTestClient(t, nc)
			if l.SASL != nil {
				plainLogin(c, "carol", "carol-secret")
			}
			req := kmsg.NewPtrMetadataRequest()
			req.SetVersion(12)
			c.send(req)
			_, err = c.readFrame()
			if tt.wantPrincipal == "" {
				if err == nil {
					t.Fatal("a refused certificate got an answer")
				}
				waitFor(t, "authentication close counted", func() bool { return s.closedCount(reasonAuthentication) == 1 })
				return
			}
			if err != nil {
				t.Fatalf("read response: %v", err)
			}
			if got := h.last(); got.Principal != tt.wantPrincipal || got.SecurityProtocol != tt.protocol {
				t.Fatalf("ConnInfo %+v, want principal %q over %s", got, tt.wantPrincipal, tt.protocol)
			}
		})
	}
}

func TestTLSListenerRefusesPlaintext(t *testing.T) {
	ca := keystoretest.NewCA(t, "ca")
	serverCert := ca.Issue(t, pkix.Name{CommonName: "broker"}, "127.0.0.1").TLSCertificate()
	h := newPrincipalRecorder()
	s := startServer(t, Config{Listeners: []Listener{{Name: "SSL", Address: "127.0.0.1:0", SecurityProtocol: ProtocolSSL,
		TLS: &tls.Config{Certificates: []tls.Certificate{serverCert}}}}}, h)
	c := dialClient(t, s.addr)
	req := kmsg.NewPtrApiVersionsRequest()
	c.send(req)
	if frame, err := c.readFrame(); err == nil {
		t.Fatalf("a plaintext request on a TLS listener was answered: % x", frame)
	}
	waitFor(t, "handshake failure counted", func() bool { return s.closedCount(reasonTLSHandshake) == 1 })
	if len(h.handledIDs()) != 0 {
		t.Fatal("the handler saw a request from a connection that never completed TLS")
	}
}

func TestPlaintextPrincipalAndValidation(t *testing.T) {
	h := newPrincipalRecorder()
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	c.send(kmsg.NewPtrApiVersionsRequest())
	if _, err := c.readFrame(); err != nil {
		t.Fatal(err)
	}
	if got := h.last(); got.Principal != AnonymousPrincipal || got.SecurityProtocol != ProtocolPlaintext {
		t.Fatalf("ConnInfo %+v, want User:ANONYMOUS over PLAINTEXT", got)
	}
	for _, l := range []Listener{
		{Name: "SSL", Address: "127.0.0.1:0", SecurityProtocol: ProtocolSSL},
		{Name: "X", Address: "127.0.0.1:0", SecurityProtocol: "GOPHER"},
	} {
		if _, err := New(Config{Listeners: []Listener{l}}, h); err == nil {
			t.Errorf("New accepted listener %+v", l)
		}
	}
}
