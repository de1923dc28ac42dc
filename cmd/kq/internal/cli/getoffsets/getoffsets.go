// Package getoffsets is `kq get-offsets`: Kafka's kafka-get-offsets.sh
// (GetOffsetShell), one topic:partition:offset line per partition.
package getoffsets

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const long = `Print the offsets of topic-partitions at a time, as kafka-get-offsets.sh
does: one topic:partition:offset line each, sorted as Kafka sorts them.

--time takes -1 or latest (the default: the high watermark), -2 or earliest
(the log start), -3 or max-timestamp (the record with the greatest
timestamp), or a timestamp in milliseconds (the first offset at or after it;
partitions with no such record are left out). kq has no tiered storage:
-4 or earliest-local is earliest, and -5 or latest-tiered finds nothing.

Choose partitions with --topic (a regular expression) and --partitions, or
with --topic-partitions rules such as 'orders:0-3,payments,:0'.`

// Options are the inputs of `kq get-offsets`.
type Options struct {
	IO     *iostreams.IOStreams
	Admin  func() (offsetsAdmin, error)
	Output output.Format

	Filter          filter
	Time            int64 // a ListOffsets timestamp
	NoTiered        bool  // --time latest-tiered: nothing to find
	ExcludeInternal bool
}

// offsetsAdmin is what the command asks the cluster (*admin.Client).
type offsetsAdmin interface {
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	OffsetsAt(ctx context.Context, timestamp int64, partitions map[string][]int32) ([]admin.PartitionOffset, error)
}

type flags struct {
	topic, partitions, time, topicPartitions string
	excludeInternal                          bool
}

// NewCmdGetOffsets returns `kq get-offsets`; runF replaces the run in tests.
func NewCmdGetOffsets(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	fl := &flags{}
	cmd := &cobra.Command{
		Use:   "get-offsets",
		Short: "Print topic-partition offsets at a time (kafka-get-offsets.sh)",
		Long:  long,
		Example: "  kq get-offsets --topic orders\n" +
			"  kq get-offsets --topic 'orders|payments' --partitions 0,1 --time earliest\n" +
			"  kq get-offsets --topic-partitions 'orders:0-3' --time 1700000000000 -o json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := fl.options(cmd)
			if err != nil {
				return err
			}
			opts.IO, opts.Output = f.IOStreams, f.Output()
			opts.Admin = func() (offsetsAdmin, error) { return adminOf[offsetsAdmin](f) }
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&fl.topic, "topic", "", "The `topic` to get the offsets for; a regular expression (default: every topic)")
	fs.StringVar(&fl.partitions, "partitions", "", "Comma separated list of partition `ids` (default: every partition)")
	fs.StringVar(&fl.topicPartitions, "topic-partitions", "", "Comma separated topic-partition `rules`: topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3")
	fs.StringVar(&fl.time, "time", "latest", "`timestamp` of the offsets: -1 or latest, -2 or earliest, -3 or max-timestamp, or milliseconds")
	fs.BoolVar(&fl.excludeInternal, "exclude-internal-topics", false, "Leave out internal topics (__consumer_offsets, __transaction_state)")
	fs.String("broker-list", "", "DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is given")
	_ = fs.SetAnnotation("broker-list", factory.BootstrapAlias, []string{"true"}) // the flag was just defined
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

func (fl *flags) options(cmd *cobra.Command) (*Options, error) {
	if fl.topicPartitions != "" && (cmd.Flags().Changed("topic") || cmd.Flags().Changed("partitions")) {
		return nil, clierr.Usagef("--topic-partitions cannot be used with --topic or --partitions")
	}
	ts, err := parseTime(fl.time)
	if err != nil {
		return nil, clierr.Usage(err)
	}
	opts := &Options{Time: ts, ExcludeInternal: fl.excludeInternal, NoTiered: ts == latestTiered}
	if fl.topicPartitions != "" {
		opts.Filter, err = topicPartitionRules(fl.topicPartitions)
	} else {
		opts.Filter, err = topicAndPartitions(fl.topic, fl.partitions)
	}
	if err != nil {
		return nil, clierr.Usage(err)
	}
	return opts, nil
}

const (
	earliestLocal int64 = -4
	latestTiered  int64 = -5
)

// parseTime is GetOffsetShell.parseOffsetSpec.
func parseTime(s string) (int64, error) {
	names := map[string]int64{"earliest": admin.EarliestOffset, "latest": admin.LatestOffset,
		"max-timestamp": admin.MaxTimestampOffset, "earliest-local": earliestLocal, "latest-tiered": latestTiered}
	ts, ok := names[s]
	if !ok {
		var err error
		if ts, err = strconv.ParseInt(s, 10, 64); err != nil || ts < latestTiered {
			return 0, fmt.Errorf("Malformed time argument %s. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp", s)
		}
	}
	if ts == earliestLocal { // no tiered storage: the local log starts where the log does
		ts = admin.EarliestOffset
	}
	return ts, nil
}

// adminOf returns the factory's admin client as the interface a command
// needs.
func adminOf[T any](f *factory.Factory) (T, error) {
	var zero T
	a, err := f.Admin()
	if err != nil {
		return zero, err
	}
	t, ok := a.(T)
	if !ok {
		return zero, fmt.Errorf("this cluster client cannot list offsets")
	}
	return t, nil
}

// result is one line of output.
type result struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
}

func run(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	parts, err := selectPartitions(ctx, a, opts)
	if err != nil {
		return err
	}
	var listed []admin.PartitionOffset
	if !opts.NoTiered {
		if listed, err = a.OffsetsAt(ctx, opts.Time, parts); err != nil {
			return err
		}
	}
	results := make([]result, 0, len(listed))
	for _, o := range listed {
		if o.Err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "Skip getting offsets for topic-partition %s-%d due to error: %v\n", o.Topic, o.Partition, o.Err)
			continue
		}
		if o.Offset != -1 { // Kafka's UNKNOWN_OFFSET: no record at or after the time
			results = append(results, result{o.Topic, o.Partition, o.Offset})
		}
	}
	// Kafka sorts by TopicPartition.toString: "t-10" before "t-2".
	sort.Slice(results, func(i, j int) bool { return name(results[i]) < name(results[j]) })
	if done, err := output.Structured(opts.IO.Out, opts.Output, results); done {
		return err
	}
	for _, r := range results {
		fmt.Fprintf(opts.IO.Out, "%s:%d:%d\n", r.Topic, r.Partition, r.Offset)
	}
	return nil
}

func name(r result) string { return r.Topic + "-" + strconv.Itoa(int(r.Partition)) }

// selectPartitions lists the topics and keeps the partitions the filter
// allows; none is an error, as in Kafka.
func selectPartitions(ctx context.Context, a offsetsAdmin, opts *Options) (map[string][]int32, error) {
	topics, err := a.Topics(ctx)
	if err != nil {
		return nil, err
	}
	parts := map[string][]int32{}
	for _, t := range topics {
		if t.Err != nil || (t.Internal && opts.ExcludeInternal) || !opts.Filter.topic(t.Name) {
			continue
		}
		for _, p := range t.Partitions {
			if opts.Filter.partition(t.Name, p.ID) {
				parts[t.Name] = append(parts[t.Name], p.ID)
			}
		}
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("Could not match any topic-partitions with the specified filters")
	}
	return parts, nil
}
