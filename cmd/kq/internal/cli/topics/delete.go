package topics

import (
	"context"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// DeleteOptions are the inputs of `kq topics delete`.
type DeleteOptions struct {
	IO       *iostreams.IOStreams
	Admin    func() (topicsAdmin, error)
	Patterns []string
	IfExists bool
}

// NewCmdDelete returns `kq topics delete TOPIC...`.
func NewCmdDelete(f *factory.Factory, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:     "delete TOPIC...",
		Aliases: []string{"rm"},
		Short:   "Delete topics",
		Long:    "Delete topics. A TOPIC that is not an existing name is a regular expression over whole names.",
		Example: "  kq topics delete orders\n  kq topics --delete --topic 'test-.*' --if-exists",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Patterns = args
			return run(cmd.Context(), opts, runF, deleteRun)
		},
		ValidArgsFunction: completeTopics(f),
	}
	opts.Admin = adminFrom(f, cmd)
	cmd.Flags().BoolVar(&opts.IfExists, "if-exists", false, "Succeed quietly when no topic matches")
	return cmd
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	names, err := resolveTopics(ctx, a, opts.Patterns, false, !opts.IfExists)
	if err != nil || len(names) == 0 {
		return err
	}
	return a.DeleteTopics(ctx, names...)
}
