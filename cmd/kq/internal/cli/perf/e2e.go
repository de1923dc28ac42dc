package perf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
	"github.com/twmb/franz-go/pkg/kerr"
)

type e2eAdmin interface {
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	CreateTopic(ctx context.Context, spec admin.TopicSpec) (admin.CreatedTopic, error)
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error)
}

// E2EOptions are the inputs of `kq perf e2e`.
type E2EOptions struct {
	IO          *iostreams.IOStreams
	Admin       func() (e2eAdmin, error)
	NewProducer func(admin.ProducerConfig) (factory.Producer, error)
	NewConsumer func(admin.ConsumerConfig) (factory.Consumer, error)
	Output      output.Format

	// BrokerList is Kafka's first positional argument; "" keeps
	// --bootstrap-server.
	BrokerList  string
	Topic       string
	Messages    int64
	Acks        admin.Acks
	MessageSize int
	// PollTimeout is how long to wait for a produced record to come back.
	PollTimeout time.Duration
}

// NewCmdE2E returns `kq perf e2e`.
func NewCmdE2E(f *factory.Factory, runF func(context.Context, *E2EOptions) error) *cobra.Command {
	opts := &E2EOptions{IO: f.IOStreams,
		Admin:       func() (e2eAdmin, error) { return f.Admin() },
		NewProducer: func(pc admin.ProducerConfig) (factory.Producer, error) { return f.NewProducer(pc) },
		NewConsumer: func(cc admin.ConsumerConfig) (factory.Consumer, error) { return f.NewConsumer(cc) }}
	var acks string
	var timeoutMs int64
	cmd := &cobra.Command{
		Use:   "e2e [BROKER_LIST TOPIC NUM_MESSAGES PRODUCER_ACKS MESSAGE_SIZE_BYTES]",
		Short: "Measure produce-to-consume latency, one record at a time (kafka-e2e-latency)",
		Long: "Produce one record, wait for its acknowledgement, consume it back, and repeat; then print\n" +
			"the average latency and its 50th, 99th and 99.9th percentiles as kafka-e2e-latency does.\n" +
			"Takes Kafka's five arguments or the flags. A missing topic is created with one partition.\n" +
			"Every 1000th latency is printed as it is measured (stderr with -o json or yaml).",
		Example: "  kq perf e2e localhost:9092 latency 10000 all 100\n" +
			"  kq perf e2e --topic latency --num-messages 10000 --acks 1 --message-size 100 -o json",
		Args: cobra.MatchAll(func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 5 {
				return clierr.Usagef("want no arguments or five: BROKER_LIST TOPIC NUM_MESSAGES PRODUCER_ACKS MESSAGE_SIZE_BYTES")
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.fromArgs(args, &acks); err != nil {
				return err
			}
			if err := opts.finish(acks, timeoutMs); err != nil {
				return err
			}
			if err := opts.useBrokerList(f); err != nil {
				return err
			}
			opts.Output = f.Output()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return e2eRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Topic, "topic", "t", "", "Topic to produce to and consume from")
	fl.Int64Var(&opts.Messages, "num-messages", 10_000, "Records to send one at a time")
	fl.StringVar(&acks, "acks", "1", "Producer acknowledgements: 1 or all (latency needs a synchronous acknowledgement)")
	fl.IntVar(&opts.MessageSize, "message-size", 100, "Bytes per record value")
	fl.Int64Var(&timeoutMs, "timeout-ms", 60_000, "Fail when a record has not come back after this long")
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

// fromArgs reads Kafka's positional arguments, when given.
func (o *E2EOptions) fromArgs(args []string, acks *string) error {
	if len(args) == 0 {
		return nil
	}
	messages, err1 := strconv.ParseInt(args[2], 10, 64)
	size, err2 := strconv.Atoi(args[4])
	if err := errors.Join(err1, err2); err != nil {
		return clierr.Usage(fmt.Errorf("NUM_MESSAGES and MESSAGE_SIZE_BYTES must be integers: %w", err))
	}
	o.BrokerList, o.Topic, o.Messages, *acks, o.MessageSize = args[0], args[1], messages, args[3], size
	return nil
}

// finish checks the options.
func (o *E2EOptions) finish(acks string, timeoutMs int64) error {
	a, err := admin.ParseAcks(acks)
	switch {
	case err != nil:
		return clierr.Usage(err)
	case a == admin.AcksNone:
		return clierr.Usagef("latency testing requires synchronous acknowledgement: use acks 1 or all")
	case o.Topic == "":
		return clierr.Usagef("a topic is required (--topic or the second argument)")
	case o.Messages <= 0 || o.MessageSize < 0 || timeoutMs <= 0:
		return clierr.Usagef("the number of messages and --timeout-ms must be positive, the message size not negative")
	}
	if err := admin.ValidateTopicName(o.Topic); err != nil {
		return clierr.Usage(err)
	}
	o.Acks, o.PollTimeout = a, time.Duration(timeoutMs)*time.Millisecond
	return nil
}

// useBrokerList makes Kafka's BROKER_LIST argument stand in for
// --bootstrap-server. The options are resolved before the command runs,
// but the clients are built from them on first use, which comes later.
func (o *E2EOptions) useBrokerList(f *factory.Factory) error {
	if o.BrokerList == "" {
		return nil
	}
	global, err := f.Options()
	if err != nil {
		return err
	}
	global.BootstrapServer = o.BrokerList
	return nil
}

// progressWriter is where lines other than the result go: stdout like
// Kafka's tools, stderr when stdout carries JSON or YAML.
func progressWriter(ios *iostreams.IOStreams, f output.Format) io.Writer {
	if f == output.JSON || f == output.YAML {
		return ios.ErrOut
	}
	return ios.Out
}

func e2eRun(ctx context.Context, opts *E2EOptions) error {
	lines := progressWriter(opts.IO, opts.Output)
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	if err := ensureTopic(ctx, a, opts.Topic, lines); err != nil {
		return err
	}
	ends, err := logEnds(ctx, a, opts.Topic, opts.PollTimeout)
	if err != nil {
		return err
	}
	start := map[int32]int64{}
	for _, e := range ends {
		start[e.Partition] = e.Offset
	}
	c, err := opts.NewConsumer(admin.ConsumerConfig{Start: map[string]map[int32]int64{opts.Topic: start}})
	if err != nil {
		return err
	}
	defer c.Close()
	p, err := opts.NewProducer(admin.ProducerConfig{Acks: opts.Acks, Idempotent: opts.Acks == admin.AcksAll})
	if err != nil {
		return err
	}
	defer p.Close()
	latencies, err := roundTrips(ctx, opts, p, c, lines)
	if err != nil {
		return err
	}
	sum := e2eSummary(latencies)
	if done, err := output.Structured(opts.IO.Out, opts.Output, sum); done {
		return err
	}
	_, err = fmt.Fprint(opts.IO.Out, sum.lines())
	return err
}

// ensureTopic creates a missing topic as Kafka's tool does: one
// partition, one replica.
func ensureTopic(ctx context.Context, a e2eAdmin, topic string, lines io.Writer) error {
	ts, err := a.Topics(ctx, topic)
	if err != nil {
		return err
	}
	if len(ts) == 1 && ts[0].Err == nil {
		return nil
	}
	if len(ts) == 1 && !errors.Is(ts[0].Err, kerr.UnknownTopicOrPartition) {
		return fmt.Errorf("describe topic %s: %w", topic, ts[0].Err)
	}
	fmt.Fprintf(lines, "Topic \"%s\" does not exist. Will create topic with 1 partition(s) and replication factor = 1\n", topic)
	if _, err := a.CreateTopic(ctx, admin.TopicSpec{Name: topic, Partitions: 1, ReplicationFactor: 1}); err != nil {
		return fmt.Errorf("create topic %s: %w", topic, err)
	}
	return nil
}

// logEnds lists the topic's log end offsets, retrying retriable errors
// for up to timeout: a topic just created has no leader for a moment.
func logEnds(ctx context.Context, a e2eAdmin, topic string, timeout time.Duration) ([]admin.PartitionOffset, error) {
	deadline := time.Now().Add(timeout)
	retry := time.NewTicker(50 * time.Millisecond)
	defer retry.Stop()
	for {
		ends, err := a.ListOffsets(ctx, admin.LatestOffset, topic)
		if err == nil {
			err = partitionErr(ends)
		}
		if err == nil || !kerr.IsRetriable(err) || time.Now().After(deadline) {
			return ends, err
		}
		select {
		case <-ctx.Done():
			return nil, clierr.ErrInterrupted
		case <-retry.C:
		}
	}
}
