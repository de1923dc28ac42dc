package configs

import (
	"context"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/zkconn"
	"strings"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Runners replaces verbs' runs in tests; nil fields run for real.
type Runners struct {
	Describe      func(context.Context, *DescribeOptions) error
	Alter         func(context.Context, *AlterOptions) error
	Users         func(context.Context, *UsersOptions) error
	QuotaDescribe func(context.Context, *QuotaOptions) error
	QuotaAlter    func(context.Context, *QuotaOptions) error
}

const configsLong = `Describe and alter dynamic configs of topics and brokers, users' SCRAM
credentials, and the client quotas of users and client ids.

kafka-configs' spelling works as is:
  kq configs --describe --entity-type topics [--entity-name T] [--all]
  kq configs --describe --entity-type brokers (--entity-name ID | --entity-default)
  kq configs --alter --entity-type topics --entity-name T --add-config k1=v1,k2=[a,b] --delete-config k3
  (--topic T, --broker ID and --broker-defaults are the shortcuts Kafka also accepts)
  kq configs --alter --entity-type users --entity-name alice --add-config 'SCRAM-SHA-256=[iterations=8192,password=alice-secret]'
  kq configs --alter --entity-type users --entity-name alice --delete-config SCRAM-SHA-256
  kq configs --alter --entity-type users --entity-name alice --add-config producer_byte_rate=1048576
  kq configs --alter --user alice --client app --add-config consumer_byte_rate=2097152
  kq configs --describe --entity-type users [--entity-name alice]     (quotas, then SCRAM mechanisms and iterations)
  kq configs --describe --entity-type clients [--entity-name C | --entity-default]
  (--user U, --client C, --user-defaults and --client-defaults combine into user+client-id entities;
  quota keys: producer_byte_rate, consumer_byte_rate, request_percentage, controller_mutation_rate)

Users' credentials go through the brokers' SCRAM credential APIs, or, with
--zookeeper host:port[/chroot], straight into ZooKeeper, which is how the
first admin user is created before any broker runs. A user's SCRAM
credentials and quotas are altered in separate calls.

The subcommands below are the short form of the same operations.`

type kafkaFlags struct {
	describe, alter, all, isDefault, brokerDefaults bool
	entityType, entityName, topic, broker           string
	user, client                                    string
	userDefaults, clientDefaults                    bool
	add, addFile                                    string
	del                                             []string
	zk                                              zkTarget
	afterQuotas                                     bool // a users describe printed quotas first
}

func adminFrom(f *factory.Factory) func() (configsAdmin, error) {
	return func() (configsAdmin, error) { return f.Admin() }
}

// completeEntity completes the entity type, then topic names.
func completeEntity(f *factory.Factory) complete.Func {
	topics := complete.Topics(f)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		switch {
		case len(args) == 0:
			return []string{"topics", "brokers", "users"}, cobra.ShellCompDirectiveNoFileComp
		case len(args) == 1 && strings.HasPrefix(args[0], "topic"):
			return topics(cmd, nil, toComplete)
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// NewCmdConfigs returns `kq configs` with its subcommands.
func NewCmdConfigs(f *factory.Factory, r *Runners) *cobra.Command {
	if r == nil {
		r = &Runners{}
	}
	k := &kafkaFlags{}
	cmd := &cobra.Command{
		Use:   "configs",
		Short: "Describe and alter topic and broker configs",
		Long:  configsLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set := false
			cmd.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) { set = set || fl.Changed })
			if !set {
				return cmd.Help()
			}
			return k.dispatch(cmd, f, r)
		},
	}
	k.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("entity-type",
		cobra.FixedCompletions([]string{"topics", "brokers", "users", "clients"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	cmd.PersistentFlags().StringVar(&k.zk.connect, "zookeeper", "",
		"Users only: read and write SCRAM credentials in ZooKeeper directly, not through a broker: `host:port[,host:port][/chroot]`")
	zkconn.AddFlag(cmd.PersistentFlags(), &k.zk.tlsFile)
	cmd.AddCommand(NewCmdDescribe(f, r.Describe, r.Users, &k.zk), NewCmdAlter(f, r.Alter, r.Users, &k.zk))
	return cmd
}

func (k *kafkaFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&k.describe, "describe", false, "Describe configs")
	fl.BoolVar(&k.alter, "alter", false, "Alter configs")
	fl.StringVar(&k.entityType, "entity-type", "", "Entity type: topics, brokers, users or clients")
	fl.StringVar(&k.entityName, "entity-name", "", "Topic name, broker id, user principal name or client id")
	fl.BoolVar(&k.isDefault, "entity-default", false, "The default entity (brokers, users or clients)")
	fl.StringVar(&k.user, "user", "", "Shortcut for --entity-type users --entity-name U; combines with --client")
	fl.StringVar(&k.client, "client", "", "Shortcut for --entity-type clients --entity-name C; combines with --user")
	fl.BoolVar(&k.userDefaults, "user-defaults", false, "The default user's quotas")
	fl.BoolVar(&k.clientDefaults, "client-defaults", false, "The default client id's quotas")
	fl.BoolVar(&k.all, "all", false, "With --describe: every config, not only dynamic ones")
	fl.StringVar(&k.topic, "topic", "", "Shortcut for --entity-type topics --entity-name T")
	fl.StringVar(&k.broker, "broker", "", "Shortcut for --entity-type brokers --entity-name ID")
	fl.BoolVar(&k.brokerDefaults, "broker-defaults", false, "Shortcut for --entity-type brokers --entity-default")
	addAlterFlags(cmd, &k.add, &k.addFile, &k.del)
	registerShortcuts(cmd)
}

// entity folds --entity-type/--entity-name and the shortcuts into one.
func (k *kafkaFlags) entity() (Entity, error) {
	typ, name, isDefault := k.entityType, k.entityName, k.isDefault
	shortcuts := 0
	if k.topic != "" {
		typ, name, shortcuts = "topics", k.topic, shortcuts+1
	}
	if k.broker != "" {
		typ, name, shortcuts = "brokers", k.broker, shortcuts+1
	}
	if k.brokerDefaults {
		typ, isDefault, shortcuts = "brokers", true, shortcuts+1
	}
	if shortcuts > 1 || shortcuts == 1 && k.entityType != "" {
		return Entity{}, clierr.Usagef("give one entity: --entity-type/--entity-name, --topic, --broker or --broker-defaults")
	}
	if typ == "" {
		return Entity{}, clierr.Usagef("--entity-type is required (topics or brokers)")
	}
	t, err := parseEntityType(typ)
	if err != nil {
		return Entity{}, err
	}
	return newEntity(t, name, isDefault)
}

func (k *kafkaFlags) dispatch(cmd *cobra.Command, f *factory.Factory, r *Runners) error {
	if k.describe == k.alter {
		return clierr.Usagef("Command must include exactly one action: --describe, --alter")
	}
	shortcut, err := k.applyShortcuts(cmd.Flags())
	if err != nil {
		return err
	}
	if err := zkconn.RequireConnect(k.zk.tlsFile, k.zk.connect); err != nil {
		return err
	}
	k.foldScramUser()
	if k.scramUsers() {
		if k.topic != "" || k.broker != "" || k.brokerDefaults || k.isDefault || k.all {
			return clierr.Usagef("--topic, --broker, --broker-defaults, --entity-default and --all do not go with --entity-type users")
		}
		if k.describe && k.zk.connect == "" {
			if err := k.dispatchQuota(cmd, f, r, QuotaEntity{Parts: []QuotaPart{{Type: admin.QuotaUser, Name: k.entityName}}}); err != nil {
				return err
			}
			k.afterQuotas = true
		}
		return k.dispatchUsers(cmd, f, r)
	}
	if k.zk.connect != "" {
		return clierr.Usagef("--zookeeper is only for --entity-type users (SCRAM credentials); topics, brokers and quotas go through --bootstrap-server")
	}
	if q, ok, err := k.quotaEntity(); ok || err != nil {
		if err != nil {
			return err
		}
		return k.dispatchQuota(cmd, f, r, q)
	}
	e, err := k.entity()
	if err != nil && shortcut != "" {
		return clierr.Usagef("--%s: %w", shortcut, err)
	}
	if err != nil {
		return err
	}
	if k.describe {
		if k.add != "" || k.addFile != "" || len(k.del) > 0 {
			return clierr.Usagef("--add-config and --delete-config go with --alter")
		}
		opts := &DescribeOptions{IO: f.IOStreams, Admin: adminFrom(f), Output: f.Output(), Entity: e, All: k.all}
		return run(cmd.Context(), opts, r.Describe, describeRun)
	}
	opts := &AlterOptions{IO: f.IOStreams, Admin: adminFrom(f)}
	if err := opts.fill(e.Type, e.Name, e.Default, k.add, k.addFile, k.del); err != nil {
		return err
	}
	return run(cmd.Context(), opts, r.Alter, alterRun)
}

// dispatchUsers runs the users spelling of kafka-configs.
func (k *kafkaFlags) dispatchUsers(cmd *cobra.Command, f *factory.Factory, r *Runners) error {
	opts := &UsersOptions{IO: f.IOStreams, Admin: usersAdminFrom(f, k.zk), Output: f.Output(),
		User: k.entityName, Describe: k.describe, ZooKeeper: k.zk.connect != "", AfterQuotas: k.afterQuotas}
	if !k.describe {
		add, err := parseAddConfig(k.add)
		if err != nil {
			return clierr.Usage(err)
		}
		if k.addFile != "" {
			return clierr.Usagef("--add-config-file is not supported for users: give the credential with --add-config")
		}
		if err := opts.fillAlter(add, parseDeleteConfig(k.del)); err != nil {
			return err
		}
	} else if k.add != "" || k.addFile != "" || len(k.del) > 0 {
		return clierr.Usagef("--add-config and --delete-config go with --alter")
	}
	return run(cmd.Context(), opts, r.Users, usersRun)
}
