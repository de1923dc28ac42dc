package zkstore

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/internal/sessionch"
)

// DefaultPort is ZooKeeper's client port, used for hosts given without one.
const DefaultPort = "2181"

// minHandshake is the least time a server gets to answer the session
// handshake, however short the session timeout and long the server list.
const minHandshake = time.Second

// Dialer opens a TCP connection to one ZooKeeper server.
type Dialer func(network, address string, timeout time.Duration) (net.Conn, error)

// Option adjusts Connect.
type Option func(*options)

type options struct {
	dialer                     Dialer
	tls                        *tls.Config
	digestUser, digestPassword string
}

// WithDialer makes the client connect through d (tests use it to inject
// faults: see zktest.Server.Dial).
func WithDialer(d Dialer) Option {
	return func(o *options) { o.dialer = d }
}

// ParseConnect splits a zookeeper.connect string into servers (host:port)
// and chroot ("" for none).
func ParseConnect(connect string) (servers []string, chroot string, err error) {
	hosts := strings.TrimSpace(connect)
	if i := strings.IndexByte(hosts, '/'); i >= 0 {
		hosts, chroot = hosts[:i], hosts[i:]
		if err := meta.ValidatePath(chroot); err != nil {
			return nil, "", fmt.Errorf("zookeeper.connect %q: chroot: %w", connect, err)
		}
		if chroot == "/" {
			chroot = ""
		}
	}
	for _, h := range strings.Split(hosts, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(h); err != nil {
			h = net.JoinHostPort(strings.Trim(h, "[]"), DefaultPort)
		}
		servers = append(servers, h)
	}
	if len(servers) == 0 {
		return nil, "", fmt.Errorf("zookeeper.connect %q: no servers", connect)
	}
	return servers, chroot, nil
}

// Connect opens a session on the ensemble named by connect. It fails if no
// session is established within connectionTimeout (0 means the session
// timeout, Kafka's default). logger receives go-zookeeper's messages; nil
// discards them.
func Connect(ctx context.Context, connect string, sessionTimeout, connectionTimeout time.Duration,
	logger *slog.Logger, opts ...Option) (meta.Store, error) {
	servers, chroot, err := ParseConnect(connect)
	if err != nil {
		return nil, err
	}
	o := options{dialer: net.DialTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if connectionTimeout <= 0 {
		connectionTimeout = sessionTimeout
	}
	s := &store{chroot: chroot, log: logger, notify: sessionch.New(), established: make(chan struct{}),
		acls: newACLPolicy(o.digestUser, o.digestPassword)}
	handshakeLimit := max(sessionTimeout/time.Duration(len(servers)), minHandshake)
	dialer := reconnectJitter(o.dialer, reconnectJitterMax, time.Sleep)
	if o.tls != nil {
		dialer = tlsDialer(dialer, o.tls)
	}
	dial := boundHandshake(dialer, handshakeLimit)
	conn, _, err := zk.Connect(servers, sessionTimeout, zk.WithLogger(zkLogger{logger}),
		zk.WithEventCallback(s.onEvent), zk.WithDialer(zk.Dialer(dial)))
	if err != nil {
		return nil, fmt.Errorf("zookeeper %s: %w", connect, err)
	}
	s.conn.Store(conn)
	if err := s.awaitSession(ctx, connectionTimeout); err != nil {
		s.Close()
		return nil, fmt.Errorf("zookeeper %s: %w", connect, err)
	}
	s.id.Store(conn.SessionID()) // fixed for the Store's life: a new session means a new Store
	if err := s.authenticate(ctx, o.digestUser, o.digestPassword); err != nil {
		s.Close()
		return nil, fmt.Errorf("zookeeper %s: %w", connect, err)
	}
	if err := s.ensureChroot(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("zookeeper %s: create chroot: %w", connect, err)
	}
	return s, nil
}

func (s *store) awaitSession(ctx context.Context, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-s.established:
		return nil
	case <-timer.C:
		return fmt.Errorf("no session within %s: %w", timeout, meta.ErrConnectionLoss)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ensureChroot creates the chroot and its ancestors, outside the chroot.
func (s *store) ensureChroot(ctx context.Context) error {
	if s.chroot == "" {
		return nil
	}
	prefix := ""
	for _, seg := range strings.Split(s.chroot[1:], "/") {
		prefix += "/" + seg
		err := s.call(ctx, func(c *zk.Conn) error {
			_, err := c.Create(prefix, nil, 0, s.acls.acl("/"))
			return err
		})
		if err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return meta.NewPathError("create", prefix, s.convert(err))
		}
	}
	return nil
}
