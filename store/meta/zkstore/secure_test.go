package zkstore_test

import (
	"context"
	"crypto/tls"
	"crypto/x509/pkix"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kqhq/kq/store/keystore/keystoretest"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/zkstore"
	"github.com/kqhq/kq/store/meta/zktest"
)

// TestTLSAndDigestACL connects to ZooKeeper's secure client port with a
// client certificate and digest credentials, and checks that znodes it
// creates are readable but not writable by an unauthenticated session, and
// that /config/users is not even readable.
func TestTLSAndDigestACL(t *testing.T) {
	dir := t.TempDir()
	ca := keystoretest.NewCA(t, "zk CA")
	srv := zktest.StartTLS(t, zktest.TLSFiles{
		KeyStore:   ca.Issue(t, pkix.Name{CommonName: "zookeeper"}, "127.0.0.1").WriteKeyStorePEM(t, filepath.Join(dir, "zk.pem")),
		TrustStore: ca.WriteTrustPEM(t, dir),
	})
	client := ca.Issue(t, pkix.Name{CommonName: "kq-broker"})
	tlsCfg := &tls.Config{RootCAs: ca.Pool(), Certificates: []tls.Certificate{client.TLSCertificate()}}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	owner, err := zkstore.Connect(ctx, srv.SecureAddr()+"/secured", 10*time.Second, 10*time.Second, nil,
		zkstore.WithTLS(tlsCfg), zkstore.WithDigest("kq", "zk-digest-secret"))
	if err != nil {
		t.Fatalf("connect over TLS with digest credentials: %v", err)
	}
	defer owner.Close()
	for _, p := range []string{"/brokers", "/config", "/config/users", "/config/users/alice"} {
		if _, err := owner.Create(ctx, p, []byte("x"), meta.Persistent); err != nil {
			t.Fatalf("create %s: %v", p, err)
		}
	}

	other, err := zkstore.Connect(ctx, srv.Addr()+"/secured", 10*time.Second, 10*time.Second, nil)
	if err != nil {
		t.Fatalf("connect without credentials: %v", err)
	}
	defer other.Close()
	if _, _, err := other.Get(ctx, "/brokers"); err != nil {
		t.Fatalf("an unauthenticated session cannot read /brokers: %v", err)
	}
	attempts := []struct {
		name string
		do   func() error
	}{
		{"set /brokers", func() error { _, err := other.Set(ctx, "/brokers", []byte("y"), -1); return err }},
		{"create under /brokers", func() error { _, err := other.Create(ctx, "/brokers/ids", nil, meta.Persistent); return err }},
		{"delete /brokers", func() error { return other.Delete(ctx, "/brokers", -1) }},
		{"read /config/users/alice", func() error { _, _, err := other.Get(ctx, "/config/users/alice"); return err }},
	}
	for _, a := range attempts {
		if err := a.do(); !errors.Is(err, meta.ErrNoAuth) {
			t.Errorf("%s without credentials: %v, want ErrNoAuth", a.name, err)
		}
	}
	if _, err := owner.Set(ctx, "/brokers", []byte("z"), -1); err != nil {
		t.Fatalf("the owner cannot write its own znode: %v", err)
	}
}

func TestTLSRefusals(t *testing.T) {
	dir := t.TempDir()
	ca := keystoretest.NewCA(t, "zk CA")
	srv := zktest.StartTLS(t, zktest.TLSFiles{
		KeyStore:   ca.Issue(t, pkix.Name{CommonName: "zookeeper"}, "127.0.0.1").WriteKeyStorePEM(t, filepath.Join(dir, "zk.pem")),
		TrustStore: ca.WriteTrustPEM(t, dir),
	})
	rogue := keystoretest.NewCA(t, "rogue")
	tests := []struct {
		name string
		addr string
		opts []zkstore.Option
	}{
		{"plaintext client on the secure port", srv.SecureAddr(), nil},
		{"no client certificate", srv.SecureAddr(), []zkstore.Option{zkstore.WithTLS(&tls.Config{RootCAs: ca.Pool()})}},
		{"server not trusted", srv.SecureAddr(), []zkstore.Option{zkstore.WithTLS(&tls.Config{RootCAs: rogue.Pool(),
			Certificates: []tls.Certificate{ca.Issue(t, pkix.Name{CommonName: "c"}).TLSCertificate()}})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, err := zkstore.Connect(ctx, tt.addr, 4*time.Second, 4*time.Second, nil, tt.opts...)
			if err == nil {
				s.Close()
				t.Fatal("connected")
			}
		})
	}
}
