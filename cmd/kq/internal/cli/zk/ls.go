package zk

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/store/meta"
)

func newCmdLs(f *factory.Factory, opts *Options) *cobra.Command {
	return &cobra.Command{
		Use:   "ls PATH",
		Short: "List the children of a znode",
		Args:  cobra.ExactArgs(1),
		RunE: withStore(f, opts, func(cmd *cobra.Command, args []string, s meta.Store) error {
			children, _, err := s.Children(cmd.Context(), args[0])
			if err != nil {
				return notFound(args[0], err)
			}
			out := f.IOStreams.Out
			if ok, err := output.Structured(out, f.Output(), map[string]any{"path": args[0], "children": children}); ok {
				return err
			}
			for _, c := range children {
				fmt.Fprintln(out, c)
			}
			return nil
		}),
	}
}

// notFound maps a missing znode to the not-found exit code.
func notFound(path string, err error) error {
	if errors.Is(err, meta.ErrNoNode) {
		return clierr.NotFoundf("znode %s does not exist", path)
	}
	return err
}
