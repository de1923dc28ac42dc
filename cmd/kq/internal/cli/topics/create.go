package topics

import (
	"context"
	"errors"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
	"github.com/twmb/franz-go/pkg/kerr"
)

// CreateOptions are the inputs of `kq topics create`.
type CreateOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (topicsAdmin, error)
	Output output.Format
	Topic  string
	// Partitions is admin.BrokerDefault (-1, the broker's num.partitions)
	// when not given, as in Kafka 3.9; Assignment replaces it.
	Partitions        int32
	PartitionsSet     bool
	ReplicationFactor int16 // admin.BrokerDefault unless given
	Assignment        [][]int32
	Configs           map[string]string
	IfNotExists       bool
	ValidateOnly      bool
	// DisableRackAware places the replicas ignoring racks
	// (--disable-rack-aware).
	DisableRackAware bool
}

// NewCmdCreate returns `kq topics create TOPIC`.
func NewCmdCreate(f *factory.Factory, runF func(context.Context, *CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{IO: f.IOStreams}
	var partitions, rf int
	var configs []string
	var assignment string
	cmd := &cobra.Command{
		Use:   "create TOPIC",
		Short: "Create a topic",
		Long: "Create a topic. The partition count defaults to the broker's num.partitions and the\n" +
			"replication factor to its default.replication.factor, as in Kafka 3.9 (with --zookeeper both\n" +
			"are required: the brokers' defaults are not in ZooKeeper).",
		Example: "  kq topics create orders -p 3 -r 2 -c retention.ms=86400000\n" +
			"  kq topics create pinned --replica-assignment 1:2,2:3\n" +
			"  kq topics --create --topic orders --partitions 3 --replication-factor 2",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			err := opts.fill(args[0], partitions, cmd.Flags().Changed("partitions"),
				rf, cmd.Flags().Changed("replication-factor"), configs, assignment)
			if err != nil {
				return err
			}
			opts.Output = f.Output()
			return run(cmd.Context(), opts, runF, createRun)
		},
	}
	opts.Admin = adminFrom(f, cmd)
	fl := cmd.Flags()
	fl.IntVarP(&partitions, "partitions", "p", 0, "Number of partitions (default, or -1: the broker's num.partitions)")
	fl.IntVarP(&rf, "replication-factor", "r", 0, "Replicas per partition (default: the broker's default.replication.factor)")
	fl.StringArrayVarP(&configs, "config", "c", nil, "Topic config `key=value` (repeatable)")
	fl.StringVar(&assignment, "replica-assignment", "", "Replicas per partition, `b1:b2,b3:b4`: partition 0 on b1,b2, partition 1 on b3,b4")
	fl.BoolVar(&opts.IfNotExists, "if-not-exists", false, "Succeed quietly if the topic already exists")
	fl.BoolVar(&opts.ValidateOnly, "dry-run", false, "Ask the broker to validate the request without creating the topic")
	return cmd
}

// fill checks and converts the flag values; both spellings go through it.
func (o *CreateOptions) fill(topic string, partitions int, partitionsSet bool, rf int, rfSet bool, configs []string, assignment string) error {
	if err := admin.ValidateTopicName(topic); err != nil {
		return clierr.Usage(err)
	}
	o.Topic = topic
	var err error
	if o.Assignment, err = parseReplicaAssignment(assignment); err != nil {
		return clierr.Usage(err)
	}
	if o.Configs, err = parseTopicConfigs(configs); err != nil {
		return clierr.Usage(err)
	}
	if o.Assignment != nil && (partitionsSet || rfSet) {
		return clierr.Usagef("--replica-assignment defines the partitions and replicas: leave out --partitions and --replication-factor")
	}
	if o.Assignment != nil {
		o.Partitions, o.ReplicationFactor = admin.BrokerDefault, admin.BrokerDefault
		return nil
	}
	return o.fillCounts(partitions, partitionsSet, rf, rfSet)
}

func (o *CreateOptions) fillCounts(partitions int, partitionsSet bool, rf int, rfSet bool) error {
	if !partitionsSet {
		partitions = admin.BrokerDefault // Kafka 3.9: the broker's num.partitions
	}
	if partitions < 1 && partitions != admin.BrokerDefault {
		return clierr.Usagef("The partitions must be greater than 0")
	}
	o.Partitions, o.PartitionsSet = int32(partitions), true
	o.ReplicationFactor = admin.BrokerDefault
	if rfSet {
		if rf < 1 || rf > 32767 {
			return clierr.Usagef("The replication factor must be between 1 and 32767 inclusive")
		}
		o.ReplicationFactor = int16(rf)
	}
	return nil
}

func createRun(ctx context.Context, opts *CreateOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	if admin.TopicHasCollisionChars(opts.Topic) {
		fmt.Fprintln(opts.IO.ErrOut, admin.CollisionWarning)
	}
	if opts.DisableRackAware && opts.Assignment == nil {
		if opts.Assignment, err = rackUnawareAssignment(ctx, a, opts.Partitions, opts.ReplicationFactor); err != nil {
			return err
		}
		opts.Partitions, opts.ReplicationFactor = admin.BrokerDefault, admin.BrokerDefault
	}
	created, err := a.CreateTopic(ctx, admin.TopicSpec{
		Name: opts.Topic, Partitions: opts.Partitions, ReplicationFactor: opts.ReplicationFactor,
		Assignment: opts.Assignment, Configs: opts.Configs, ValidateOnly: opts.ValidateOnly,
	})
	if errors.Is(err, kerr.TopicAlreadyExists) && opts.IfNotExists {
		return nil
	}
	if err != nil {
		return err
	}
	return reportCreated(opts, created)
}

func reportCreated(opts *CreateOptions, created admin.CreatedTopic) error {
	if done, err := output.Structured(opts.IO.Out, opts.Output, created); done {
		return err
	}
	verb := "Created"
	if opts.ValidateOnly {
		verb = "Validated (dry run, nothing created):"
	}
	if _, err := fmt.Fprintf(opts.IO.Out, "%s topic %s.\n", verb, opts.Topic); err != nil {
		return err
	}
	// Say what the broker chose, so a default never goes unnoticed.
	if created.Partitions > 0 && opts.Assignment == nil {
		if opts.Partitions == admin.BrokerDefault {
			fmt.Fprintf(opts.IO.ErrOut, "Partitions: %d (the broker's num.partitions).\n", created.Partitions)
		}
		if opts.ReplicationFactor == admin.BrokerDefault {
			fmt.Fprintf(opts.IO.ErrOut, "Replication factor: %d (the broker's default.replication.factor).\n", created.ReplicationFactor)
		}
	}
	return nil
}
