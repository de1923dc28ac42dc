package groups

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `kq groups list` (--list).
type ListOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (groupsAdmin, error)
	Output output.Format
	// ShowState adds the STATE column (kafka-consumer-groups --list
	// --state); States keeps only groups in these states.
	ShowState bool
	States    []string
	// ShowType adds the TYPE column (--list --type); Types keeps only
	// groups of these types (classic, consumer).
	ShowType bool
	Types    []string
}

// NewCmdList returns `kq groups list`.
func NewCmdList(f *factory.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	var states []string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List consumer groups and their states",
		Example: "  kq groups list\n  kq groups list --state Stable,Empty -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := &ListOptions{IO: f.IOStreams, Admin: adminOf(f), Output: f.Output(), ShowState: true, States: states}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringSliceVar(&states, "state", nil, "Only groups in these `states` (Stable, Empty, PreparingRebalance, CompletingRebalance, Dead)")
	return cmd
}

func listRun(ctx context.Context, opts *ListOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	groups, err := a.ListGroups(ctx, opts.States...)
	if err != nil {
		return err
	}
	groups = keepTypes(groups, opts.Types)
	if groups == nil {
		groups = []admin.GroupListing{}
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, groups); done {
		return err
	}
	if opts.ShowType {
		printTyped(opts.IO.Out, groups, opts.ShowState)
		return nil
	}
	if !opts.ShowState {
		for _, g := range groups {
			fmt.Fprintln(opts.IO.Out, g.Group)
		}
		return nil
	}
	w := width(15, len(groups), func(i int) string { return groups[i].Group })
	fmt.Fprintf(opts.IO.Out, "%-*s %s\n", w, "GROUP", "STATE")
	for _, g := range groups {
		fmt.Fprintf(opts.IO.Out, "%-*s %s\n", w, g.Group, g.State)
	}
	return nil
}

// width is Kafka's column width: at least min, else the longest value.
func width(min, n int, value func(int) string) int {
	w := min
	for i := range n {
		w = max(w, len(value(i)))
	}
	return w
}
