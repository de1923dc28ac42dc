package topics

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Runners replaces verbs' runs in tests; nil fields run for real.
type Runners struct {
	List     func(context.Context, *ListOptions) error
	Describe func(context.Context, *DescribeOptions) error
	Create   func(context.Context, *CreateOptions) error
	Alter    func(context.Context, *AlterOptions) error
	Delete   func(context.Context, *DeleteOptions) error
}

const topicsLong = `List, describe, create, alter and delete topics.

Kafka's kafka-topics spelling works as is, one action flag per call:
  kq topics --list
  kq topics --describe [--topic T | --topic-id ID] [--under-replicated-partitions | --unavailable-partitions |
            --under-min-isr-partitions | --at-min-isr-partitions | --topics-with-overrides]
  kq topics --create --topic T --partitions N [--replication-factor R] [--config k=v]...
            [--replica-assignment 0:1,1:2] [--if-not-exists] [--disable-rack-aware]
  kq topics --alter --topic T --partitions N
  kq topics --delete --topic T [--if-exists]
--topic also takes a regular expression, except with --create.

With --zookeeper host:port/chroot, or with KQ_ZOOKEEPER set and no
--bootstrap-server, kq works on the cluster metadata in ZooKeeper directly, as
Kafka's kafka-topics --zookeeper did, and the brokers' controller acts on what
it writes. Creating then needs --partitions and --replication-factor (or
--replica-assignment); --delete marks topics for deletion and returns at once;
--under-min-isr-partitions and --at-min-isr-partitions are not available.

The subcommands below are the short form of the same operations.`

// kafkaFlags are kafka-topics' options on the noun command.
type kafkaFlags struct {
	list, describe, create, alter, delete bool
	topic                                 string
	partitions, replicationFactor         int
	configs, deleteConfigs                []string
	assignment                            string
	ifExists, ifNotExists                 bool
	excludeInternal                       bool
	filter                                PartitionFilter
	topicID                               string
	disableRackAware                      bool
}

// NewCmdTopics returns `kq topics` with its subcommands.
func NewCmdTopics(f *factory.Factory, r *Runners) *cobra.Command {
	if r == nil {
		r = &Runners{}
	}
	k := &kafkaFlags{}
	cmd := &cobra.Command{
		Use:   "topics",
		Short: "List, describe, create, alter and delete topics",
		Long:  topicsLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !anyLocalFlag(cmd) {
				return cmd.Help()
			}
			return k.dispatch(cmd, f, r)
		},
	}
	k.register(cmd)
	k.registerKafkaExtras(cmd)
	addZooKeeperFlag(cmd)
	_ = cmd.RegisterFlagCompletionFunc("topic", completeTopics(f))
	cmd.AddCommand(
		NewCmdList(f, r.List), NewCmdDescribe(f, r.Describe), NewCmdCreate(f, r.Create),
		NewCmdAlter(f, r.Alter), NewCmdDelete(f, r.Delete),
	)
	return cmd
}

func anyLocalFlag(cmd *cobra.Command) bool {
	set := false
	cmd.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) { set = set || fl.Changed })
	return set
}

func (k *kafkaFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&k.list, "list", false, "List topic names")
	fl.BoolVar(&k.describe, "describe", false, "Describe topics")
	fl.BoolVar(&k.create, "create", false, "Create a topic")
	fl.BoolVar(&k.alter, "alter", false, "Increase a topic's partition count")
	fl.BoolVar(&k.delete, "delete", false, "Delete topics")
	fl.StringVar(&k.topic, "topic", "", "Topic name, or a regular expression except with --create")
	fl.IntVar(&k.partitions, "partitions", 0, "Partition count for --create (default, or -1: the broker's num.partitions) or --alter")
	fl.IntVar(&k.replicationFactor, "replication-factor", 0, "Replication factor for --create (default: the broker's)")
	fl.StringArrayVar(&k.configs, "config", nil, "Topic config `key=value` for --create, or for --alter with --zookeeper (repeatable)")
	fl.StringArrayVar(&k.deleteConfigs, "delete-config", nil, "With --alter and --zookeeper: remove a topic config `key` (repeatable)")
	fl.StringVar(&k.assignment, "replica-assignment", "", "Replicas per partition for --create or --alter, `b1:b2,b3:b4`")
	fl.BoolVar(&k.ifExists, "if-exists", false, "With --alter, --delete or --describe: succeed quietly when no topic matches")
	fl.BoolVar(&k.ifNotExists, "if-not-exists", false, "With --create: succeed quietly if the topic exists")
	fl.BoolVar(&k.excludeInternal, "exclude-internal", false, "With --list or --describe: leave out internal topics")
	addFilterFlags(cmd, &k.filter)
}

// allowedWith lists, for each option, the actions it may be combined with.
var allowedWith = map[string][]string{
	"config": {"create", "alter"}, "delete-config": {"alter"}, "partitions": {"create", "alter"}, "replication-factor": {"create"},
	"replica-assignment": {"create", "alter"}, "if-exists": {"alter", "delete", "describe"},
	"if-not-exists": {"create"}, "exclude-internal": {"list", "describe"},
	"under-replicated-partitions": {"describe"}, "unavailable-partitions": {"describe"},
	"under-min-isr-partitions": {"describe"}, "at-min-isr-partitions": {"describe"},
	"topics-with-overrides": {"describe"}, "topic-id": {"describe"}, "disable-rack-aware": {"create"},
}

