package transactions

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `kq transactions list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (txnAdmin, error)
	Output output.Format
	Filter admin.TransactionFilter
}

var listHeaders = []string{"TransactionalId", "Coordinator", "ProducerId", "TransactionState"}

// NewCmdList returns `kq transactions list`.
func NewCmdList(f *factory.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Admin: adminOf(f)}
	var duration int64
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List transactions",
		Long: `List the transactional ids every coordinator knows, with their producer id and
state. --duration-filter keeps transactions running longer than that many
milliseconds; --state and --producer-id (kq's) filter on the coordinators.`,
		Example: "  kq transactions list\n  kq transactions list --duration-filter 60000\n  kq transactions list --state Ongoing -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("duration-filter") && duration >= 0 {
				opts.Filter.DurationMs = duration
			}
			opts.Output = f.Output()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.Int64Var(&duration, "duration-filter", -1, "Only transactions running longer than this many `ms` (negative: all)")
	fl.StringSliceVar(&opts.Filter.States, "state", nil, "Only transactions in these `states` (Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, ...)")
	fl.Int64SliceVar(&opts.Filter.ProducerIDs, "producer-id", nil, "Only transactions of these producer `ids`")
	_ = cmd.RegisterFlagCompletionFunc("state", cobra.FixedCompletions(states, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// states are the transaction states Kafka names.
var states = []string{"Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort", "Dead", "PrepareEpochFence"}

func listRun(ctx context.Context, opts *ListOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	listed, err := a.ListTransactions(ctx, opts.Filter)
	if err != nil {
		return fmt.Errorf("failed to list transactions: %w", err)
	}
	if listed == nil {
		listed = []admin.TransactionListing{}
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, listed); done {
		return err
	}
	rows := make([][]string, 0, len(listed))
	for _, l := range listed {
		rows = append(rows, []string{l.TransactionalID, fmt.Sprint(l.Coordinator), fmt.Sprint(l.ProducerID), l.State})
	}
	return printTable(opts.IO.Out, listHeaders, rows)
}

// usagef is a command-line mistake (exit 2).
func usagef(format string, args ...any) error { return clierr.Usagef(format, args...) }
