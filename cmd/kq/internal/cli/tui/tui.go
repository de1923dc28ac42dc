// Package tui is `kq tui`: it resolves the cluster and the terminal, then
// hands over to the tui package.
package tui

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/profile"
	kqtui "github.com/kqhq/kq/tui"
	"github.com/kqhq/kq/tui/messages"
	"github.com/kqhq/kq/tui/snapshot"
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
	// NewConsumer reads records for the Messages view.
	NewConsumer func(admin.ConsumerConfig) (factory.Consumer, error)
	// NewProducer writes the records of the produce dialog.
	NewProducer func(admin.ProducerConfig) (factory.Producer, error)
	// CopyFile also receives each record copied as JSON (--copy-file, or
	// KQ_TUI_COPY_FILE when the flag is not given).
	CopyFile string
	// Profiles are the config file's clusters for :ctx; Profile is the
	// one started on, "" when none.
	Profiles kqtui.Profiles
	Profile  string
	// Mouse turns on mouse selection and scrolling (--mouse).
	Mouse bool
}

// copyFileEnv names the copy file when --copy-file is not given.
const copyFileEnv = "KQ_TUI_COPY_FILE"

const long = `Show the cluster live in the terminal: brokers (the controller marked, dead
ones kept on screen), topics with under-replicated, under-min-ISR and offline
partition counts, produce and consume rates and size, the partitions of a
topic with leader, replicas, ISR (missing replicas named), log start, last
stable offset (marked below the high watermark: an open transaction holds
read_committed consumers back), high watermark and log end, consumer groups
with their total lag and its trend (a group whose lag keeps growing is
marked), down to the lag of each partition with the member consuming it, the
transactional ids with their state, producer and age (one open past its
timeout marked), and the messages of a topic or one partition.

The view refreshes every --refresh. When the cluster cannot be reached the
status line says so and the view keeps retrying; it never exits on its own.

Keys: j/k or arrows move, enter opens a topic's partitions or a group's lag,
esc goes back, tab switches between Brokers, Topics, Groups and
Transactions, / filters rows (a case-insensitive regex, !regex for the rows
that do not match, -f TEXT for a fuzzy match), shift and a column's letter
sorts by that column (again reverses), i hides or shows the internal topics,
: runs a command (:topics, :brokers, :groups, :transactions [ID], :partitions
TOPIC, :lag GROUP, :messages TOPIC [P] [START], :configs [TOPIC|broker ID],
:acls [PRINCIPAL], :topic-acls [TOPIC], :ctx [PROFILE], :quit), r refreshes
now, p pauses, ? lists every key, q quits. --mouse selects rows with a click
(a second click opens) and scrolls with the wheel.

:ctx lists the profiles of the config file and :ctx NAME switches to that
profile's cluster, keeping the view. The profile alone names the cluster
switched to, as kq --profile NAME would with no other flag.

Configs: d on a topic, or enter on a broker, lists its configs as
DescribeConfigs gives them, each with its source (DYNAMIC_TOPIC_CONFIG,
STATIC_BROKER_CONFIG, DEFAULT_CONFIG...), the values set on the topic or
broker itself marked ✎, sensitive values never shown; / searches them.

Messages: m on a topic tails all its partitions merged by timestamp, m or
enter on a partition tails that one; s chooses where to start (oldest, newest
N, live, offset N, since -15m or a time), / searches keys and values (text or
/regexp/) with n and N to the next and previous match, enter opens a record
(headers, key and value in full, JSON pretty-printed, x for a hex dump), p
pauses, R resends the record (the produce dialog, filled with it). y
copies the record as the JSON line kq consume -o json prints: to
the terminal's clipboard with OSC 52 (over ssh too; in tmux with
set-clipboard on), and to --copy-file when given. The view keeps at most
10,000 records or 32 MiB, the oldest dropped first.

Actions, each previewed and confirmed once: c creates a topic, + adds
partitions, ctrl+d deletes a topic (its name typed to confirm), e elects the
preferred leaders of a topic, o resets a group's offsets (Kafka's dry run
first; the group must have no members), ctrl+d on a group deletes it (an empty
one only; its name typed to confirm), x deletes a group's offsets of a topic,
a aborts an open transaction on each
of its partitions (the producer, epoch and coordinator epoch its leader
reports shown first), ctrl+p produces a record to the topic selected (partition
or auto, key, headers, value; ctrl+e writes the value in $VISUAL or $EDITOR)
and shows the partition and offset written, e in a configs view changes the
config under the cursor (IncrementalAlterConfigs; an empty value deletes the
override). The create-topic dialog takes name=value configs. --read-only
hides and refuses them.

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
			// The Messages view reads partitions without a group: producer
			// and consumer properties are dropped with a warning.
			f.UseClient(factory.ClientUse{Command: "kq tui"})
			opts.Admin = func() (snapshot.Source, error) { return f.Admin() }
			opts.Address = func() string { return address(f) }
			opts.NewConsumer = f.NewConsumer
			path := profile.Path(f.Getenv)
			opts.Profiles, opts.Profile = profiles{path: path}, startProfile(f, path)
			opts.NewProducer = f.NewProducer
			if !cmd.Flags().Changed("copy-file") {
				opts.CopyFile = f.Getenv(copyFileEnv)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return tuiRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Refresh, "refresh", kqtui.DefaultRefresh, "How often to poll the cluster (at least "+kqtui.MinRefresh.String()+")")
	cmd.Flags().BoolVar(&opts.ReadOnly, "read-only", false, "Never change the cluster: hide every action")
	cmd.Flags().BoolVar(&opts.Mouse, "mouse", false, "Select rows with the mouse and scroll with its wheel (off: the terminal keeps selecting text)")
	cmd.Flags().StringVar(&opts.CopyFile, "copy-file", "", "Also write each record copied with y to this `file` (env "+copyFileEnv+")")
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
		ReadOnly: opts.ReadOnly, NoColor: !opts.IO.ColorEnabled(),
		Messages: messageSource{Source: src, newConsumer: opts.NewConsumer},
		CopyFile: opts.CopyFile, Clipboard: opts.IO.Out,
		Profiles: opts.Profiles, Profile: opts.Profile, Mouse: opts.Mouse,
		NewProducer: producerFor(opts.NewProducer),
	}, opts.IO.In, opts.IO.Out)
	if errors.Is(err, context.Canceled) {
		return clierr.ErrInterrupted
	}
	return err
}

// messageSource joins the admin client and the consumer factory for the
// Messages view.
type messageSource struct {
	snapshot.Source
	newConsumer func(admin.ConsumerConfig) (factory.Consumer, error)
}

func (s messageSource) NewConsumer(conf admin.ConsumerConfig) (messages.Consumer, error) {
	return s.newConsumer(conf)
}

// producerFor makes the produce dialog's producers with Kafka's producer
// defaults: acks=all, idempotent.
func producerFor(newProducer func(admin.ProducerConfig) (factory.Producer, error)) func() (kqtui.Producer, error) {
	if newProducer == nil {
		return nil
	}
	return func() (kqtui.Producer, error) {
		return newProducer(admin.ProducerConfig{Acks: admin.AcksAll, Idempotent: true})
	}
}

// address is the bootstrap list, for the header until the cluster answers.
func address(f *factory.Factory) string {
	cfg, err := f.ClientConfig()
	if err != nil {
		return "the cluster"
	}
	return strings.Join(cfg.Brokers, ",")
}
