package transactions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// DescribeOptions are the inputs of `kq transactions describe`.
type DescribeOptions struct {
	IO              *iostreams.IOStreams
	Admin           func() (txnAdmin, error)
	Output          output.Format
	Now             func() time.Time
	TransactionalID string
}

var describeHeaders = []string{"CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState",
	"TransactionTimeoutMs", "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions"}

// NewCmdDescribe returns `kq transactions describe`.
func NewCmdDescribe(f *factory.Factory, runF func(context.Context, *DescribeOptions) error) *cobra.Command {
	opts := &DescribeOptions{IO: f.IOStreams, Admin: adminOf(f), Now: f.Now}
	cmd := &cobra.Command{
		Use:   "describe --transactional-id ID",
		Short: "Describe the state of a transactional id",
		Long: `Describe a transactional id on its coordinator: producer id and epoch, state,
timeout, when the ongoing transaction started and the partitions in it. An
unknown id exits 3.`,
		Example: "  kq transactions describe --transactional-id payments-1\n  kq transactions describe payments-1 -o json",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.fillID(args); err != nil {
				return err
			}
			opts.Output = f.Output()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return describeRun(cmd.Context(), opts)
		},
		ValidArgsFunction: completeIDs(f),
	}
	cmd.Flags().StringVar(&opts.TransactionalID, "transactional-id", "", "Transactional `id` (or give it as the argument)")
	_ = cmd.RegisterFlagCompletionFunc("transactional-id", completeIDs(f))
	return cmd
}

func (o *DescribeOptions) fillID(args []string) error {
	switch {
	case len(args) == 1 && o.TransactionalID != "" && args[0] != o.TransactionalID:
		return usagef("transactional id given twice: %q and --transactional-id %q", args[0], o.TransactionalID)
	case len(args) == 1:
		o.TransactionalID = args[0]
	case o.TransactionalID == "":
		return usagef("--transactional-id is required")
	}
	return nil
}

func describeRun(ctx context.Context, opts *DescribeOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	described, err := a.DescribeTransactions(ctx, opts.TransactionalID)
	if err == nil && len(described) != 1 {
		err = fmt.Errorf("no answer")
	}
	if err == nil {
		err = described[0].Err
	}
	if err != nil {
		return fmt.Errorf("failed to describe transaction state of transactional-id `%s`: %w", opts.TransactionalID, err)
	}
	t := described[0]
	if done, err := output.Structured(opts.IO.Out, opts.Output, t); done {
		return err
	}
	return printTable(opts.IO.Out, describeHeaders, [][]string{describeRow(t, opts.Now())})
}

func describeRow(t admin.Transaction, now time.Time) []string {
	duration := int64(-1)
	if t.StartTimestamp >= 0 {
		duration = now.UnixMilli() - t.StartTimestamp
	}
	return []string{fmt.Sprint(t.Coordinator), t.TransactionalID, fmt.Sprint(t.ProducerID), fmt.Sprint(t.ProducerEpoch),
		t.State, fmt.Sprint(t.TimeoutMs), orNone(t.StartTimestamp), orNone(duration), joinPartitions(t.Partitions)}
}

// joinPartitions is Kafka's list of TopicPartitions: t-0,t-1,u-0.
func joinPartitions(tps []admin.TopicPartitions) string {
	var parts []string
	for _, tp := range tps {
		for _, p := range tp.Partitions {
			parts = append(parts, fmt.Sprintf("%s-%d", tp.Topic, p))
		}
	}
	return strings.Join(parts, ",")
}
