package server

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
)

// embeddedMetadataDir is where the embedded metadata store lives, inside
// the first log dir (for a local cluster, the shared parent of the brokers'
// log dirs).
const embeddedMetadataDir = ".kq-metadata"

// metadata is how brokers reach their metadata store.
type metadata struct {
	connect func(ctx context.Context) (meta.Store, error)
	close   func()
}

// openMetadata opens the embedded store, or returns a connector to
// ZooKeeper when zookeeper.connect is set.
func openMetadata(ctx context.Context, cfg *config.Broker, log *slog.Logger) (*metadata, error) {
	if cfg.ZooKeeperConnect != "" {
		return zookeeperMetadata(cfg, log)
	}
	dir := filepath.Join(cfg.LogDirs[0], embeddedMetadataDir)
	srv, err := embedded.New(dir, embedded.Options{Logger: log.With("component", "metadata")})
	if err != nil {
		return nil, fmt.Errorf("embedded metadata store: %w", err)
	}
	log.Info("using the embedded metadata store (set zookeeper.connect to use ZooKeeper)", "dir", dir)
	timeout := sessionTimeout(cfg)
	return &metadata{
		connect: func(context.Context) (meta.Store, error) { return srv.Connect(timeout) },
		close:   func() { _ = srv.Close() },
	}, nil
}
