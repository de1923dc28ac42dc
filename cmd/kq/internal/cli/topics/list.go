package topics

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `kq topics list`.
type ListOptions struct {
	IO              *iostreams.IOStreams
	Admin           func() (topicsAdmin, error)
	Output          output.Format
	Patterns        []string // names or regular expressions; none lists all
	ExcludeInternal bool
}

// NewCmdList returns `kq topics list [PATTERN...]`.
func NewCmdList(f *factory.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:     "list [PATTERN...]",
		Aliases: []string{"ls"},
		Short:   "List topic names",
		Example: "  kq topics list\n  kq topics list 'orders.*'\n  kq topics --list --bootstrap-server localhost:9092",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Patterns = args
			opts.Output = f.Output()
			return run(cmd.Context(), opts, runF, listRun)
		},
		ValidArgsFunction: completeTopics(f),
	}
	opts.Admin = adminFrom(f, cmd)
	cmd.Flags().BoolVar(&opts.ExcludeInternal, "exclude-internal", false, "Leave out internal topics (__consumer_offsets, ...)")
	return cmd
}

// run calls the test's runF when given, else the real run.
func run[O any](ctx context.Context, opts *O, runF, real func(context.Context, *O) error) error {
	if runF != nil {
		return runF(ctx, opts)
	}
	return real(ctx, opts)
}

func listRun(ctx context.Context, opts *ListOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	names, err := resolveTopics(ctx, a, opts.Patterns, opts.ExcludeInternal, false)
	if err != nil {
		return err
	}
	if names == nil {
		names = []string{}
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, names); done {
		return err
	}
	for _, name := range names {
		if _, err := fmt.Fprintln(opts.IO.Out, name); err != nil {
			return err
		}
	}
	return nil
}
