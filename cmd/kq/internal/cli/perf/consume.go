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
}

// ConsumeSummary is the result of `kq perf consume`.
type ConsumeSummary struct {
	Records       int64   `json:"records"`
	MB            float64 `json:"mb"`
	Seconds       float64 `json:"seconds"`
	RecordsPerSec float64 `json:"records_per_sec"`
	MBPerSec      float64 `json:"mb_per_sec"`
}

// NewCmdConsume returns `kq perf consume`.
func NewCmdConsume(f *factory.Factory, runF func(context.Context, *ConsumeOptions) error) *cobra.Command {
	opts := &ConsumeOptions{IO: f.IOStreams, Now: f.Now,
		Admin:       func() (consumeAdmin, error) { return f.Admin() },
		NewConsumer: func(cc admin.ConsumerConfig) (factory.Consumer, error) { return f.NewConsumer(cc) }}
	var timeoutMs int64
	cmd := &cobra.Command{
		Use:     "consume --topic TOPIC [--messages N]",
		Short:   "Measure consume throughput (kafka-consumer-perf-test)",
		Long:    "Read a topic from the beginning and report records/s and MB/s (keys and values).",
		Example: "  kq perf consume --topic perf --messages 1000000",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Topic == "" || opts.Messages < 0 || timeoutMs <= 0 {
				return clierr.Usagef("--topic is required; --messages must not be negative, --timeout-ms must be positive")
			}
			opts.Timeout, opts.Output = time.Duration(timeoutMs)*time.Millisecond, f.Output()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return consumeRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Topic, "topic", "t", "", "Topic to read")
	cmd.Flags().Int64Var(&opts.Messages, "messages", 0, "Records to read (default: all the topic holds)")
	cmd.Flags().Int64Var(&timeoutMs, "timeout-ms", 10_000, "Stop when no record arrived for this long")
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

func consumeRun(ctx context.Context, opts *ConsumeOptions) error {
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
	start := opts.Now()
	records, size, err := drain(ctx, c, want, opts.Timeout)
	sum := consumeSummary(records, size, opts.Now().Sub(start))
	if done, werr := output.Structured(opts.IO.Out, opts.Output, sum); !done {
		fmt.Fprintf(opts.IO.Out, "%d records (%.2f MB) in %.2f s: %.1f records/sec, %.2f MB/sec\n",
			sum.Records, sum.MB, sum.Seconds, sum.RecordsPerSec, sum.MBPerSec)
	} else if werr != nil {
		return werr
	}
	return err
}

// beginning returns every partition's log start and the records in all.
func beginning(ctx context.Context, opts *ConsumeOptions) (map[int32]int64, int64, error) {
	a, err := opts.Admin()
	if err != nil {
		return nil, 0, err
	}
	starts, err := a.ListOffsets(ctx, admin.EarliestOffset, opts.Topic)
	if err != nil {
		return nil, 0, err
	}
	ends, err := a.ListOffsets(ctx, admin.LatestOffset, opts.Topic)
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

func drain(ctx context.Context, c factory.Consumer, want int64, quiet time.Duration) (int64, int64, error) {
	var records, size int64
	for records < want {
		pollCtx, cancel := context.WithTimeout(ctx, quiet)
		recs, err := c.Poll(pollCtx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return records, size, clierr.ErrInterrupted
		case errors.Is(err, context.DeadlineExceeded) && len(recs) == 0:
			return records, size, nil
		case err != nil && len(recs) == 0:
			return records, size, err
		}
		for _, r := range recs[:min(int64(len(recs)), want-records)] {
			records++
			size += int64(len(r.Key) + len(r.Value))
		}
	}
	return records, size, nil
}

func consumeSummary(records, size int64, elapsed time.Duration) ConsumeSummary {
	s := ConsumeSummary{Records: records, MB: float64(size) / (1024 * 1024), Seconds: elapsed.Seconds()}
	if s.Seconds > 0 {
		s.RecordsPerSec, s.MBPerSec = float64(records)/s.Seconds, s.MB/s.Seconds
	}
	return s
}
