package transactions

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// txnAdmin is what `kq transactions` asks the cluster (*admin.Client).
type txnAdmin interface {
	ListTransactions(ctx context.Context, f admin.TransactionFilter) ([]admin.TransactionListing, error)
	DescribeTransactions(ctx context.Context, ids ...string) ([]admin.Transaction, error)
	DescribeProducers(ctx context.Context, topic string, partitions []int32, brokerID int32) ([]admin.PartitionProducers, error)
	AbortTransaction(ctx context.Context, spec admin.AbortSpec) error
	FindHangingTransactions(ctx context.Context, topic string, partition, brokerID int32, maxTransactionTimeoutMs int64) ([]admin.HangingTransaction, error)
}

// adminOf returns the factory's admin client as a txnAdmin.
func adminOf(f *factory.Factory) func() (txnAdmin, error) {
	return func() (txnAdmin, error) {
		a, err := f.Admin()
		if err != nil {
			return nil, err
		}
		ta, ok := a.(txnAdmin)
		if !ok {
			return nil, fmt.Errorf("this cluster client does not support transactions")
		}
		return ta, nil
	}
}

// Runners replaces the verbs' runs in tests; nil fields run for real.
type Runners struct {
	List              func(context.Context, *ListOptions) error
	Describe          func(context.Context, *DescribeOptions) error
	DescribeProducers func(context.Context, *ProducersOptions) error
	Abort             func(context.Context, *AbortOptions) error
	FindHanging       func(context.Context, *HangingOptions) error
}

const transactionsLong = `Look at transactions and producers, and abort hanging transactions, as
kafka-transactions.sh does (same subcommands and flags).

A transaction hangs when a partition holds its first records but its
coordinator will never write the marker that ends it (a lost marker, a
producer id the coordinator forgot). Its partition's last stable offset stays
at the transaction's start, so read_committed consumers stop there for good.
'find-hanging' lists such transactions; 'abort --start-offset' ends one.`

// NewCmdTransactions returns `kq transactions` with its subcommands.
func NewCmdTransactions(f *factory.Factory, r *Runners) *cobra.Command {
	if r == nil {
		r = &Runners{}
	}
	cmd := &cobra.Command{
		Use:   "transactions",
		Short: "List, describe and abort transactions; describe producers; find hanging transactions",
		Long:  transactionsLong,
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(
		NewCmdList(f, r.List), NewCmdDescribe(f, r.Describe), NewCmdDescribeProducers(f, r.DescribeProducers),
		NewCmdAbort(f, r.Abort), NewCmdFindHanging(f, r.FindHanging),
	)
	return cmd
}

// printTable prints rows as Kafka's TransactionsCommand does: each cell
// padded to its column's widest, then a tab, header first.
func printTable(w io.Writer, headers []string, rows [][]string) error {
	widths := make([]int, len(headers))
	for i, h := range headers {
		widths[i] = len(h)
	}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len(cell))
		}
	}
	var b strings.Builder
	for _, row := range append([][]string{headers}, rows...) {
		for i, cell := range row {
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", widths[i]-len(cell)))
			b.WriteByte('\t')
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// orNone is Kafka's text for an absent value (-1 here): "None".
func orNone(v int64) string {
	if v < 0 {
		return "None"
	}
	return fmt.Sprint(v)
}
