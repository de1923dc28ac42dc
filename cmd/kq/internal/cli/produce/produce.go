// Package produce is `kq produce`: records from stdin or files, one a
// line (Kafka's console producer) or JSON lines (what `kq consume -o json`
// writes).
package produce

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Options are the inputs of `kq produce`.
type Options struct {
	IO          *iostreams.IOStreams
	NewProducer func(admin.ProducerConfig) (factory.Producer, error)

	Topic     string   // "" only with JSON input, whose lines name topics
	Files     []string // none, or "-", is stdin
	Partition int32    // admin.AnyPartition unless --partition
	JSONInput bool
	Format    LineFormat
	// Template, when set (--format), replaces Format.
	Template *inputTemplate
	Producer admin.ProducerConfig
	// MaxRecordBytes is the longest line read (max.request.size).
	MaxRecordBytes int
	// Sync sends each record alone and waits for its acknowledgement
	// before reading the next line (Kafka's --sync).
	Sync bool
	// TransactionSize, with a transactional producer, commits a
	// transaction every so many records (0: the whole input is one).
	TransactionSize int64
}

const produceLong = `Produce records from standard input or FILEs, one record per line.

By default each line is a value. Kafka's console producer properties split
lines further:
  --property parse.key=true --property key.separator=:     key:value
  --property parse.headers=true                            h1:v1,h2:v2<TAB>value
  (headers.delimiter, headers.separator, headers.key.separator, ignore.error,
  null.marker as in Kafka)
With --input json each line is a JSON record as 'kq consume -o json' writes it;
its partition and timestamp are kept, and its topic unless --topic is given.

Producer settings not given as flags come from Kafka's producer properties:
--producer-property key=value, --producer.config FILE, -X key=value,
--command-config FILE or the profile (strongest first): acks,
compression.type, linger.ms, batch.size, enable.idempotence,
delivery.timeout.ms, max.request.size, max.in.flight.requests.per.connection,
retries, buffer.memory, transactional.id, ... (docs/client-properties.md lists
them all; a property kq cannot honour is refused). Lines longer than
max.request.size (1 MiB) are reported and skipped. Every failed record is reported on stderr;
the exit status is non-zero if any failed.

kafka-console-producer's flags keep Kafka's meaning: --message-send-max-retries
(retries, default 3, so a record the broker keeps refusing fails with the
broker's error), --retry-backoff-ms (default 100), --request-timeout-ms,
--metadata-expiry-ms, --max-block-ms, --max-memory-bytes, --timeout (linger.ms),
--max-partition-memory-bytes (batch.size), --sync (one record at a time) and
--reader-config; --socket-buffer-size and a --line-reader other than Kafka's
LineMessageReader are refused.

With --transactional-id the records are written in transactions: one for the
whole input, or one every --transaction-size records, each committed when
full and at the end of the input ("Committed N transactions (M records)" on
standard error). A failed record, a read error or Ctrl-C aborts the open
transaction, so read_committed consumers never see its records, and the exit
status is non-zero.`

