// Package server is the `kq server` command: it gathers the broker's
// configuration from a Kafka server.properties file, --override flags, KQ_*
// environment variables and command-line flags (in that order of strength),
// and runs one broker, or a local cluster of several with --brokers.
package server

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

// Options are the command's flags.
type Options struct {
	ConfigFile string
	Overrides  []string
	Zookeeper  string
	Brokers    int
	BrokerID   int
	Listeners  string
	LogDirs    string
	LogLevel   string
	LogFormat  string
	DebugAddr  string
	Metrics    string
	Daemon     bool

	// changed lists the flags given on the command line.
	changed map[string]bool
}

const serverLong = `Run a Kafka-compatible broker.

Configuration keys and defaults are Apache Kafka's (broker.id, listeners,
log.dirs, num.partitions, log.retention.hours, zookeeper.connect, ...). They
are read, weakest first, from:

  1. the properties file, given as the argument (as kafka-server-start.sh takes
     it) or with --config (Kafka's server.properties format)
  2. --override key=value (repeatable)
  3. environment variables KQ_<KEY>, the key upper-cased with dots as
     underscores (KQ_LOG_RETENTION_HOURS=24)
  4. the flags below (--broker-id, --listeners, --log-dirs, --zookeeper)

Unknown keys are warned about; invalid values stop the broker before it
starts, naming the key.

Without zookeeper.connect the broker keeps its cluster metadata in an
embedded store under the first log directory, with the same znode layout as
ZooKeeper; with it, metadata lives in ZooKeeper (host:port[,host:port][/chroot]).

--brokers N starts N brokers in this process (ids 1..N, consecutive ports from
the listeners' port, log dirs <log.dirs>/broker-<id>): a local cluster in one
command. SIGINT or SIGTERM shuts down gracefully: in-flight requests finish,
logs are flushed and marked clean.`

const serverExample = `  # A broker on localhost:9092 with data in /tmp/kafka-logs
  kq server

  # Kafka's own configuration file, with one value overridden
  # (kafka-server-start.sh's spelling; --config config/server.properties too)
  kq server config/server.properties --override log.retention.hours=24

  # Three brokers on ports 9092-9094, metadata in ZooKeeper
  kq server --brokers 3 --zookeeper 127.0.0.1:2181/kq

  # In the background, as kafka-server-start.sh -daemon (returns once serving)
  kq server -daemon config/server.properties`

// NewCmdServer returns the `kq server` command.
func NewCmdServer(f *factory.Factory) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:     "server [server.properties]",
		Short:   "Run a Kafka-compatible broker",
		Long:    serverLong,
		Example: serverExample,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.takeConfigArg(args, cmd.Flags().Changed("config")); err != nil {
				return err
			}
			opts.changed = map[string]bool{}
			cmd.Flags().Visit(func(fl *pflag.Flag) { opts.changed[fl.Name] = true })
			if opts.Brokers < 1 {
				return clierr.Usagef("--brokers must be at least 1, got %d", opts.Brokers)
			}
			if opts.Daemon {
				return detach(cmd.Context(), f, os.Args[1:])
			}
			return run(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.ConfigFile, "config", "c", "", "Kafka server.properties `file`")
	fl.StringArrayVar(&opts.Overrides, "override", nil, "Override a config `key=value` (repeatable)")
	fl.StringVar(&opts.Zookeeper, "zookeeper", "", "zookeeper.connect: `host:port[,host:port][/chroot]` (default: embedded store)")
	fl.IntVar(&opts.Brokers, "brokers", 1, "Number of brokers to run in this process (a local cluster)")
	fl.IntVar(&opts.BrokerID, "broker-id", -1, "broker.id")
	fl.StringVar(&opts.Listeners, "listeners", "", "listeners, e.g. `PLAINTEXT://:9092`")
	fl.StringVar(&opts.LogDirs, "log-dirs", "", "log.dirs: comma-separated data `directories`")
	fl.StringVar(&opts.LogLevel, "log-level", "info", "Log `level`: debug, info, warn or error")
	fl.StringVar(&opts.LogFormat, "log-format", "text", "Log `format` on stderr: text or json")
	fl.BoolVar(&opts.Daemon, "daemon", false, "Run in the background once serving, output to $LOG_DIR/kafkaServer.out (default LOG_DIR: logs/ beside the binary); -daemon too")
	fl.StringVar(&opts.DebugAddr, "debug-addr", "", "Serve Go's profiler (/debug/pprof/) on this `host:port` (default: off)")
	fl.StringVar(&opts.Metrics, "metrics-listener", "", "kq.metrics.listener: serve Prometheus /metrics, /healthz and /readyz on this `host:port` (default: off; with --brokers N, consecutive ports)")
	_ = cmd.MarkFlagFilename("config", "properties")
	return cmd
}

// takeConfigArg accepts the properties file as kafka-server-start.sh takes
// it, as the one positional argument.
func (o *Options) takeConfigArg(args []string, configFlag bool) error {
	if len(args) == 0 {
		return nil
	}
	if configFlag {
		return clierr.Usagef("give the properties file once: as the argument %q or with --config", args[0])
	}
	o.ConfigFile = args[0]
	return nil
}
