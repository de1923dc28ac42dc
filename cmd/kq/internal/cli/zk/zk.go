// Package zk is `kq zk`: look at the cluster metadata in ZooKeeper (or
// any store kq's brokers use), like Kafka's zookeeper-shell, read-only.
package zk

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/zkconn"
	"github.com/kqhq/kq/store/meta"
)

// Options are the flags shared by the zk subcommands.
type Options struct {
	Connect string
	Timeout time.Duration
	// TLSConfigFile is --zk-tls-config-file.
	TLSConfigFile string
	Path          string
}

// NewCmdZK returns `kq zk`.
func NewCmdZK(f *factory.Factory) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "zk",
		Short: "Read the cluster metadata in ZooKeeper (ls, get)",
		Long: `Read the cluster metadata kq keeps in ZooKeeper, in Kafka's znode layout:
/brokers/ids (live brokers), /brokers/topics (assignments and partition
states), /controller and /controller_epoch, /config, /admin.

The connect string is zookeeper.connect's: host:port[,host:port][/chroot].`,
		Example: `  kq zk ls /brokers/ids --zookeeper 127.0.0.1:2181/kq
  kq zk get /controller --zookeeper 127.0.0.1:2181/kq
  kq zk get /brokers/topics/orders/partitions/0/state -o json`,
	}
	fl := cmd.PersistentFlags()
	fl.StringVar(&opts.Connect, "zookeeper", "", "ZooKeeper `host:port[/chroot]` (env KQ_ZOOKEEPER)")
	fl.DurationVar(&opts.Timeout, "timeout", 10*time.Second, "How long to wait for ZooKeeper")
	zkconn.AddFlag(fl, &opts.TLSConfigFile)
	cmd.AddCommand(newCmdLs(f, opts), newCmdGet(f, opts))
	return cmd
}

// connect opens a short session on ZooKeeper.
func connect(ctx context.Context, f *factory.Factory, opts *Options) (meta.Store, error) {
	addr := opts.Connect
	if addr == "" {
		addr = f.Getenv("KQ_ZOOKEEPER")
	}
	if addr == "" {
		return nil, clierr.Usagef("--zookeeper is required (or set KQ_ZOOKEEPER)")
	}
	return zkconn.Dial(ctx, addr, opts.TLSConfigFile, opts.Timeout, f.IOStreams.ErrOut)
}

// withStore runs fn with a short ZooKeeper session, closed afterwards.
func withStore(f *factory.Factory, opts *Options, fn func(*cobra.Command, []string, meta.Store) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := connect(cmd.Context(), f, opts)
		if err != nil {
			return err
		}
		defer s.Close()
		return fn(cmd, args, s)
	}
}
