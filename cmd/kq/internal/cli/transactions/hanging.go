package transactions

import (
	"context"
	"fmt"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// HangingOptions are the inputs of `kq transactions find-hanging`.
type HangingOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (txnAdmin, error)
	Output output.Format
	Now    func() time.Time
	// Topic, Partition (-1: all) and BrokerID (-1: any) scope the search.
	Topic      string
	Partition  int32
	BrokerID   int32
	MaxTimeout time.Duration
}

var hangingHeaders = []string{"Topic", "Partition", "ProducerId", "ProducerEpoch", "CoordinatorEpoch",
	"StartOffset", "LastTimestamp", "Duration(min)"}

// NewCmdFindHanging returns `kq transactions find-hanging`.
func NewCmdFindHanging(f *factory.Factory, runF func(context.Context, *HangingOptions) error) *cobra.Command {
	opts := &HangingOptions{IO: f.IOStreams, Admin: adminOf(f), Now: f.Now}
	var minutes int
	cmd := &cobra.Command{
		Use:   "find-hanging (--broker-id B | --topic T [--partition P]) [--max-transaction-timeout MINUTES]",
		Short: "Find hanging transactions",
		Long: `Find transactions open on a partition for longer than the maximum transaction
timeout (transaction.max.timeout.ms, 15 minutes by default) that their
coordinator does not know of. Limit the search to the replicas of
--broker-id, or to --topic (and --partition). Abort what it finds with
'kq transactions abort --start-offset'.`,
		Example: "  kq transactions find-hanging --broker-id 1\n  kq transactions find-hanging --topic orders --partition 0 --max-transaction-timeout 5",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.check(cmd, minutes); err != nil {
				return err
			}
			opts.Output = f.Output()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return hangingRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.Int32Var(&opts.BrokerID, "broker-id", -1, "Search the replicas on this broker")
	fl.StringVar(&opts.Topic, "topic", "", "Search this topic")
	fl.Int32Var(&opts.Partition, "partition", -1, "With --topic: search only this partition")
	fl.IntVar(&minutes, "max-transaction-timeout", int(admin.DefaultMaxTransactionTimeout/time.Minute), "Maximum transaction timeout in `minutes`: only older transactions can hang")
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

// check validates the scope as Kafka's FindHangingTransactionsCommand does.
func (o *HangingOptions) check(cmd *cobra.Command, minutes int) error {
	switch {
	case o.Topic == "" && !cmd.Flags().Changed("broker-id"):
		return usagef("the `find-hanging` command requires either --topic or --broker-id to limit the scope of the search")
	case cmd.Flags().Changed("partition") && o.Topic == "":
		return usagef("the --partition argument requires --topic to be provided")
	case cmd.Flags().Changed("partition") && o.Partition < 0:
		return usagef("--partition must not be negative, got %d", o.Partition)
	case cmd.Flags().Changed("broker-id") && o.BrokerID < 0:
		return usagef("--broker-id must not be negative, got %d", o.BrokerID)
	case minutes <= 0:
		return usagef("--max-transaction-timeout must be positive, got %d", minutes)
	}
	o.MaxTimeout = time.Duration(minutes) * time.Minute
	return nil
}

func hangingRun(ctx context.Context, opts *HangingOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	found, err := a.FindHangingTransactions(ctx, opts.Topic, opts.Partition, opts.BrokerID, opts.MaxTimeout.Milliseconds())
	if err != nil {
		return fmt.Errorf("failed to find hanging transactions: %w", err)
	}
	if found == nil {
		found = []admin.HangingTransaction{}
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, found); done {
		return err
	}
	now := opts.Now().UnixMilli()
	rows := make([][]string, 0, len(found))
	for _, h := range found {
		rows = append(rows, []string{h.Topic, fmt.Sprint(h.Partition), fmt.Sprint(h.ProducerID), fmt.Sprint(h.ProducerEpoch),
			fmt.Sprint(h.CoordinatorEpoch), fmt.Sprint(h.StartOffset), fmt.Sprint(h.LastTimestamp),
			fmt.Sprint((now - h.LastTimestamp) / time.Minute.Milliseconds())})
	}
	return printTable(opts.IO.Out, hangingHeaders, rows)
}
