package transactions

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// AbortOptions are the inputs of `kq transactions abort`.
type AbortOptions struct {
	Admin func() (txnAdmin, error)
	// Spec names the transaction; StartOffset -1 when given by producer.
	Spec admin.AbortSpec
}

// abortFlags are the command line before validation.
type abortFlags struct {
	topic                   string
	partition               int32
	startOffset, producerID int64
	producerEpoch           int16
	coordinatorEpoch        int32
}

// NewCmdAbort returns `kq transactions abort`.
func NewCmdAbort(f *factory.Factory, runF func(context.Context, *AbortOptions) error) *cobra.Command {
	fl := &abortFlags{}
	cmd := &cobra.Command{
		Use:   "abort --topic T --partition P (--start-offset O | --producer-id I --producer-epoch E --coordinator-epoch C)",
		Short: "Abort a hanging transaction (requires administrative privileges)",
		Long: `Abort a hanging transaction on one partition: its ABORT marker is written to
the partition's leader, its records become aborted, and the last stable
offset moves past it. Name the transaction by the offset it starts at
(--start-offset, from 'find-hanging' or 'describe-producers'), or, as for
brokers before 3.0, by --producer-id, --producer-epoch and --coordinator-epoch
(--start-offset wins when both are given).`,
		Example: "  kq transactions abort --topic orders --partition 0 --start-offset 1234\n" +
			"  kq transactions abort --topic orders --partition 0 --producer-id 7 --producer-epoch 0 --coordinator-epoch 3",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec, err := fl.spec(cmd)
			if err != nil {
				return err
			}
			opts := &AbortOptions{Admin: adminOf(f), Spec: spec}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return abortRun(cmd.Context(), opts)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&fl.topic, "topic", "", "Topic name (required)")
	flags.Int32Var(&fl.partition, "partition", -1, "Partition number (required)")
	flags.Int64Var(&fl.startOffset, "start-offset", -1, "Start offset of the transaction to abort (brokers 3.0 and above)")
	flags.Int64Var(&fl.producerID, "producer-id", -1, "Producer id (brokers before 3.0)")
	flags.Int16Var(&fl.producerEpoch, "producer-epoch", 0, "Producer epoch (brokers before 3.0)")
	flags.Int32Var(&fl.coordinatorEpoch, "coordinator-epoch", 0, "Coordinator epoch (brokers before 3.0)")
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

// spec checks the flags as Kafka's AbortTransactionCommand does.
func (fl *abortFlags) spec(cmd *cobra.Command) (admin.AbortSpec, error) {
	if err := requirePartition(cmd, fl.topic, fl.partition); err != nil {
		return admin.AbortSpec{}, err
	}
	changed := cmd.Flags().Changed
	spec := admin.AbortSpec{Topic: fl.topic, Partition: fl.partition, StartOffset: -1}
	switch {
	case changed("start-offset"):
		if fl.startOffset < 0 {
			return spec, usagef("--start-offset must not be negative, got %d", fl.startOffset)
		}
		spec.StartOffset = fl.startOffset
		return spec, nil
	case !changed("producer-id"):
		return spec, usagef("the transaction to abort must be identified either with --start-offset " +
			"(for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)")
	case !changed("producer-epoch"):
		return spec, usagef("missing required argument --producer-epoch")
	case !changed("coordinator-epoch"):
		return spec, usagef("missing required argument --coordinator-epoch")
	}
	// A producer that hung before its first marker shows coordinator
	// epoch -1; 0 is at or below any real one, as Kafka's tool sends.
	spec.ProducerID, spec.ProducerEpoch, spec.CoordinatorEpoch = fl.producerID, fl.producerEpoch, max(fl.coordinatorEpoch, 0)
	return spec, nil
}

func abortRun(ctx context.Context, opts *AbortOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	if err := a.AbortTransaction(ctx, opts.Spec); err != nil {
		return fmt.Errorf("failed to abort transaction on %s-%d: %w", opts.Spec.Topic, opts.Spec.Partition, err)
	}
	return nil
}
