package tlsconf

import (
	"context"
	"crypto/tls"
	"crypto/x509/pkix"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/store/keystore"
	"github.com/kqhq/kq/store/keystore/keystoretest"
)

func pemSettings(keyStore, trustStore, clientAuth string) config.ListenerSSL {
	return config.ListenerSSL{
		KeyStore:         keystore.KeyStore{Type: "PEM", Location: keyStore},
		TrustStore:       keystore.TrustStore{Type: "PEM", Location: trustStore},
		ClientAuth:       clientAuth,
		EnabledProtocols: []string{"TLSv1.2", "TLSv1.3"}, EndpointIdentification: "https",
	}
}

// handshake connects a client to a server over a pipe and returns the
// server's leaf and both sides' errors.
func handshake(t *testing.T, server, client *tls.Config) (serverCN string, serverErr, clientErr error) {
	t.Helper()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		sc := tls.Server(a, server)
		err := sc.HandshakeContext(ctx)
		if err != nil {
			a.Close()
		}
		done <- err
	}()
	cc := tls.Client(b, client)
	clientErr = cc.HandshakeContext(ctx)
	if clientErr != nil {
		b.Close()
		return "", <-done, clientErr
	}
	serverCN = cc.ConnectionState().PeerCertificates[0].Subject.CommonName
	// In TLS 1.3 the server judges the client's certificate after the
	// client's handshake is done: read, so its verdict (an alert) arrives.
	read := make(chan error, 1)
	go func() {
		_, err := cc.Read(make([]byte, 1))
		read <- err
	}()
	serverErr = <-done
	a.Close()
	if err := <-read; serverErr != nil {
		clientErr = err
	}
	return serverCN, serverErr, clientErr
}

func TestServerReloadsChangedFiles(t *testing.T) {
	dir := t.TempDir()
	ca := keystoretest.NewCA(t, "ca")
	ks := ca.Issue(t, pkix.Name{CommonName: "first"}, "localhost").WriteKeyStorePEM(t, filepath.Join(dir, "ks.pem"))
	ts := ca.WriteTrustPEM(t, dir)
	r, err := NewServer(func() config.ListenerSSL { return pemSettings(ks, ts, "none") }, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	r.CheckInterval = 0
	client := &tls.Config{RootCAs: ca.Pool(), ServerName: "localhost"}

	steps := []struct {
		name   string
		change func()
		wantCN string
	}{
		{"initial", func() {}, "first"},
		{"key store replaced", func() {
			ca.Issue(t, pkix.Name{CommonName: "second"}, "localhost").WriteKeyStorePEM(t, ks)
			bumpMtime(t, ks)
		}, "second"},
		{"broken file keeps the previous certificate", func() {
			if err := os.WriteFile(ks, []byte("half a file"), 0o600); err != nil {
				t.Fatal(err)
			}
			bumpMtime(t, ks)
		}, "second"},
	}
	for _, s := range steps {
		s.change()
		cn, serr, cerr := handshake(t, r.ServerConfig(), client)
		if serr != nil || cerr != nil || cn != s.wantCN {
			t.Fatalf("%s: server certificate %q (server err %v, client err %v), want %q", s.name, cn, serr, cerr, s.wantCN)
		}
	}
}

// bumpMtime moves the file's modification time forward, so a rewrite within
// the file system's timestamp granularity is still seen as a change.
func bumpMtime(t *testing.T, path string) {
	future := time.Now().Add(time.Duration(mtimeBump.Add(1)) * time.Second)
	if err := os.Chtimes(path, future, future); err != nil {
		t.Fatal(err)
	}
}

var mtimeBump atomic.Int64

func TestServerSettingsChangeReloads(t *testing.T) {
	dir := t.TempDir()
	ca := keystoretest.NewCA(t, "ca")
	first := ca.Issue(t, pkix.Name{CommonName: "first"}, "localhost").WriteKeyStorePEM(t, filepath.Join(dir, "a.pem"))
	second := ca.Issue(t, pkix.Name{CommonName: "second"}, "localhost").WriteKeyStorePEM(t, filepath.Join(dir, "b.pem"))
	ts := ca.WriteTrustPEM(t, dir)
	var location atomic.Value
	location.Store(first)
	r, err := NewServer(func() config.ListenerSSL { return pemSettings(location.Load().(string), ts, "none") }, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	r.CheckInterval = 0
	location.Store(second) // as a dynamic listener.name.<l>.ssl.keystore.location change does
	cn, serr, cerr := handshake(t, r.ServerConfig(), &tls.Config{RootCAs: ca.Pool(), ServerName: "localhost"})
	if serr != nil || cerr != nil || cn != "second" {
		t.Fatalf("after a settings change: %q (%v, %v), want second", cn, serr, cerr)
	}
}

func TestClientAuthAndVerification(t *testing.T) {
	dir := t.TempDir()
	ca := keystoretest.NewCA(t, "ca")
	other := keystoretest.NewCA(t, "other")
	serverKS := ca.Issue(t, pkix.Name{CommonName: "broker"}, "localhost").WriteKeyStorePEM(t, filepath.Join(dir, "server.pem"))
	trusted := ca.Issue(t, pkix.Name{CommonName: "client"}).WriteKeyStorePEM(t, filepath.Join(dir, "client.pem"))
	untrusted := other.Issue(t, pkix.Name{CommonName: "intruder"}).WriteKeyStorePEM(t, filepath.Join(dir, "intruder.pem"))
	ts := ca.WriteTrustPEM(t, dir)
	tests := []struct {
		name                 string
		clientAuth           string
		clientKS, serverName string
		identification       string
		wantErr              string // in the client's or server's error
	}{
		{"required with a trusted certificate", "required", trusted, "localhost", "https", ""},
		{"required without a certificate", "required", "", "localhost", "https", "certificate"},
		{"required with an untrusted certificate", "required", untrusted, "localhost", "https", "certificate"},
		{"requested without a certificate", "requested", "", "localhost", "https", ""},
		{"host name checked with https", "none", "", "wrong.example", "https", "wrong.example"},
		{"host name not checked when empty", "none", "", "wrong.example", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := NewServer(func() config.ListenerSSL { return pemSettings(serverKS, ts, tt.clientAuth) }, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			cs := pemSettings(tt.clientKS, ts, "none")
			cs.EndpointIdentification = tt.identification
			if tt.clientKS == "" {
				cs.KeyStore = keystore.KeyStore{}
			}
			cl, err := NewClient(func() config.ListenerSSL { return cs }, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			clientCfg := cl.ClientConfig()
			clientCfg.ServerName = tt.serverName
			_, serr, cerr := handshake(t, srv.ServerConfig(), clientCfg)
			switch {
			case tt.wantErr == "" && (serr != nil || cerr != nil):
				t.Fatalf("handshake failed: server %v, client %v", serr, cerr)
			case tt.wantErr != "" && serr == nil && cerr == nil:
				t.Fatalf("handshake succeeded, want a failure about %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(errText(serr)+errText(cerr), tt.wantErr):
				t.Fatalf("handshake errors %v / %v, want one about %q", serr, cerr, tt.wantErr)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestNewServerNeedsAKeyStore(t *testing.T) {
	_, err := NewServer(func() config.ListenerSSL { return pemSettings("", "", "none") }, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "no key store") {
		t.Fatalf("NewServer without a key store: %v", err)
	}
}
