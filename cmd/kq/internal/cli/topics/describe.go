package topics

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// DescribeOptions are the inputs of `kq topics describe`.
type DescribeOptions struct {
	IO              *iostreams.IOStreams
	Admin           func() (topicsAdmin, error)
	Output          output.Format
	Patterns        []string // names or regular expressions; none describes all
	ExcludeInternal bool
	IfExists        bool
	Filter          PartitionFilter
	// TopicID, when set, describes the topic with this id (--topic-id).
	TopicID string
}

// PartitionFilter holds kafka-topics' report options; at most one of the
// partition reports is set, or WithOverrides alone.
type PartitionFilter struct {
	UnderReplicated bool // ISR smaller than the replica set
	Unavailable     bool // no leader, or the leader is not a live broker
	UnderMinISR     bool // ISR smaller than min.insync.replicas
	AtMinISR        bool // ISR exactly min.insync.replicas
	WithOverrides   bool // only topics with non-default configs, no partitions
}

// reportsPartitions is true when a partition report narrows the output to
// matching partitions and drops the topic lines, as in Kafka.
func (p PartitionFilter) reportsPartitions() bool {
	return p.UnderReplicated || p.Unavailable || p.UnderMinISR || p.AtMinISR
}

// NewCmdDescribe returns `kq topics describe [TOPIC...]`.
func NewCmdDescribe(f *factory.Factory, runF func(context.Context, *DescribeOptions) error) *cobra.Command {
	opts := &DescribeOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "describe [TOPIC...]",
		Short: "Show partitions, leaders, replicas, ISR and config overrides",
		Long: "Describe topics in kafka-topics' text format, or as JSON or YAML with -o.\n" +
			"A TOPIC that is not an existing name is a regular expression over whole names.",
		Example: "  kq topics describe orders\n  kq topics describe --under-replicated-partitions\n" +
			"  kq topics --describe --topic orders -o json",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Patterns = args
			opts.Output = f.Output()
			if err := opts.Filter.validate(); err != nil {
				return err
			}
			if err := checkZooKeeperFilter(cmd, f.Getenv, opts.Filter); err != nil {
				return err
			}
			return run(cmd.Context(), opts, runF, describeRun)
		},
		ValidArgsFunction: completeTopics(f),
	}
	opts.Admin = adminFrom(f, cmd)
	fl := cmd.Flags()
	fl.BoolVar(&opts.ExcludeInternal, "exclude-internal", false, "Leave out internal topics")
	fl.BoolVar(&opts.IfExists, "if-exists", false, "Succeed quietly when no topic matches")
	addFilterFlags(cmd, &opts.Filter)
	return cmd
}

func addFilterFlags(cmd *cobra.Command, p *PartitionFilter) {
	fl := cmd.Flags()
	fl.BoolVar(&p.UnderReplicated, "under-replicated-partitions", false, "Only partitions whose ISR is smaller than their replica set")
	fl.BoolVar(&p.Unavailable, "unavailable-partitions", false, "Only partitions without a live leader")
	fl.BoolVar(&p.UnderMinISR, "under-min-isr-partitions", false, "Only partitions whose ISR is below min.insync.replicas")
	fl.BoolVar(&p.AtMinISR, "at-min-isr-partitions", false, "Only partitions whose ISR equals min.insync.replicas")
	fl.BoolVar(&p.WithOverrides, "topics-with-overrides", false, "Only topics with non-default configs (no partition lines)")
}

func describeRun(ctx context.Context, opts *DescribeOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	var names []string
	if opts.TopicID != "" {
		name, err := topicByID(ctx, a, opts.TopicID)
		if err != nil {
			return err
		}
		names = []string{name}
	} else if names, err = resolveTopics(ctx, a, opts.Patterns, opts.ExcludeInternal, !opts.IfExists); err != nil || len(names) == 0 {
		return err
	}
	descs, err := describeTopics(ctx, a, names)
	if err != nil {
		return err
	}
	descs = opts.Filter.apply(descs)
	if done, err := output.Structured(opts.IO.Out, opts.Output, descs); done {
		return err
	}
	return writeKafkaDescribe(opts.IO.Out, descs, opts.Filter)
}

// describeTopics gathers metadata, configs and live brokers for names.
func describeTopics(ctx context.Context, a topicsAdmin, names []string) ([]TopicDescription, error) {
	topics, err := a.Topics(ctx, names...)
	if err != nil {
		return nil, err
	}
	cluster, err := a.Cluster(ctx)
	if err != nil {
		return nil, err
	}
	live := map[int32]bool{}
	for _, b := range cluster.Brokers {
		live[b.ID] = true
	}
	descs := make([]TopicDescription, 0, len(topics))
	for _, t := range topics {
		if t.Err != nil {
			return nil, fmt.Errorf("describe topic %s: %w", t.Name, t.Err)
		}
		configs, err := a.DescribeConfigs(ctx, admin.Resource{Type: admin.TopicResource, Name: t.Name})
		if err != nil {
			return nil, err
		}
		descs = append(descs, newTopicDescription(t, configs, live))
	}
	return descs, nil
}
