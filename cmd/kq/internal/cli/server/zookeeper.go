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
	log.Info("using ZooKeeper for cluster metadata", "zookeeper.connect", cfg.ZooKeeperConnect)
	return &metadata{
		connect: func(ctx context.Context) (meta.Store, error) {
			return zkstore.Connect(ctx, cfg.ZooKeeperConnect, sessionTimeout, connTimeout, zlog)
		},
		close: func() {},
	}, nil
}
