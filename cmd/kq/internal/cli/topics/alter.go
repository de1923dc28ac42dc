package topics

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// AlterOptions are the inputs of `kq topics alter`: grow the partition
// count (Kafka never shrinks it).
type AlterOptions struct {
	IO         *iostreams.IOStreams
	Admin      func() (topicsAdmin, error)
	Patterns   []string
	Partitions int32
	// Assignment lists replicas for every partition, existing ones
	// included, as Kafka's --replica-assignment; only the new ones are sent.
	Assignment [][]int32
	IfExists   bool
	// Configs and DeleteConfigs change the topics' dynamic configs, the
	// old kafka-topics --zookeeper --alter --config/--delete-config.
	Configs       map[string]string
	DeleteConfigs []string
}

// topicConfigWriter changes a topic's dynamic configs; the ZooKeeper
// admin implements it.
type topicConfigWriter interface {
	AlterTopicConfigs(ctx context.Context, topic string, set map[string]string, remove []string) error
}

// NewCmdAlter returns `kq topics alter TOPIC -p N`.
func NewCmdAlter(f *factory.Factory, runF func(context.Context, *AlterOptions) error) *cobra.Command {
	opts := &AlterOptions{IO: f.IOStreams}
	var partitions int
	var assignment string
	cmd := &cobra.Command{
		Use:     "alter TOPIC -p N",
		Short:   "Increase the number of partitions of a topic",
		Long:    "Increase the number of partitions. Topic configs are changed with 'kq configs'.",
		Example: "  kq topics alter orders -p 6\n  kq topics --alter --topic orders --partitions 6",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.fill(args, partitions, cmd.Flags().Changed("partitions"), assignment); err != nil {
				return err
			}
			return run(cmd.Context(), opts, runF, alterRun)
		},
		ValidArgsFunction: completeTopics(f),
	}
	opts.Admin = adminFrom(f, cmd)
	cmd.Flags().IntVarP(&partitions, "partitions", "p", 0, "New total number of partitions")
	cmd.Flags().StringVar(&assignment, "replica-assignment", "", "Replicas of every partition, `b1:b2,b3:b4` (existing partitions first)")
	cmd.Flags().BoolVar(&opts.IfExists, "if-exists", false, "Succeed quietly when no topic matches")
	return cmd
}

func (o *AlterOptions) fill(patterns []string, partitions int, partitionsSet bool, assignment string) error {
	o.Patterns = patterns
	if !partitionsSet && o.changesConfigs() {
		return nil
	}
	if !partitionsSet {
		return clierr.Usagef("--partitions is required to alter a topic")
	}
	if partitions < 1 {
		return clierr.Usagef("The partitions must be greater than 0")
	}
	var err error
	if o.Assignment, err = parseReplicaAssignment(assignment); err != nil {
		return clierr.Usage(err)
	}
	o.Patterns, o.Partitions = patterns, int32(partitions)
	return nil
}

func alterRun(ctx context.Context, opts *AlterOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	names, err := resolveTopics(ctx, a, opts.Patterns, false, !opts.IfExists)
	if err != nil {
		return err
	}
	topics, err := a.Topics(ctx, names...)
	if err != nil {
		return err
	}
	for _, t := range topics {
		if t.Err != nil {
			return fmt.Errorf("alter topic %s: %w", t.Name, t.Err)
		}
		if err := alterConfigs(ctx, opts, a, t.Name); err != nil {
			return err
		}
		if opts.Partitions == 0 {
			continue // only configs were asked
		}
		newAssignment, err := newPartitionsAssignment(opts.Assignment, len(t.Partitions), int(opts.Partitions))
		if err != nil {
			return err
		}
		if err := a.AddPartitions(ctx, t.Name, opts.Partitions, newAssignment); err != nil {
			return err
		}
	}
	return nil
}

// newPartitionsAssignment keeps the entries of a full assignment that are
// for partitions beyond the current count.
func newPartitionsAssignment(full [][]int32, have, want int) ([][]int32, error) {
	if full == nil {
		return nil, nil
	}
	if len(full) != want {
		return nil, clierr.Usagef("--replica-assignment lists %d partitions, --partitions asks for %d", len(full), want)
	}
	if have >= want {
		return nil, nil // the broker reports INVALID_PARTITIONS
	}
	return full[have:], nil
}

func (o *AlterOptions) changesConfigs() bool { return len(o.Configs) > 0 || len(o.DeleteConfigs) > 0 }

// alterConfigs applies --config and --delete-config to one topic, as the
// old tool did, and says so on standard error.
func alterConfigs(ctx context.Context, opts *AlterOptions, a topicsAdmin, topic string) error {
	if !opts.changesConfigs() {
		return nil
	}
	w, ok := a.(topicConfigWriter)
	if !ok {
		return clierr.Usagef("--config with --alter needs --zookeeper")
	}
	if err := w.AlterTopicConfigs(ctx, topic, opts.Configs, opts.DeleteConfigs); err != nil {
		return fmt.Errorf("alter configs of topic %s: %w", topic, err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "Updated config for topic %s.\n", topic)
	return nil
}
