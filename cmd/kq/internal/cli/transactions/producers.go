package transactions

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// ProducersOptions are the inputs of `kq transactions describe-producers`.
type ProducersOptions struct {
	IO        *iostreams.IOStreams
	Admin     func() (txnAdmin, error)
	Output    output.Format
	Topic     string
	Partition int32
	// BrokerID is the replica to ask, -1 for the leader.
	BrokerID int32
}

var producersHeaders = []string{"ProducerId", "ProducerEpoch", "LatestCoordinatorEpoch", "LastSequence",
	"LastTimestamp", "CurrentTransactionStartOffset"}

// NewCmdDescribeProducers returns `kq transactions describe-producers`.
func NewCmdDescribeProducers(f *factory.Factory, runF func(context.Context, *ProducersOptions) error) *cobra.Command {
	opts := &ProducersOptions{IO: f.IOStreams, Admin: adminOf(f)}
	cmd := &cobra.Command{
		Use:   "describe-producers --topic T --partition P [--broker-id B]",
		Short: "Describe the active producers of a partition",
		Long: `Describe the producers a partition's replica keeps state for: producer id and
epoch, the coordinator epoch of their last marker, last sequence and write
time, and where their open transaction starts ("None" when none is open).
The leader is asked unless --broker-id names another replica.`,
		Example: "  kq transactions describe-producers --topic orders --partition 0\n" +
			"  kq transactions describe-producers --topic orders --partition 0 --broker-id 2 -o json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requirePartition(cmd, opts.Topic, opts.Partition); err != nil {
				return err
			}
			opts.Output = f.Output()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return producersRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Topic, "topic", "", "Topic name (required)")
	fl.Int32Var(&opts.Partition, "partition", -1, "Partition number (required)")
	fl.Int32Var(&opts.BrokerID, "broker-id", -1, "Ask this broker's replica instead of the leader")
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

// requirePartition checks the --topic and --partition every
// partition-level subcommand needs.
func requirePartition(cmd *cobra.Command, topic string, partition int32) error {
	switch {
	case topic == "":
		return usagef("--topic is required")
	case !cmd.Flags().Changed("partition"):
		return usagef("--partition is required")
	case partition < 0:
		return usagef("--partition must not be negative, got %d", partition)
	}
	return nil
}

func producersRun(ctx context.Context, opts *ProducersOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	pp, err := describeOne(ctx, a, opts)
	if err != nil {
		on := "leader"
		if opts.BrokerID >= 0 {
			on = fmt.Sprintf("broker %d", opts.BrokerID)
		}
		return fmt.Errorf("failed to describe producers for partition %s-%d on %s: %w", opts.Topic, opts.Partition, on, err)
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, pp); done {
		return err
	}
	rows := make([][]string, 0, len(pp.Producers))
	for _, p := range pp.Producers {
		rows = append(rows, []string{fmt.Sprint(p.ProducerID), fmt.Sprint(p.ProducerEpoch), fmt.Sprint(p.CoordinatorEpoch),
			fmt.Sprint(p.LastSequence), fmt.Sprint(p.LastTimestamp), orNone(p.CurrentTransactionStartOffset)})
	}
	return printTable(opts.IO.Out, producersHeaders, rows)
}

func describeOne(ctx context.Context, a txnAdmin, opts *ProducersOptions) (admin.PartitionProducers, error) {
	pps, err := a.DescribeProducers(ctx, opts.Topic, []int32{opts.Partition}, opts.BrokerID)
	switch {
	case err != nil:
		return admin.PartitionProducers{}, err
	case len(pps) != 1:
		return admin.PartitionProducers{}, fmt.Errorf("no answer")
	}
	return pps[0], pps[0].Err
}
