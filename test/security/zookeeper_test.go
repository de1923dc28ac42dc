package security

import (
	"context"
	"crypto/x509/pkix"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/zkstore"
	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

const zkDigestPassword = "zk-digest-pass-77d1"

// TestBrokerOnTLSZooKeeperWithACLs runs a broker that reaches ZooKeeper only
// through its TLS port, with a client certificate, and creates its znodes
// with zookeeper.set.acl=true: another session reads them but cannot
// change them.
func TestBrokerOnTLSZooKeeperWithACLs(t *testing.T) {
	p := newPKI(t)
	dir := filepath.Join(p.dir, "zk")
	if err := mkdir(dir); err != nil {
		t.Fatal(err)
	}
	srv := zktest.StartTLS(t, zktest.TLSFiles{
		KeyStore:   p.ca.Issue(t, pkix.Name{CommonName: "zookeeper"}, "127.0.0.1").WriteKeyStorePEM(t, filepath.Join(dir, "zk.pem")),
		TrustStore: p.ca.WriteTrustPEM(t, dir),
	})
	brokerKS := p.ca.Issue(t, pkix.Name{CommonName: "broker-zk-client"}).WriteKeyStorePEM(t, filepath.Join(dir, "broker-client.pem"))
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Zookeeper: srv.SecureAddr() + "/kq", Props: map[string]string{
		"zookeeper.ssl.client.enable":       "true",
		"zookeeper.clientCnxnSocket":        "org.apache.zookeeper.ClientCnxnSocketNetty",
		"zookeeper.ssl.keystore.location":   brokerKS, // type from the .pem extension, as ZooKeeper does
		"zookeeper.ssl.truststore.location": filepath.Join(dir, "ca.pem"),
		"zookeeper.set.acl":                 "true",
		"kq.zookeeper.digest.credentials":   "kq:" + zkDigestPassword,
	}})
	createTopic(t, b.Admin(), "acl-protected", 1, 1)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	other, err := zkstore.Connect(ctx, srv.Addr()+"/kq", 10*time.Second, 10*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, _, err := other.Get(ctx, "/brokers/topics/acl-protected"); err != nil {
		t.Fatalf("the topic's znode is not readable: %v", err)
	}
	attempts := []struct {
		name string
		do   func() error
	}{
		{"rewrite the topic's assignment", func() error {
			_, err := other.Set(ctx, "/brokers/topics/acl-protected", []byte(`{"version":1,"partitions":{}}`), -1)
			return err
		}},
		{"queue a topic deletion", func() error {
			_, err := other.Create(ctx, "/admin/delete_topics/acl-protected", nil, meta.Persistent)
			return err
		}},
		{"register a broker", func() error {
			_, err := other.Create(ctx, "/brokers/ids/99", []byte("{}"), meta.Ephemeral)
			return err
		}},
	}
	for _, a := range attempts {
		if err := a.do(); !errors.Is(err, meta.ErrNoAuth) {
			t.Errorf("%s without ZooKeeper credentials: %v, want ErrNoAuth", a.name, err)
		}
	}
	if logs := b.Logs(); strings.Contains(logs, zkDigestPassword) {
		t.Fatalf("the ZooKeeper password appears in the broker log:\n%s", logs)
	}
	toolsOnTLSZooKeeper(t, srv.SecureAddr()+"/kq", dir, p)
}

// toolsOnTLSZooKeeper: the --zookeeper tools reach the same ZooKeeper
// through its TLS port with --zk-tls-config-file, as Kafka's do; with the
// broker's digest credentials in the file they may write the owner-only
// /config/users, without them they are refused.
func toolsOnTLSZooKeeper(t *testing.T, connect, dir string, p *pki) {
	toolKS := p.ca.Issue(t, pkix.Name{CommonName: "tool-zk-client"}).WriteKeyStorePEM(t, filepath.Join(dir, "tool-client.pem"))
	tlsOnly := harness.WriteProperties(t, map[string]string{
		"zookeeper.ssl.client.enable":       "true",
		"zookeeper.ssl.keystore.location":   toolKS,
		"zookeeper.ssl.truststore.location": filepath.Join(dir, "ca.pem"),
		"client.id":                         "ignored",
	})
	withDigest := harness.WriteProperties(t, map[string]string{
		"zookeeper.ssl.client.enable":       "true",
		"zookeeper.ssl.keystore.location":   toolKS,
		"zookeeper.ssl.truststore.location": filepath.Join(dir, "ca.pem"),
		"kq.zookeeper.digest.credentials":   "kq:" + zkDigestPassword,
	})
	res := harness.KQWithin(t, 60*time.Second, "topics", "--zookeeper", connect, "--zk-tls-config-file", tlsOnly, "--list")
	if res.Code != 0 || !strings.Contains(res.Stdout, "acl-protected") {
		t.Fatalf("kq topics --list over TLS: exit %d, stdout %q: %s", res.Code, res.Stdout, res.Stderr)
	}
	if !strings.Contains(res.Stderr, "client.id is not a ZooKeeper client setting") {
		t.Errorf("an ignored key is not named: %s", res.Stderr)
	}
	res = harness.KQWithin(t, 60*time.Second, "topics", "--zookeeper", connect, "--list")
	if res.Code == 0 {
		t.Fatalf("kq topics --zookeeper on the TLS port without --zk-tls-config-file succeeded: %s", res.Stdout)
	}
	alter := []string{"configs", "--zookeeper", connect, "--alter", "--entity-type", "users", "--entity-name", "tool-user",
		"--add-config", "SCRAM-SHA-256=[iterations=4096,password=tool-user-secret]"}
	if res := harness.KQWithin(t, 60*time.Second, append(alter, "--zk-tls-config-file", tlsOnly)...); res.Code == 0 {
		t.Fatalf("a SCRAM credential written without ZooKeeper credentials: %s", res.Stdout)
	}
	if res := harness.KQWithin(t, 60*time.Second, append(alter, "--zk-tls-config-file", withDigest)...); res.Code != 0 {
		t.Fatalf("kq configs --zookeeper with digest credentials: exit %d: %s", res.Code, res.Stderr)
	}
	res = harness.KQWithin(t, 60*time.Second, "configs", "--zookeeper", connect, "--zk-tls-config-file", withDigest,
		"--describe", "--entity-type", "users", "--entity-name", "tool-user")
	if res.Code != 0 || !strings.Contains(res.Stdout, "SCRAM-SHA-256") {
		t.Fatalf("describe the tool's credential: exit %d, stdout %q: %s", res.Code, res.Stdout, res.Stderr)
	}
	if strings.Contains(res.Stdout+res.Stderr, zkDigestPassword) {
		t.Fatal("the ZooKeeper password appears in the tool's output")
	}
}

func TestSetACLWithoutCredentialsRefused(t *testing.T) {
	res := harness.KQWithin(t, 30*time.Second, "server", "--override", "zookeeper.connect=127.0.0.1:1",
		"--override", "zookeeper.set.acl=true", "--override", "log.dirs="+t.TempDir())
	if res.Code == 0 || !strings.Contains(res.Stderr, "kq.zookeeper.digest.credentials") {
		t.Fatalf("kq server with zookeeper.set.acl and no credentials: exit %d: %s", res.Code, res.Stderr)
	}
}
