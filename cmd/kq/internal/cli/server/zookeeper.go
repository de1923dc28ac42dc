package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/zkstore"
)

// zookeeperMetadata connects each broker to ZooKeeper with its own session.
// A broker that cannot connect within zookeeper.connection.timeout.ms
// fails to start, saying so.
func zookeeperMetadata(cfg *config.Broker, log *slog.Logger) (*metadata, error) {
	sessionTimeout := sessionTimeout(cfg)
	connTimeout := time.Duration(cfg.ZooKeeperConnectionTimeoutMs) * time.Millisecond
	zlog := log.With("component", "zookeeper")
	opts, err := zookeeperSecurity(cfg)
	if err != nil {
		return nil, err
	}
	log.Info("using ZooKeeper for cluster metadata", "zookeeper.connect", cfg.ZooKeeperConnect,
		"tls", cfg.ZooKeeperTLS.Enable, "acl", cfg.ZooKeeperSetACL)
	return &metadata{
		connect: func(ctx context.Context) (meta.Store, error) {
			return zkstore.Connect(ctx, cfg.ZooKeeperConnect, sessionTimeout, connTimeout, zlog, opts...)
		},
		close: func() {},
	}, nil
}

// zookeeperSecurity turns zookeeper.ssl.* and zookeeper.set.acl into the
// store's options: TLS to the secure client port, digest credentials and
// znodes only this user may write.
func zookeeperSecurity(cfg *config.Broker) ([]zkstore.Option, error) {
	var opts []zkstore.Option
	tlsCfg, err := cfg.ZooKeeperTLS.Config()
	if err != nil {
		return nil, err
	}
	if tlsCfg != nil {
		opts = append(opts, zkstore.WithTLS(tlsCfg))
	}
	if cfg.ZooKeeperSetACL {
		opts = append(opts, zkstore.WithDigest(cfg.ZooKeeperDigestUser, cfg.ZooKeeperDigestPassword))
	}
	return opts, nil
}
