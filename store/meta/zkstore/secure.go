package zkstore

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
)

// WithTLS connects over TLS (ZooKeeper's secureClientPort), as Kafka does
// with zookeeper.ssl.client.enable=true. cfg.ServerName, when empty, is set
// to each server's host so that its certificate is checked against it.
func WithTLS(cfg *tls.Config) Option {
	return func(o *options) { o.tls = cfg }
}

// WithDigest authenticates the session with ZooKeeper's digest scheme
// ("addauth digest user:password") and makes every znode this store creates
// writable by that user only: readable by anyone, except the sensitive
// paths Kafka also hides (/config/users, which holds SCRAM credentials),
// which only the user may read. This is kq's form of zookeeper.set.acl=true;
// Kafka authenticates to ZooKeeper with SASL instead (see the README).
func WithDigest(user, password string) Option {
	return func(o *options) { o.digestUser, o.digestPassword = user, password }
}

// tlsDialer wraps dial with a TLS handshake bounded by the dial timeout.
func tlsDialer(dial Dialer, cfg *tls.Config) Dialer {
	return func(network, address string, timeout time.Duration) (net.Conn, error) {
		raw, err := dial(network, address, timeout)
		if err != nil {
			return nil, err
		}
		c := cfg.Clone()
		if c.ServerName == "" {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				raw.Close()
				return nil, fmt.Errorf("zookeeper server %s: %w", address, err)
			}
			c.ServerName = host
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		conn := tls.Client(raw, c)
		if err := conn.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("TLS handshake with zookeeper %s: %w", address, err)
		}
		return conn, nil
	}
}

// aclPolicy decides the ACL of the znodes the store creates.
type aclPolicy struct {
	user string // "" creates world-writable znodes, as Kafka without zookeeper.set.acl
	id   string // digest:user:hash
}

func newACLPolicy(user, password string) aclPolicy {
	if user == "" {
		return aclPolicy{}
	}
	return aclPolicy{user: user, id: zk.DigestACL(zk.PermAll, user, password)[0].ID}
}

// acl is the ACL for a znode at path (the path inside the chroot).
func (p aclPolicy) acl(path string) []zk.ACL {
	if p.user == "" {
		return zk.WorldACL(zk.PermAll)
	}
	owner := zk.ACL{Perms: zk.PermAll, Scheme: "digest", ID: p.id}
	if isSensitive(path) {
		return []zk.ACL{owner}
	}
	return []zk.ACL{owner, {Perms: zk.PermRead, Scheme: "world", ID: "anyone"}}
}

// isSensitive reports the paths Kafka's ZkData.sensitivePath names: the
// user entity configs, which hold SCRAM credentials.
func isSensitive(path string) bool {
	return strings.HasPrefix(path, "/config/users/")
}

// authenticate adds the digest credentials to the session; go-zookeeper
// sends them again on every reconnection.
func (s *store) authenticate(ctx context.Context, user, password string) error {
	if user == "" {
		return nil
	}
	err := s.call(ctx, func(c *zk.Conn) error { return c.AddAuth("digest", []byte(user+":"+password)) })
	if err != nil {
		return fmt.Errorf("digest authentication as %s: %w", user, s.convert(err))
	}
	return nil
}
