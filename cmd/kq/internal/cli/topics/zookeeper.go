package topics

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/zkconn"
)

// zooKeeperTimeout bounds the connection to ZooKeeper and is the session
// timeout of the short session the command holds (as `kq zk`'s default).
const zooKeeperTimeout = 10 * time.Second

// zooKeeperEnv names ZooKeeper when --zookeeper is not given.
const zooKeeperEnv = "KQ_ZOOKEEPER"

// addZooKeeperFlag adds --zookeeper to `kq topics` and, being persistent,
// to every verb under it.
func addZooKeeperFlag(cmd *cobra.Command) {
	cmd.PersistentFlags().String("zookeeper", "",
		"Work on the topics in ZooKeeper directly, not through a broker: `host:port[,host:port][/chroot]` (env "+zooKeeperEnv+")")
	zkconn.AddFlag(cmd.PersistentFlags(), new(string))
}

// zooKeeperConnect returns the connect string when the command works on
// ZooKeeper directly, "" when it goes through a broker. --zookeeper wins;
// KQ_ZOOKEEPER applies unless --bootstrap-server is given. Both flags
// together are refused, as Kafka's kafka-topics refuses them.
func zooKeeperConnect(cmd *cobra.Command, getenv func(string) string) (string, error) {
	fl := cmd.Flags()
	bootstrap := changed(fl, "bootstrap-server")
	if !changed(fl, "zookeeper") {
		if bootstrap {
			return "", nil
		}
		return getenv(zooKeeperEnv), nil
	}
	if bootstrap {
		return "", clierr.Usagef("Only one of --bootstrap-server or --zookeeper must be specified")
	}
	connect := fl.Lookup("zookeeper").Value.String()
	if connect == "" {
		return "", clierr.Usagef("--zookeeper needs host:port[/chroot]")
	}
	return connect, nil
}

func changed(fl *pflag.FlagSet, name string) bool {
	f := fl.Lookup(name)
	return f != nil && f.Changed
}

// dialZooKeeper opens a session on connect for this invocation; the
// factory closes it when the invocation ends. A malformed connect string
// exits 2, an unreachable ensemble 5.
func dialZooKeeper(ctx context.Context, f *factory.Factory, connect, tlsFile string, timeout time.Duration) (*zooKeeperAdmin, error) {
	s, err := zkconn.Dial(ctx, connect, tlsFile, timeout, f.IOStreams.ErrOut)
	if err != nil {
		return nil, err
	}
	f.OnClose(func() { _ = s.Close() })
	return newZooKeeperAdmin(s, f.IOStreams.ErrOut), nil
}

// checkZooKeeperFilter refuses the reports that need the brokers'
// min.insync.replicas, which is not in ZooKeeper (Kafka refuses them with
// --zookeeper too).
func checkZooKeeperFilter(cmd *cobra.Command, getenv func(string) string, p PartitionFilter) error {
	if !p.UnderMinISR && !p.AtMinISR {
		return nil
	}
	connect, err := zooKeeperConnect(cmd, getenv)
	if err != nil || connect == "" {
		return err
	}
	option := "under-min-isr-partitions"
	if p.AtMinISR {
		option = "at-min-isr-partitions"
	}
	return clierr.Usagef("option --%s can't be used with --zookeeper: the brokers' min.insync.replicas is not in ZooKeeper", option)
}
