package transactions

import (
	"context"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// completeIDs completes transactional ids; on any failure it offers
// nothing.
func completeIDs(f *factory.Factory) complete.Func {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, id := range transactionalIDs(cmd.Context(), f) {
			if strings.HasPrefix(id, toComplete) {
				out = append(out, id)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

func transactionalIDs(parent context.Context, f *factory.Factory) []string {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithTimeout(parent, complete.Timeout)
	defer cancel()
	a, err := adminOf(f)()
	if err != nil {
		cobra.CompDebugln("kq: completion: "+err.Error(), false)
		return nil
	}
	listed, err := a.ListTransactions(ctx, admin.TransactionFilter{})
	if err != nil {
		cobra.CompDebugln("kq: completion: "+err.Error(), false)
		return nil
	}
	ids := make([]string, 0, len(listed))
	for _, l := range listed {
		ids = append(ids, l.TransactionalID)
	}
	return ids
}
