// Package consume is `kq consume`: read a topic's records to standard
// output in Kafka's console-consumer format, a --format template, or JSON
// lines that `kq produce --input json` reads back.
package consume

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/recordfilter"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// consumeAdmin is what consume asks the cluster before reading.
type consumeAdmin interface {
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error)
}

// Options are the inputs of `kq consume`.
type Options struct {
	IO          *iostreams.IOStreams
	Admin       func() (consumeAdmin, error)
	NewConsumer func(admin.ConsumerConfig) (factory.Consumer, error)

	Topic         string
	Partitions    []int32 // none: every partition
	Offset        StartOffset
	MaxMessages   int64         // 0: no limit
	Timeout       time.Duration // 0: wait forever for the next record
	ExitAtEnd     bool
	ReadCommitted bool
	Formatter     formatter
	// Group, when set, reads as a member of this consumer group: the
	// partitions are shared with its other members, reading starts at the
	// group's committed offsets, and what is written out is committed
	// (unless enable.auto.commit=false).
	Group string
	// NoReset fails a group partition without a committed offset
	// (auto.offset.reset=none).
	NoReset bool

	// Include, when set, picks the topic by Kafka's --include expression.
	Include *regexp.Regexp
	// Deserialize turns keys and values into their printed text.
	Deserialize deserializing
	// Filter, when set, keeps only the records it matches (--filter);
	// --max-messages counts those.
	Filter *recordfilter.Filter
	// SkipOnError reports a record that cannot be formatted and goes on.
	SkipOnError bool
	// SystestEvents prints shutdown_complete at the end, as Kafka's
	// --enable-systest-events does.
	SystestEvents bool
	formatterKind string
}

const consumeLong = `Read records from a topic to standard output, newest first by default
(--from-beginning or --offset to start elsewhere). "Processed a total of N
messages" goes to standard error at the end, as with Kafka's console consumer.

--offset takes start, end, N (an offset), +N (N after the start), -N (N before
the end), @TIME (epoch ms, RFC 3339 or YYYY-MM-DD) or @-DURATION (@-1h: records
of the last hour). Offsets are clamped to what the partition holds.

Output is Kafka's console format (--property print.key=true, print.timestamp,
print.partition, print.offset, print.headers, print.value, key.separator,
line.separator, headers.separator, null.literal), a --format template, or
with -o json JSON lines that 'kq produce --input json' reads back exactly.

With --group G, kq reads as a member of consumer group G (as Kafka's console
consumer does): G's members share the partitions, each partition starts at G's
committed offset (at the end, or with --from-beginning at the start, when G has
none), and every record written out is committed, so the next member of G goes
on from there. --partition and --offset do not apply to a group.

--isolation-level read_committed (or isolation.level=read_committed with -X
or --consumer-property) shows only records of committed transactions and
stops at the first transaction still open (the last stable offset), where
--exit-at-end then ends; read_uncommitted, the default, shows every record.

Kafka's consumer properties come from --consumer-property key=value,
--consumer.config FILE, -X key=value, --command-config FILE or the profile
(strongest first): group.id (as --group), auto.offset.reset (earliest starts
at the beginning without --offset), enable.auto.commit, fetch.min.bytes,
max.poll.records, session.timeout.ms, ... (docs/client-properties.md lists
them all; a property kq cannot honour is refused).

kafka-console-consumer's flags keep Kafka's meaning: --formatter (Kafka's
DefaultMessageFormatter, LoggingMessageFormatter or NoOpMessageFormatter; other
classes are refused), --formatter-config FILE (under --property),
--key-deserializer and --value-deserializer (Kafka's built-in
org.apache.kafka.common.serialization deserializers: Integer, Long, String,
UUID, ...), --skip-message-on-error, --enable-systest-events, and --include
REGEX (or the deprecated --whitelist), which must match exactly one topic.

--filter EXPRESSION prints only the records it matches (the same language as
the filters of kq tui's Messages view); --max-messages counts matching records,
the number scanned goes to standard error. The range scanned is the usual
one: --offset or --from-beginning, --partition, and --exit-at-end to stop at
the end offsets of the start.

` + filterHelp + `

--format verbs: ` + templateVerbs

