package produce

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Kafka's console producer defaults that kq applies too: its
// --message-send-max-retries and --retry-backoff-ms hold even when not
// given, so a record the broker keeps refusing (NOT_ENOUGH_REPLICAS) fails
// after three retries with the broker's error rather than retrying until
// delivery.timeout.ms. A retries or retry.backoff.ms client property
// replaces them, as in Kafka.
const (
	DefaultConsoleRetries        = 3
	DefaultConsoleRetryBackoffMs = 100
)

// lineReaderClasses are the class names of Kafka's line reader, which is
// what kq produce reads input with: the 3.9 name and the pre-3.5 one.
var lineReaderClasses = []string{
	"org.apache.kafka.tools.LineMessageReader",
	"kafka.tools.ConsoleProducer$LineMessageReader",
}

// consoleFlags are kafka-console-producer's flags that kq takes with
// Kafka's meaning; most of them set a producer property.
type consoleFlags struct {
	sync         bool
	lineReader   string
	readerConfig string
}

// consoleProperties maps a flag to the producer property it sets, as
// Kafka's ConsoleProducer does: given, it beats --producer-property and
// --producer.config.
var consoleProperties = []struct{ flag, property, usage string }{
	{"message-send-max-retries", "retries", "Retries before a record fails (retries; default 3)"},
	{"retry-backoff-ms", "retry.backoff.ms", "Wait before retrying a record (retry.backoff.ms; default 100)"},
	{"request-timeout-ms", "request.timeout.ms", "How long the producer waits for a request's answer (request.timeout.ms)"},
	{"metadata-expiry-ms", "metadata.max.age.ms", "Refresh metadata at least this often (metadata.max.age.ms)"},
	{"max-block-ms", "max.block.ms", "How long to wait for the topic's metadata (max.block.ms)"},
	{"max-memory-bytes", "buffer.memory", "Bytes of unacknowledged records before reading blocks (buffer.memory)"},
}

func (c *consoleFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	for _, p := range consoleProperties {
		fl.Int64(p.flag, 0, p.usage)
	}
	fl.Int("max-partition-memory-bytes", 0, "Kafka's name for --batch-size (batch.size); it wins over --batch-size")
	fl.Int64("timeout", 0, "Kafka's name for --linger-ms (linger.ms)")
	fl.Int("socket-buffer-size", 0, "Refused: send.buffer.bytes (the operating system sizes socket buffers)")
	fl.BoolVar(&c.sync, "sync", false, "Send each record on its own and wait for its acknowledgement before reading the next")
	fl.StringVar(&c.lineReader, "line-reader", lineReaderClasses[0], "Input reader `class`: only Kafka's LineMessageReader (kq cannot load Java classes)")
	fl.StringVar(&c.readerConfig, "reader-config", "", "Line format properties `file` (parse.key, key.separator, ...); --property wins over it")
	_ = cmd.MarkFlagFilename("reader-config", "properties")
}

// properties returns the producer properties the given flags set, and
// the defaults of Kafka's console producer for the keys no property names.
func (c *consoleFlags) properties(fl *pflag.FlagSet) (given, defaults map[string]string, err error) {
	if fl.Changed("socket-buffer-size") {
		return nil, nil, clierr.Usagef("--socket-buffer-size (send.buffer.bytes) is refused: kq leaves socket buffer sizes to the operating system (TCP autotuning)")
	}
	if err := c.checkLineReader(); err != nil {
		return nil, nil, err
	}
	given = map[string]string{}
	for _, p := range consoleProperties {
		if !fl.Changed(p.flag) {
			continue
		}
		v, _ := fl.GetInt64(p.flag) // registered above as an int64
		if v < 0 {
			return nil, nil, clierr.Usagef("--%s must not be negative, got %d", p.flag, v)
		}
		given[p.property] = strconv.FormatInt(v, 10)
	}
	defaults = map[string]string{
		"retries":          strconv.Itoa(DefaultConsoleRetries),
		"retry.backoff.ms": strconv.Itoa(DefaultConsoleRetryBackoffMs),
	}
	return given, defaults, nil
}

func (c *consoleFlags) checkLineReader() error {
	for _, name := range lineReaderClasses {
		if c.lineReader == name {
			return nil
		}
	}
	return clierr.Usagef("--line-reader %s is refused: kq cannot load Java classes; it reads lines as %s does (configure it with --property or --reader-config)",
		c.lineReader, lineReaderClasses[0])
}

// applyKafkaNames copies --timeout and --max-partition-memory-bytes onto
// kq's --linger-ms and --batch-size.
func applyKafkaNames(fl *pflag.FlagSet) error {
	for _, alias := range []struct{ kafka, kq string }{{"timeout", "linger-ms"}, {"max-partition-memory-bytes", "batch-size"}} {
		if !fl.Changed(alias.kafka) {
			continue
		}
		v := fl.Lookup(alias.kafka).Value.String()
		if alias.kafka == "timeout" && fl.Changed(alias.kq) {
			return clierr.Usagef("--timeout is Kafka's name for --linger-ms: give one")
		}
		if err := fl.Set(alias.kq, v); err != nil {
			return clierr.Usagef("--%s: %w", alias.kafka, err)
		}
	}
	return nil
}

// readerProperties reads --reader-config: line format properties, under
// those of --property.
func (c *consoleFlags) readerProperties(props []string) ([]string, error) {
	if c.readerConfig == "" {
		return props, nil
	}
	file, err := admin.LoadProperties(c.readerConfig)
	if err != nil {
		return nil, clierr.Usage(fmt.Errorf("--reader-config: %w", err))
	}
	var merged []string
	for k, v := range file {
		if k == "topic" {
			continue // Kafka's reader is told the topic too; kq has --topic
		}
		merged = append(merged, k+"="+v)
	}
	return append(merged, props...), nil
}

// syncProducer is --sync: each record is sent alone, and the next line is
// read only once the broker acknowledged or refused it.
type syncProducer struct{ p producer }

func (s syncProducer) Produce(ctx context.Context, rec admin.Record, done func(admin.Record, error)) {
	acked := make(chan struct{})
	s.p.Produce(ctx, rec, func(r admin.Record, err error) {
		done(r, err)
		close(acked)
	})
	select {
	case <-acked:
	case <-ctx.Done(): // Ctrl-C: the flush that follows waits for it
	}
}

// feeder is the producer the input is fed to: p, or p one record at a
// time with --sync.
func (o *Options) feeder(p producer) producer {
	if o.Sync {
		return syncProducer{p: p}
	}
	return p
}
