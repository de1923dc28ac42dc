package perf

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// ProduceOptions are the inputs of `kq perf produce`.
type ProduceOptions struct {
	IO          *iostreams.IOStreams
	NewProducer func(admin.ProducerConfig) (factory.Producer, error)
	Now         func() time.Time
	Output      output.Format

	Topic      string
	Records    int64
	RecordSize int
	// Throughput caps records per second; <= 0 is unlimited.
	Throughput float64
	Producer   admin.ProducerConfig
	// Interval between progress lines on stderr.
	Interval time.Duration
}

// NewCmdProduce returns `kq perf produce`.
func NewCmdProduce(f *factory.Factory, runF func(context.Context, *ProduceOptions) error) *cobra.Command {
	opts := &ProduceOptions{IO: f.IOStreams, Now: f.Now, Interval: 5 * time.Second,
		NewProducer: func(pc admin.ProducerConfig) (factory.Producer, error) { return f.NewProducer(pc) }}
	var acks, compression string
	var batchSize, lingerMs int
	cmd := &cobra.Command{
		Use:   "produce --topic TOPIC --num-records N --record-size BYTES",
		Short: "Measure produce throughput and latency (kafka-producer-perf-test)",
		Long: "Send N records of random bytes as fast as allowed and report records/s, MB/s and\n" +
			"latency (average, max, p50, p95, p99, p99.9) from send to acknowledgement.\n" +
			"An interval line every 5 s and the closing line go to stdout as Kafka prints them; with -o json\n" +
			"or yaml the summary's fields go to stdout and the interval lines to stderr.",
		Example: "  kq perf produce --topic perf --num-records 1000000 --record-size 100 --acks 1",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			pc, err := perfProducerConfig(acks, compression, batchSize, lingerMs)
			if err != nil {
				return err
			}
			pc.MaxBufferedRecords = bufferedRecords(opts.RecordSize)
			opts.Producer, opts.Output = pc, f.Output()
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return produceRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Topic, "topic", "t", "", "Topic to write to")
	fl.Int64Var(&opts.Records, "num-records", 1_000_000, "Number of records to send")
	fl.IntVar(&opts.RecordSize, "record-size", 100, "Bytes per record value")
	fl.Float64Var(&opts.Throughput, "throughput", -1, "Records per second at most (-1: unlimited)")
	fl.StringVar(&acks, "acks", "1", "Acknowledgements: 0, 1 or all")
	fl.StringVar(&compression, "compression", "none", "Compression: "+strings.Join(admin.CompressionCodecs, ", "))
	fl.IntVar(&batchSize, "batch-size", 0, "Maximum batch bytes per partition (default 1000012)")
	fl.IntVar(&lingerMs, "linger-ms", 0, "Wait up to this long to fill batches")
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

// kafkaBufferMemory is Kafka's buffer.memory default, which
// kafka-producer-perf-test runs with: the producer buffers 32 MiB of
// records before send blocks, however small they are. franz-go counts
// records instead (50,000 by default), which blocked a 100-byte load
// after 5 MB and woke the sender once per acknowledged batch; the perf
// producer buffers 32 MiB worth of records, and never fewer than
// franz-go's default, so large records buffer as they did.
const kafkaBufferMemory = 32 << 20

// bufferedRecords is how many records of size bytes the perf producer
// holds: at most half a million, each costing the client a few hundred
// bytes besides its value.
func bufferedRecords(size int) int {
	return min(500_000, max(50_000, kafkaBufferMemory/max(size, 1)))
}

func perfProducerConfig(acks, compression string, batchSize, lingerMs int) (admin.ProducerConfig, error) {
	a, err := admin.ParseAcks(acks)
	if err != nil {
		return admin.ProducerConfig{}, clierr.Usage(err)
	}
	if batchSize < 0 || lingerMs < 0 {
		return admin.ProducerConfig{}, clierr.Usagef("--batch-size and --linger-ms must not be negative")
	}
	return admin.ProducerConfig{Acks: a, Idempotent: a == admin.AcksAll, Compression: compression,
		BatchMaxBytes: int32(batchSize), Linger: time.Duration(lingerMs) * time.Millisecond}, nil
}

func (o *ProduceOptions) check() error {
	switch {
	case o.Topic == "":
		return clierr.Usagef("--topic is required")
	case o.Records <= 0:
		return clierr.Usagef("--num-records must be positive")
	case o.RecordSize < 0:
		return clierr.Usagef("--record-size must not be negative")
	}
	if err := admin.ValidateTopicName(o.Topic); err != nil {
		return clierr.Usage(err)
	}
	for _, c := range admin.CompressionCodecs {
		if strings.EqualFold(c, o.Producer.Compression) {
			return nil
		}
	}
	return clierr.Usagef("--compression: want one of %s", strings.Join(admin.CompressionCodecs, ", "))
}

func produceRun(ctx context.Context, opts *ProduceOptions) error {
	p, err := opts.NewProducer(opts.Producer)
	if err != nil {
		return err
	}
	defer p.Close()
	if err := p.Prepare(ctx, opts.Topic); err != nil {
		return err
	}
	st := newStats(opts.Now(), opts.Records)
	stopTicker := startTicker(opts, st)
	sendErr := send(ctx, opts, p, st)
	flushErr := p.Flush(context.WithoutCancel(ctx))
	stopTicker()
	sum := st.summary(opts.Now())
	if done, err := output.Structured(opts.IO.Out, opts.Output, sum); done {
		return firstErr(ctx, err, sendErr, flushErr)
	}
	fmt.Fprintln(opts.IO.Out, sum.line())
	if sum.Errors > 0 {
		return firstErr(ctx, fmt.Errorf("%d records failed", sum.Errors), sendErr, flushErr)
	}
	return firstErr(ctx, nil, sendErr, flushErr)
}

func firstErr(ctx context.Context, err, sendErr, flushErr error) error {
	switch {
	case ctx.Err() != nil:
		return clierr.ErrInterrupted
	case sendErr != nil:
		return sendErr
	case flushErr != nil:
		return flushErr
	}
	return err
}

// send produces opts.Records records of one random payload, pacing to
// --throughput like Kafka's ThroughputThrottler. A record's latency runs
// from its send time, read once per record, to its callback.
func send(ctx context.Context, opts *ProduceOptions, p factory.Producer, st *stats) error {
	payload := make([]byte, opts.RecordSize)
	for i := range payload {
		payload[i] = byte('A' + rand.IntN(26)) // printable, as Kafka's perf tool
	}
	done := func(sent time.Time, err error) {
		if err != nil {
			st.fail()
			return
		}
		st.record(time.Since(sent), len(payload))
	}
	start := time.Now()
	for i := int64(0); i < opts.Records; i++ {
		if ctx.Err() != nil {
			return nil
		}
		throttle(ctx, opts.Throughput, i, start)
		// The send time from the monotonic clock alone (start plus the
		// time since): a third of the cost of time.Now, which reads the
		// wall clock too, at millions of records per second.
		p.SendValue(ctx, opts.Topic, payload, start.Add(time.Since(start)), done)
	}
	return nil
}

func throttle(ctx context.Context, perSec float64, sent int64, start time.Time) {
	if perSec <= 0 {
		return
	}
	due := start.Add(time.Duration(float64(sent) / perSec * float64(time.Second)))
	if wait := time.Until(due); wait > time.Millisecond {
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// startTicker prints interval lines until the returned stop.
func startTicker(opts *ProduceOptions, st *stats) func() {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(opts.Interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				st.printWindow(progressWriter(opts.IO, opts.Output), opts.Now())
			}
		}
	}()
	return func() { close(done); <-stopped }
}