// NewCmdProduce returns `kq produce`.
func NewCmdProduce(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, NewProducer: func(pc admin.ProducerConfig) (factory.Producer, error) {
		return f.NewProducer(pc) // looked up at run time: tests and Run wire it after construction
	}}
	var pf producerFlags
	var cf consoleFlags
	var props, producerProps []string
	var input, format, producerConfig string
	cmd := &cobra.Command{
		Use:   "produce --topic TOPIC [FILE...]",
		Short: "Write records from standard input or files to a topic",
		Long:  produceLong,
		Example: "  seq 100 | kq produce -t numbers\n" +
			"  kq produce --topic users --property parse.key=true --property key.separator=: < users.txt\n" +
			"  kq consume orders --from-beginning --exit-at-end -o json | kq produce --input json -t orders-copy\n" +
			"  seq 1000 | kq produce -t numbers --transactional-id loader --transaction-size 100",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if err := useProducerProperties(cmd, f, cf, producerConfig, producerProps); err != nil {
				return err
			}
			readerProps, err := cf.readerProperties(props)
			if err != nil {
				return err
			}
			opts.Sync = cf.sync
			if err := opts.fill(cmd, f, pf, readerProps, input, format); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return produceRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Topic, "topic", "t", "", "Topic to write to (with --input json: overrides each line's topic)")
	fl.Int32VarP(&opts.Partition, "partition", "p", admin.AnyPartition, "Write every record to this partition (default: by key hash, else spread)")
	fl.StringArrayVar(&props, "property", nil, "Line format property `key=value`: parse.key, key.separator, parse.headers, ... (repeatable)")
	fl.StringVar(&input, "input", "text", "Input `format`: text (one record a line) or json (JSON lines)")
	fl.StringVar(&format, "format", "", "Parse each line with a `template`: "+inputVerbs+`, e.g. '%k=%v'`)
	fl.StringVar(&pf.acks, "acks", "all", "Acknowledgements: 0, 1 or all")
	fl.StringVar(&pf.compression, "compression", "none", "Batch compression: "+strings.Join(admin.CompressionCodecs, ", "))
	fl.IntVar(&pf.batchSize, "batch-size", 0, "Maximum bytes of one partition's batch (default 1000012; bigger records fail)")
	fl.IntVar(&pf.lingerMs, "linger-ms", 0, "Wait up to this long to fill batches")
	fl.BoolVar(&pf.idempotence, "idempotence", true, "Idempotent writes (only with --acks all)")
	fl.StringVar(&pf.transactionalID, "transactional-id", "", "Produce in transactions with this transactional `id` (transactional.id)")
	fl.IntVar(&pf.transactionTimeoutMs, "transaction-timeout-ms", DefaultTransactionTimeoutMs, "With --transactional-id: the coordinator aborts a transaction open longer (transaction.timeout.ms)")
	fl.Int64Var(&opts.TransactionSize, "transaction-size", 0, "With --transactional-id: commit every `N` records (default: the whole input is one transaction)")
	fl.StringArrayVar(&producerProps, "producer-property", nil, "Producer property `key=value`, any Kafka client property (repeatable)")
	fl.StringVar(&producerConfig, "producer.config", "", "Producer properties `file` (Kafka's client keys: security, acks, ...)")
	_ = cmd.MarkFlagFilename("producer.config", "properties")
	addKafkaAliases(cmd, &pf)
	cf.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	_ = cmd.RegisterFlagCompletionFunc("acks", cobra.FixedCompletions([]string{"0", "1", "all"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("compression", cobra.FixedCompletions(admin.CompressionCodecs, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("input", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// useProducerProperties adds --producer.config and --producer-property to
// the client properties, as Kafka's console producer reads them.
// Kafka's console producer flags that set a property beat both; its
// defaults (retries=3) apply where no property is given.
func useProducerProperties(cmd *cobra.Command, f *factory.Factory, cf consoleFlags, file string, pairs []string) error {
	props, err := factory.ParsePairs("--producer-property", pairs)
	if err != nil {
		return err
	}
	given, defaults, err := cf.properties(cmd.Flags())
	if err != nil {
		return err
	}
	if err := applyKafkaNames(cmd.Flags()); err != nil {
		return err
	}
	maps.Copy(props, given)
	f.UseClient(factory.ClientUse{Scopes: []admin.Scope{admin.ScopeProducer}, ConfigFile: file,
		ConfigFlag: "--producer.config", Properties: props, Command: "kq produce", Defaults: defaults})
	return nil
}

// addKafkaAliases accepts kafka-console-producer's names for the same
// settings, hidden from help.
func addKafkaAliases(cmd *cobra.Command, pf *producerFlags) {
	fl := cmd.Flags()
	fl.StringVar(&pf.acks, "request-required-acks", "all", "")
	fl.StringVar(&pf.compression, "compression-codec", "none", "")
	for _, alias := range []string{"request-required-acks", "compression-codec"} {
		_ = fl.MarkHidden(alias)
	}
	// Kafka 3.9's console producer still takes --broker-list; the root
	// command applies it before any option is read.
	fl.String("broker-list", "", "DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is given")
	_ = fl.SetAnnotation("broker-list", factory.BootstrapAlias, []string{"true"}) // the flag was just defined
}

// fill validates the flags and merges them with the client properties.
func (o *Options) fill(cmd *cobra.Command, f *factory.Factory, pf producerFlags, props []string, input, format string) error {
	switch input {
	case "text":
	case "json":
		o.JSONInput = true
	default:
		return clierr.Usagef("--input: want text or json, got %q", input)
	}
	if o.Topic != "" {
		if err := admin.ValidateTopicName(o.Topic); err != nil {
			return clierr.Usage(err)
		}
	}
	if err := o.fillFormat(props); err != nil {
		return err
	}
	if err := o.fillTemplate(format, len(props) > 0); err != nil {
		return err
	}
	linesNameTopics := o.JSONInput || o.Template != nil && o.Template.has('t')
	if o.Topic == "" && !linesNameTopics {
		return clierr.Usagef("--topic is required")
	}
	fl := cmd.Flags()
	if fl.Changed("compression-codec") {
		_ = fl.Set("compression", pf.compression)
	}
	if fl.Changed("request-required-acks") {
		_ = fl.Set("acks", pf.acks)
	}
	return o.fillProducer(fl, f, pf)
}

func (o *Options) fillFormat(props []string) error {
	o.Format = DefaultLineFormat()
	for _, p := range props {
		key, value, ok := strings.Cut(p, "=")
		if !ok {
			return clierr.Usagef("--property %q: want key=value", p)
		}
		if !o.Format.apply(strings.TrimSpace(key), value) {
			return clierr.Usagef("--property %s: unknown (known: %s)", key, strings.Join(readerProperties, ", "))
		}
	}
	return clierr.Usage(o.Format.check())
}

func (o *Options) fillTemplate(format string, hasProps bool) error {
	if format == "" {
		return nil
	}
	if o.JSONInput || hasProps {
		return clierr.Usagef("--format goes with neither --input json nor --property")
	}
	t, err := parseInputTemplate(format)
	if err != nil {
		return clierr.Usage(err)
	}
	o.Template = t
	return nil
}

func (o *Options) fillProducer(fl *pflag.FlagSet, f *factory.Factory, pf producerFlags) error {
	cfg, err := f.ClientConfig()
	if err != nil {
		return err
	}
	pc, maxSize, err := producerConfig(fl, pf, cfg.Properties)
	if err != nil {
		return clierr.Usage(err)
	}
	if !slices.Contains(admin.CompressionCodecs, strings.ToLower(pc.Compression)) {
		return clierr.Usagef("--compression: want one of %s, got %q", strings.Join(admin.CompressionCodecs, ", "), pc.Compression)
	}
	o.Producer, o.MaxRecordBytes = pc, maxSize
	switch {
	case o.TransactionSize < 0:
		return clierr.Usagef("--transaction-size must not be negative, got %d", o.TransactionSize)
	case fl.Changed("transaction-size") && pc.TransactionalID == "":
		return clierr.Usagef("--transaction-size needs --transactional-id")
	}
	return nil
}
