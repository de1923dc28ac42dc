// Package tui is `kq tui`: it resolves the cluster and the terminal, then
// hands over to the tui package.
package tui

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	kqtui "github.com/kqhq/kq/tui"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
)

// Options are the inputs of `kq tui`.
type Options struct {
	IO *iostreams.IOStreams
	// Admin is the cluster to watch; Address names it until it answers.
	Admin    func() (snapshot.Source, error)
	Address  func() string
	Refresh  time.Duration
	ReadOnly bool
}

const long = `Show the cluster live in the terminal: brokers (the controller marked, dead
ones kept on screen), topics with under-replicated, under-min-ISR and offline
partition counts, produce and consume rates and size, the partitions of a
topic with leader, replicas, ISR (missing replicas named), log start and high
watermark, and consumer groups with their total lag and its trend (a group
whose lag keeps growing is marked), down to the lag of each partition with
the member consuming it.

The view refreshes every --refresh. When the cluster cannot be reached the
status line says so and the view keeps retrying; it never exits on its own.

Keys: j/k or arrows move, enter opens a topic's partitions or a group's lag,
esc goes back, tab switches between Brokers, Topics and Groups, / filters
rows, : runs a command (:topics, :brokers, :groups, :partitions TOPIC,
:lag GROUP, :quit), r refreshes now, p pauses, ? lists every key, q quits.

Actions, each previewed and confirmed once: c creates a topic, + adds
partitions, ctrl+d deletes a topic (its name typed to confirm), e elects the
preferred leaders of a topic, o resets a group's offsets (Kafka's dry run
first; the group must have no members). --read-only hides and refuses them.

Colour follows the terminal; NO_COLOR, TERM=dumb or --no-color turn it off and
problems stay marked by their glyphs (⚠ under-replicated, ✖ offline or dead).`

// NewCmdTUI returns `kq tui`.
func NewCmdTUI(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "tui",
		Short: "Live terminal view of brokers, topics, partitions and consumer group lag",
		Long:  long,
		Example: "  kq tui\n  kq tui --refresh 5s -b broker1:9092\n" +
			"  kq tui --read-only --profile prod",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Admin = func() (snapshot.Source, error) { return f.Admin() }
			opts.Address = func() string { return address(f) }
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return tuiRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Refresh, "refresh", kqtui.DefaultRefresh, "How often to poll the cluster (at least "+kqtui.MinRefresh.String()+")")
	cmd.Flags().BoolVar(&opts.ReadOnly, "read-only", false, "Never change the cluster: hide every action")
	return cmd
}

func tuiRun(ctx context.Context, opts *Options) error {
	if opts.Refresh < kqtui.MinRefresh {
		return clierr.Usagef("--refresh %v is below the minimum %v", opts.Refresh, kqtui.MinRefresh)
	}
	if !opts.IO.IsStdinTTY() || !opts.IO.IsStdoutTTY() {
		return clierr.Usagef("kq tui needs a terminal on standard input and output")
	}
	src, err := opts.Admin()
	if err != nil {
		return err
	}
	err = kqtui.Run(kqtui.Options{
		Context: ctx, Source: src, Address: opts.Address(), Refresh: opts.Refresh,
		ReadOnly: opts.ReadOnly, Renderer: renderer(opts.IO),
	}, opts.IO.In, opts.IO.Out)
	if errors.Is(err, context.Canceled) {
		return clierr.ErrInterrupted
	}
	return err
}

// renderer draws on stdout with colour only where the CLI allows it.
func renderer(ios *iostreams.IOStreams) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(ios.Out)
	if !ios.ColorEnabled() {
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}

// address is the bootstrap list, for the header until the cluster answers.
func address(f *factory.Factory) string {
	cfg, err := f.ClientConfig()
	if err != nil {
		return "the cluster"
	}
	return strings.Join(cfg.Brokers, ",")
}