// NewCmdConsume returns `kq consume`.
func NewCmdConsume(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams,
		Admin: func() (consumeAdmin, error) { return f.Admin() },
		NewConsumer: func(cc admin.ConsumerConfig) (factory.Consumer, error) {
			return f.NewConsumer(cc)
		}}
	var fl consumeFlags
	var cf consoleFlags
	cmd := &cobra.Command{
		Use:   "consume [TOPIC]",
		Short: "Read records from a topic",
		Long:  consumeLong,
		Example: "  kq consume orders --from-beginning\n" +
			"  kq consume --topic orders --offset @-1h --property print.key=true --property print.timestamp=true\n" +
			"  kq consume orders --partition 0 --offset -10 --format '%p/%o %k=%v\\n'\n" +
			"  kq consume orders --from-beginning --exit-at-end -o json > orders.jsonl\n" +
			"  kq consume orders --from-beginning --exit-at-end --filter 'header.source=billing $.total>100'\n" +
			"  kq consume orders --from-beginning --exit-at-end --isolation-level read_committed",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.fill(cmd, args, fl, cf, f); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return consumeRun(cmd.Context(), opts)
		},
		ValidArgsFunction: complete.FirstArgTopic(f),
	}
	fl.register(cmd)
	cf.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

// consumeFlags are the raw flag values.
type consumeFlags struct {
	topic          *string
	fromBeginning  *bool
	offset         *string
	partitions     *[]int32
	maxMessages    *int64
	timeoutMs      *int64
	exitAtEnd      *bool
	isolationLevel *string
	consumerProps  *[]string
	properties     *[]string
	format         *string
	group          *string
	consumerConfig *string
	filters        *[]string
}

func (c *consumeFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	c.topic = fl.StringP("topic", "t", "", "Topic to read (or give it as the argument)")
	c.fromBeginning = fl.Bool("from-beginning", false, "Start at the oldest record (same as --offset start)")
	c.offset = fl.String("offset", "", "Where to start: start, end, N, +N, -N, @TIME, @-DURATION (default end)")
	c.partitions = fl.Int32SliceP("partition", "p", nil, "Read only these partitions (repeatable or comma-separated)")
	c.maxMessages = fl.Int64("max-messages", 0, "Stop after this many records")
	c.timeoutMs = fl.Int64("timeout-ms", 0, "Stop when no record arrived for this many milliseconds")
	c.exitAtEnd = fl.BoolP("exit-at-end", "e", false, "Stop at the end offsets the partitions had when the command started")
	c.isolationLevel = fl.String("isolation-level", "read_uncommitted", "read_uncommitted, or read_committed to skip aborted transactions and stop at open ones")
	c.consumerProps = fl.StringArray("consumer-property", nil, "Consumer property `key=value`, any Kafka client property (repeatable)")
	c.consumerConfig = fl.String("consumer.config", "", "Consumer properties `file` (Kafka's client keys: security, group.id, ...)")
	_ = cmd.MarkFlagFilename("consumer.config", "properties")
	c.properties = fl.StringArray("property", nil, "Output property `key=value`: print.key=true, key.separator=..., (repeatable)")
	c.format = fl.String("format", "", "Output template, e.g. '%k\\t%v\\n' (see the verbs above)")
	c.filters = fl.StringArray("filter", nil, "Print only the records this `expression` matches (repeatable: all must match; see Filters above)")
	c.group = fl.String("group", "", "Read as a member of this consumer group, committing what is read")
	_ = cmd.RegisterFlagCompletionFunc("isolation-level",
		cobra.FixedCompletions([]string{"read_uncommitted", "read_committed"}, cobra.ShellCompDirectiveNoFileComp))
}

