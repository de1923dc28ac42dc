package groups

import (
	"context"
	"slices"
	"strings"

	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// completeGroups completes group names, leaving out those already on the
// line; on any failure it offers nothing.
func completeGroups(f *factory.Factory) complete.Func {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, name := range groupNamesFor(cmd.Context(), f) {
			if strings.HasPrefix(name, toComplete) && !slices.Contains(args, name) {
				out = append(out, name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

func groupNamesFor(parent context.Context, f *factory.Factory) []string {
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
	gs, err := a.ListGroups(ctx)
	if err != nil {
		cobra.CompDebugln("kq: completion: "+err.Error(), false)
		return nil
	}
	names := make([]string, 0, len(gs))
	for _, g := range gs {
		names = append(names, g.Group)
	}
	return names
}