func (k *kafkaFlags) action() (string, error) {
	var actions []string
	for name, set := range map[string]bool{"list": k.list, "describe": k.describe, "create": k.create, "alter": k.alter, "delete": k.delete} {
		if set {
			actions = append(actions, name)
		}
	}
	if len(actions) != 1 {
		return "", clierr.Usagef("Command must include exactly one action: --list, --describe, --create, --alter or --delete")
	}
	return actions[0], nil
}

// checkCombination refuses options the action does not take; the options
// are checked in name order so the same command line always gets the same
// message.
func checkCombination(cmd *cobra.Command, action string) error {
	for _, option := range slices.Sorted(maps.Keys(allowedWith)) {
		actions := allowedWith[option]
		if cmd.Flags().Changed(option) && !slices.Contains(actions, action) {
			return clierr.Usagef("option --%s can't be used with --%s (only with --%s)", option, action, strings.Join(actions, ", --"))
		}
	}
	if cmd.Flags().Changed("topic") && cmd.Flags().Changed("topic-id") {
		return clierr.Usagef("give either --topic or --topic-id")
	}
	if action != "list" && action != "describe" && !cmd.Flags().Changed("topic") {
		return clierr.Usagef("--topic is required with --%s", action)
	}
	return nil
}

// dispatch turns kafka-topics flags into a verb's Options and runs it.
func (k *kafkaFlags) dispatch(cmd *cobra.Command, f *factory.Factory, r *Runners) error {
	action, err := k.action()
	if err != nil {
		return err
	}
	if err := checkCombination(cmd, action); err != nil {
		return err
	}
	ctx := cmd.Context()
	var patterns []string
	if k.topic != "" {
		patterns = []string{k.topic}
	}
	switch action {
	case "list":
		opts := &ListOptions{IO: f.IOStreams, Admin: adminFrom(f, cmd), Output: f.Output(), Patterns: patterns, ExcludeInternal: k.excludeInternal}
		return run(ctx, opts, r.List, listRun)
	case "describe":
		if err := k.filter.validate(); err != nil {
			return err
		}
		if err := checkZooKeeperFilter(cmd, f.Getenv, k.filter); err != nil {
			return err
		}
		opts := &DescribeOptions{IO: f.IOStreams, Admin: adminFrom(f, cmd), Output: f.Output(), Patterns: patterns,
			ExcludeInternal: k.excludeInternal, IfExists: k.ifExists, Filter: k.filter, TopicID: k.topicID}
		return run(ctx, opts, r.Describe, describeRun)
	case "create":
		return k.runCreate(cmd, f, r)
	case "alter":
		opts := &AlterOptions{IO: f.IOStreams, Admin: adminFrom(f, cmd), IfExists: k.ifExists}
		if err := k.fillConfigChange(cmd, f, opts); err != nil {
			return err
		}
		if err := opts.fill(patterns, k.partitions, cmd.Flags().Changed("partitions"), k.assignment); err != nil {
			return err
		}
		return run(ctx, opts, r.Alter, alterRun)
	default:
		opts := &DeleteOptions{IO: f.IOStreams, Admin: adminFrom(f, cmd), Patterns: patterns, IfExists: k.ifExists}
		return run(ctx, opts, r.Delete, deleteRun)
	}
}

// fillConfigChange takes the old tool's --alter --config/--delete-config,
// which only ever worked with --zookeeper; with the brokers, kq configs
// is the way, and the message says so.
func (k *kafkaFlags) fillConfigChange(cmd *cobra.Command, f *factory.Factory, opts *AlterOptions) error {
	if len(k.configs) == 0 && len(k.deleteConfigs) == 0 {
		return nil
	}
	connect, err := zooKeeperConnect(cmd, f.Getenv)
	if err != nil {
		return err
	}
	if connect == "" {
		return clierr.Usagef("--alter --config needs --zookeeper, as in the old kafka-topics; with --bootstrap-server " +
			"change a topic's configs with kq configs --alter --entity-type topics --entity-name TOPIC --add-config key=value")
	}
	if opts.Configs, err = parseTopicConfigs(k.configs); err != nil {
		return err
	}
	opts.DeleteConfigs = k.deleteConfigs
	return nil
}

func (k *kafkaFlags) runCreate(cmd *cobra.Command, f *factory.Factory, r *Runners) error {
	opts := &CreateOptions{IO: f.IOStreams, Admin: adminFrom(f, cmd), Output: f.Output(), IfNotExists: k.ifNotExists,
		DisableRackAware: k.disableRackAware}
	fl := cmd.Flags()
	err := opts.fill(k.topic, k.partitions, fl.Changed("partitions"), k.replicationFactor,
		fl.Changed("replication-factor"), k.configs, k.assignment)
	if err != nil {
		return err
	}
	return run(cmd.Context(), opts, r.Create, createRun)
}
