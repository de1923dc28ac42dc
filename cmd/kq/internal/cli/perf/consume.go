package perf

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

type consumeAdmin interface {
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error)
}

// ConsumeOptions are the inputs of `kq perf consume`.
type ConsumeOptions struct {
	IO          *iostreams.IOStreams
	Admin       func() (consumeAdmin, error)
	NewConsumer func(admin.ConsumerConfig) (factory.Consumer, error)
	Now         func() time.Time
	Output      output.Format

	Topic    string
	Messages int64         // 0: everything the topic holds at the start
	Timeout  time.Duration // stop when no record came for this long
	// DetailedStats prints a progress line every ReportingInterval instead
	// of the closing line, as --show-detailed-stats does in Kafka.
	DetailedStats     bool
	ReportingInterval time.Duration
	HideHeader        bool
}

// NewCmdConsume returns `kq perf consume`.
func NewCmdConsume(f *factory.Factory, runF func(context.Context, *ConsumeOptions) error) *cobra.Command {
	opts := &ConsumeOptions{IO: f.IOStreams, Now: f.Now,
		Admin:       func() (consumeAdmin, error) { return f.Admin() },
		NewConsumer: func(cc admin.ConsumerConfig) (factory.Consumer, error) { return f.NewConsumer(cc) }}
	var timeoutMs, intervalMs int64
	cmd := &cobra.Command{
		Use:   "consume --topic TOPIC [--messages N]",
		Short: "Measure consume throughput (kafka-consumer-perf-test)",
		Long: "Read a topic from the beginning and print kafka-consumer-perf-test's header and CSV line:\n" +
			"start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,\n" +
			"rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec (MB: MiB of keys and values).\n" +
			"--show-detailed-stats prints a line every --reporting-interval instead; with -o json or yaml\n" +
			"the figures are fields on stdout and the detailed lines go to stderr.",
		Example: "  kq perf consume --topic perf --messages 1000000\n" +
			"  kq perf consume --topic perf --show-detailed-stats --reporting-interval 1000",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Topic == "" || opts.Messages < 0 || timeoutMs <= 0 || intervalMs <= 0 {
				return clierr.Usagef("--topic is required; --messages must not be negative, " +
					"--timeout-ms and --reporting-interval must be positive")
			}
			opts.Timeout, opts.Output = time.Duration(timeoutMs)*time.Millisecond, f.Output()
			opts.ReportingInterval = time.Duration(intervalMs) * time.Millisecond
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return consumeRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Topic, "topic", "t", "", "Topic to read")
	fl.Int64Var(&opts.Messages, "messages", 0, "Records to read (default: all the topic holds)")
	fl.Int64Var(&timeoutMs, "timeout-ms", 10_000, "Stop when no record arrived for this long")
	fl.BoolVar(&opts.DetailedStats, "show-detailed-stats", false, "Print a progress line every reporting interval instead of the closing line")
	fl.Int64Var(&intervalMs, "reporting-interval", 5000, "Milliseconds between detailed-stats lines")
	fl.BoolVar(&opts.HideHeader, "hide-header", false, "Leave out the header line")
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

func consumeRun(ctx context.Context, opts *ConsumeOptions) error {
	start := opts.Now()
	starts, total, err := beginning(ctx, opts)
	if err != nil {
		return err
	}
	want := total
	if opts.Messages > 0 {
		want = min(opts.Messages, total)
	}
	c, err := opts.NewConsumer(admin.ConsumerConfig{Start: map[string]map[int32]int64{opts.Topic: starts}})
	if err != nil {
		return err
	}
	defer c.Close()
	rep := newConsumeReporter(opts, start)
	rep.header()
	drainErr := drain(ctx, c, want, opts.Timeout, rep)
	sum := consumeSummary(rep.records, rep.bytes, start, opts.Now())
	if err := rep.summary(sum); err != nil {
		return err
	}
	return drainErr
}

// beginning returns every partition's log start and the records in all.
func beginning(ctx context.Context, opts *ConsumeOptions) (map[int32]int64, int64, error) {
	a, err := opts.Admin()
	if err != nil {
		return nil, 0, err
	}
	starts, err := a.ListOffsets(ctx, admin.EarliestOffset, opts.Topic)
	if err == nil {
		err = partitionErr(starts)
	}
	if err != nil {
		return nil, 0, err
	}
	ends, err := a.ListOffsets(ctx, admin.LatestOffset, opts.Topic)
	if err == nil {
		err = partitionErr(ends)
	}
	if err != nil {
		return nil, 0, err
	}
	out := map[int32]int64{}
	for _, s := range starts {
		out[s.Partition] = s.Offset
	}
	var total int64
	for _, e := range ends {
		total += e.Offset - out[e.Partition]
	}
	return out, total, nil
}

// partitionErr is the first partition's error in a listing: ListOffsets
// keeps the partitions that answered when others (without a leader, say)
// failed, and a failed partition's offset -1 is no place to read from.
func partitionErr(offsets []admin.PartitionOffset) error {
	for _, o := range offsets {
		if o.Err != nil {
			return fmt.Errorf("list offsets of %s partition %d: %w", o.Topic, o.Partition, o.Err)
		}
	}
	return nil
}

// drain polls until want records arrived or none came for quiet, counting
// them in rep.
func drain(ctx context.Context, c factory.Consumer, want int64, quiet time.Duration, rep *consumeReporter) error {
	for rep.records < want {
		pollCtx, cancel := context.WithTimeout(ctx, quiet)
		recs, err := c.Poll(pollCtx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return clierr.ErrInterrupted
		case errors.Is(err, context.DeadlineExceeded) && len(recs) == 0:
			return nil
		case err != nil && len(recs) == 0:
			return err
		}
		for _, r := range recs[:min(int64(len(recs)), want-rep.records)] {
			rep.add(len(r.Key) + len(r.Value))
		}
		rep.progress()
	}
	return nil
}
