// Package cluster is `kq cluster`: the cluster id, the controller and the
// live brokers.
package cluster

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// What selects the part of the answer to print.
type What int

// The parts `kq cluster` can show.
const (
	All What = iota
	Brokers
	Controller
	ID
)

// Options are the inputs of `kq cluster` and its subcommands.
type Options struct {
	IO     *iostreams.IOStreams
	Admin  func() (clusterAdmin, error)
	Output output.Format
	What   What
}

type clusterAdmin interface {
	Cluster(ctx context.Context) (admin.Cluster, error)
}

// NewCmdCluster returns `kq cluster` with brokers, controller and id.
func NewCmdCluster(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	cmd := newCmd(f, runF, All, "cluster", "Show the cluster id, the controller and the live brokers")
	cmd.Example = "  kq cluster\n  kq cluster brokers -o json\n  CLUSTER_ID=$(kq cluster id)"
	cmd.AddCommand(
		newCmd(f, runF, Brokers, "brokers", "List the live brokers (the controller is marked *)"),
		newCmd(f, runF, Controller, "controller", "Print the controller's broker id"),
		newCmd(f, runF, ID, "id", "Print the cluster id"),
	)
	return cmd
}

func newCmd(f *factory.Factory, runF func(context.Context, *Options) error, what What, use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := &Options{IO: f.IOStreams, Output: f.Output(), What: what,
				Admin: func() (clusterAdmin, error) { return f.Admin() }}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return clusterRun(cmd.Context(), opts)
		},
	}
}

func clusterRun(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	c, err := a.Cluster(ctx)
	if err != nil {
		return err
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, structured(c, opts.What)); done {
		return err
	}
	out := opts.IO.Out
	switch opts.What {
	case ID:
		_, err = fmt.Fprintln(out, c.ID)
	case Controller:
		_, err = fmt.Fprintln(out, c.Controller)
	case Brokers:
		err = brokerTable(opts.IO, c)
	default:
		fmt.Fprintf(out, "Cluster ID: %s\nController: %s\n\n", c.ID, controllerText(c.Controller))
		err = brokerTable(opts.IO, c)
	}
	return err
}

// structured is the value -o json|yaml prints for each part.
func structured(c admin.Cluster, what What) any {
	switch what {
	case ID:
		return map[string]string{"cluster_id": c.ID}
	case Controller:
		return map[string]int32{"controller": c.Controller}
	case Brokers:
		return c.Brokers
	}
	return c
}

func controllerText(id int32) string {
	if id < 0 {
		return "none"
	}
	return strconv.Itoa(int(id))
}

func brokerTable(ios *iostreams.IOStreams, c admin.Cluster) error {
	tw := output.NewTable(ios.Out, ios.ColorScheme().Bold)
	tw.Header("ID", "HOST", "PORT", "RACK", "CONTROLLER")
	for _, b := range c.Brokers {
		rack, ctl := b.Rack, ""
		if rack == "" {
			rack = "-"
		}
		if b.ID == c.Controller {
			ctl = "*"
		}
		tw.Row(strconv.Itoa(int(b.ID)), b.Host, strconv.Itoa(int(b.Port)), rack, ctl)
	}
	return tw.Flush()
}
