package verifiable

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

const producerLong = `Produce increasing integers to a topic and print one JSON line per event, as
Kafka's VerifiableProducer (the producer of Kafka's system tests) does:
startup_complete, producer_send_success or producer_send_error for every
record, then shutdown_complete and tool_data (sent, acked, throughput) when
--max-messages are sent or the process is stopped (SIGINT, SIGTERM).

Values are 0, 1, 2, ... ("<prefix>.<n>" with --value-prefix); keys are null,
or cycle 0..N-1 with --repeating-keys N. --producer.config is
--command-config: a Kafka client properties file.`

// ProducerOptions are the inputs of `kq verifiable-producer`.
type ProducerOptions struct {
	Topic        string
	MaxMessages  int64 // < 0: until stopped
	Throughput   int64 // < 0: unthrottled; 0: send nothing
	Acks         admin.Acks
	CreateTime   int64  // < 0: the producer's clock
	ValuePrefix  *int64 // nil: no prefix
	RepeatingKey int64  // 0: null keys
}

// NewCmdVerifiableProducer returns `kq verifiable-producer`.
func NewCmdVerifiableProducer(f *factory.Factory) *cobra.Command {
	o := &ProducerOptions{}
	var acks int
	var prefix int64
	cmd := &cobra.Command{
		Use:   "verifiable-producer --topic TOPIC",
		Short: "Produce integers and print JSON events, as Kafka's VerifiableProducer",
		Long:  producerLong,
		Example: "  kq verifiable-producer --topic t --max-messages 1000 --throughput 100\n" +
			"  kq verifiable-producer --topic t --acks 1 --value-prefix 7 --repeating-keys 3",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Topic == "" {
				return clierr.Usagef("argument --topic is required")
			}
			if acks != 0 && acks != 1 && acks != -1 {
				return clierr.Usagef("argument --acks: invalid choice: %d (choose from 0, 1, -1)", acks)
			}
			o.Acks = admin.Acks(acks)
			if cmd.Flags().Changed("value-prefix") {
				o.ValuePrefix = &prefix
			}
			return runProducer(cmd.Context(), f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Topic, "topic", "", "Produce messages to this `topic` (required)")
	fl.Int64Var(&o.MaxMessages, "max-messages", -1, "Produce this many messages; -1 produces until stopped")
	fl.Int64Var(&o.Throughput, "throughput", -1, "If >= 0, throttle to about this many messages per second")
	fl.IntVar(&acks, "acks", -1, "Acks required on each produced message: 0, 1 or -1")
	fl.Int64Var(&o.CreateTime, "message-create-time", -1, "Send messages with creation time starting at this value, in ms since the epoch")
	fl.Int64Var(&prefix, "value-prefix", 0, "Prefix each value with this number and a dot")
	fl.Int64Var(&o.RepeatingKey, "repeating-keys", 0, "Give records keys 0..N-1, repeating")
	aliasCommandConfig(cmd, "producer.config")
	addBrokerList(cmd)
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

// addBrokerList adds Kafka 3.9's deprecated --broker-list, which the root
// command applies as --bootstrap-server.
func addBrokerList(cmd *cobra.Command) {
	cmd.Flags().String("broker-list", "", "DEPRECATED, use --bootstrap-server instead")
	_ = cmd.Flags().SetAnnotation("broker-list", factory.BootstrapAlias, []string{"true"}) // the flag was just defined
}

// aliasCommandConfig makes --<name> (Kafka's --producer.config and
// --consumer.config) the global --command-config.
func aliasCommandConfig(cmd *cobra.Command, name string) {
	cmd.Flags().SetNormalizeFunc(func(_ *pflag.FlagSet, n string) pflag.NormalizedName {
		if n == name {
			return "command-config"
		}
		return pflag.NormalizedName(n)
	})
}

// sender produces one record per call and counts the outcomes.
type sender struct {
	p          factory.Producer
	pr         *printer
	o          *ProducerOptions
	sent       atomic.Int64
	acked      atomic.Int64
	keyCounter int64
	createTime int64
	start      time.Time
}

func runProducer(ctx context.Context, f *factory.Factory, o *ProducerOptions) error {
	f.UseClient(factory.ClientUse{Scopes: []admin.Scope{admin.ScopeProducer}, Command: "kq verifiable-producer"})
	cfg, err := f.ClientConfig()
	if err != nil {
		return err
	}
	pc, err := producerConfig(o.Acks, cfg.Properties)
	if err != nil {
		return clierr.Usage(fmt.Errorf("--producer.config: %w", err))
	}
	p, err := f.NewProducer(pc)
	if err != nil {
		return err
	}
	pr := &printer{out: f.IOStreams.Out, now: f.Now}
	s := &sender{p: p, pr: pr, o: o, createTime: o.CreateTime, start: f.Now()}
	pr.print(pr.head("startup_complete"))
	s.sendAll(ctx)
	// As Kafka's shutdown hook: flush what is queued, then report.
	flushErr := p.Flush(context.WithoutCancel(ctx))
	p.Close()
	pr.print(pr.head("shutdown_complete"))
	elapsed := f.Now().Sub(s.start).Seconds()
	avg := 0.0
	if elapsed > 0 {
		avg = float64(s.acked.Load()) / elapsed
	}
	pr.print(toolData{event: pr.head("tool_data"), Sent: s.sent.Load(), Acked: s.acked.Load(), TargetThroughput: o.Throughput, AvgThroughput: avg})
	if flushErr != nil {
		return fmt.Errorf("flush: %w", flushErr)
	}
	if ctx.Err() != nil {
		return clierr.ErrInterrupted
	}
	return nil
}

// sendAll sends --max-messages records (or until ctx ends) at the
// throttled rate.
func (s *sender) sendAll(ctx context.Context) {
	t := newThrottle(s.o.Throughput, s.start)
	for i := int64(0); s.o.MaxMessages < 0 || i < s.o.MaxMessages; i++ {
		if ctx.Err() != nil {
			return
		}
		s.send(ctx, s.key(), s.value(i))
		if !t.wait(ctx, i+1) {
			return
		}
	}
}

func (s *sender) value(i int64) string {
	if s.o.ValuePrefix != nil {
		return fmt.Sprintf("%d.%d", *s.o.ValuePrefix, i)
	}
	return strconv.FormatInt(i, 10)
}

func (s *sender) key() *string {
	if s.o.RepeatingKey <= 0 {
		return nil
	}
	k := strconv.FormatInt(s.keyCounter, 10)
	if s.keyCounter++; s.keyCounter == s.o.RepeatingKey {
		s.keyCounter = 0
	}
	return &k
}

func (s *sender) send(ctx context.Context, key *string, value string) {
	rec := admin.Record{Topic: s.o.Topic, Partition: -1, Value: []byte(value)}
	if key != nil {
		rec.Key = []byte(*key)
	}
	if s.createTime >= 0 {
		rec.Timestamp = time.UnixMilli(s.createTime)
		s.createTime += time.Since(s.start).Milliseconds() // as Kafka advances it
	}
	s.sent.Add(1)
	s.p.Produce(ctx, rec, func(r admin.Record, err error) {
		if err != nil {
			s.pr.print(sendError{event: s.pr.head("producer_send_error"), Topic: s.o.Topic, Key: key, Value: value,
				Exception: "class " + javaException(err), Message: err.Error()})
			return
		}
		s.acked.Add(1)
		s.pr.print(sendSuccess{event: s.pr.head("producer_send_success"), Key: key, Value: value,
			Topic: r.Topic, Partition: r.Partition, Offset: r.Offset})
	})
}

// javaException names the Java exception Kafka's producer would report
// for err: the error code's class (NOT_ENOUGH_REPLICAS is
// NotEnoughReplicasException), TimeoutException for a record that timed
// out.
func javaException(err error) string {
	const pkg = "org.apache.kafka.common.errors."
	var ke *kerr.Error
	if !errors.As(err, &ke) {
		return pkg + "TimeoutException"
	}
	if ke.Code == kerr.RequestTimedOut.Code {
		return pkg + "TimeoutException"
	}
	var b strings.Builder
	for _, w := range strings.Split(strings.ToLower(ke.Message), "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return pkg + strings.TrimSuffix(b.String(), "Exception") + "Exception"
}