func (o *Options) fill(cmd *cobra.Command, args []string, c consumeFlags, cf consoleFlags, f *factory.Factory) error {
	printProps, err := o.fillConsole(cmd, cf, *c.properties)
	if err != nil {
		return err
	}
	if o.Include == nil {
		if err := o.fillTopic(args, *c.topic); err != nil {
			return err
		}
	} else if len(args) > 0 || *c.topic != "" {
		return clierr.Usagef("exactly one of --include/--topic is required")
	}
	props, err := useConsumerProperties(f, c)
	if err != nil {
		return err
	}
	if err := o.fillGroup(cmd, *c.group, props); err != nil {
		return err
	}
	if err := o.fillOffset(cmd, c, f.Now()); err != nil {
		return err
	}
	if err := o.fillReset(cmd, c, props); err != nil {
		return err
	}
	if *c.maxMessages < 0 || *c.timeoutMs < 0 {
		return clierr.Usagef("--max-messages and --timeout-ms must not be negative")
	}
	o.Partitions, o.MaxMessages = *c.partitions, *c.maxMessages
	o.Timeout, o.ExitAtEnd = time.Duration(*c.timeoutMs)*time.Millisecond, *c.exitAtEnd
	if err := o.fillFilter(*c.filters, f.Now()); err != nil {
		return err
	}
	if err := o.fillIsolation(cmd, c, props); err != nil {
		return err
	}
	if err := o.fillFormatter(printProps, *c.format, f.Output()); err != nil {
		return err
	}
	return o.wrapFormatter(cmd)
}

// fillGroup checks the group (--group or group.id) against the options
// that name partitions or offsets, which the group decides.
func (o *Options) fillGroup(cmd *cobra.Command, flagGroup string, props map[string]string) error {
	group, from := groupOf(flagGroup, props)
	if group == "" {
		return nil
	}
	for _, name := range []string{"partition", "offset"} {
		if cmd.Flags().Changed(name) {
			return clierr.Usagef("--%s can't be used with a group (%s %s): the group assigns partitions and keeps their offsets", name, from, group)
		}
	}
	o.Group = group
	return nil
}

func (o *Options) fillTopic(args []string, flagTopic string) error {
	switch {
	case len(args) == 1 && flagTopic != "" && args[0] != flagTopic:
		return clierr.Usagef("topic given twice: %q and --topic %q", args[0], flagTopic)
	case len(args) == 1:
		o.Topic = args[0]
	case flagTopic != "":
		o.Topic = flagTopic
	default:
		return clierr.Usagef("a topic is required: kq consume TOPIC, or --topic TOPIC")
	}
	return clierr.Usage(admin.ValidateTopicName(o.Topic))
}

func (o *Options) fillOffset(cmd *cobra.Command, c consumeFlags, now time.Time) error {
	if *c.fromBeginning && cmd.Flags().Changed("offset") {
		return clierr.Usagef("use either --from-beginning or --offset")
	}
	switch {
	case *c.fromBeginning:
		o.Offset = StartOffset{Kind: OffsetStart}
	case cmd.Flags().Changed("offset"):
		off, err := ParseOffset(*c.offset, now)
		if err != nil {
			return clierr.Usage(err)
		}
		o.Offset = off
	default:
		o.Offset = StartOffset{Kind: OffsetEnd}
	}
	return nil
}

func (o *Options) fillFormatter(props []string, format string, out output.Format) error {
	if out == output.JSON || out == output.YAML {
		if format != "" || len(props) > 0 {
			return clierr.Usagef("-o %s writes whole records: leave out --format and --property", out)
		}
		if out == output.YAML {
			return clierr.Usagef("consume writes JSON lines: use -o json")
		}
		o.Formatter = jsonFormatter{}
		return nil
	}
	if format != "" {
		if len(props) > 0 {
			return clierr.Usagef("use either --format or --property")
		}
		t, err := newTemplateFormatter(format)
		o.Formatter = t
		return clierr.Usage(err)
	}
	parsed := map[string]string{}
	for _, p := range props {
		key, value, ok := strings.Cut(p, "=")
		if !ok {
			return clierr.Usagef("--property %q: want key=value", p)
		}
		parsed[strings.TrimSpace(key)] = value
	}
	k, err := newKafkaFormatter(parsed)
	o.Formatter = k
	return clierr.Usage(err)
}

// fillFilter parses --filter; several must all match.
func (o *Options) fillFilter(exprs []string, now time.Time) error {
	if len(exprs) == 0 {
		return nil
	}
	text := exprs[0]
	if len(exprs) > 1 {
		text = "(" + strings.Join(exprs, ") and (") + ")"
	}
	f, err := recordfilter.Parse(text, now)
	if err != nil {
		return clierr.Usagef("--filter: %v", err)
	}
	o.Filter = f
	return nil
}
