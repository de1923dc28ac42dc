package server

import (
	"errors"
	"log/slog"

	"github.com/kqhq/kq/daemon/config"
)

// zookeeperMetadata connects brokers to ZooKeeper.
func zookeeperMetadata(cfg *config.Broker, log *slog.Logger) (*metadata, error) {
	return nil, errors.New("zookeeper.connect is set, but this build has no ZooKeeper backend yet")
}
