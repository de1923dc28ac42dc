// Package dumplog is `kq dump-log`: Kafka's kafka-dump-log.sh, reading a
// partition's files directly (no broker needed).
package dumplog

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const long = `Print the contents of a partition's files, as kafka-dump-log.sh does: record
batches of a segment (.log), entries of its offset index (.index) and time
index (.timeindex), producer snapshots (.snapshot) and aborted transactions
(.txnindex). The files are read directly, so it works on a stopped broker's
log dir and on Kafka's own files, pre-0.11 messages (magic 0 and 1)
included; it is the tool for a segment that looks corrupt.

--deep-iteration prints every record; --print-data-log adds keys and values
(decoded as UTF-8 strings, or as Kafka's IntegerDecoder, LongDecoder or
DefaultDecoder with --key-decoder-class/--value-decoder-class);
--offsets-decoder and --transaction-log-decoder print the records of
__consumer_offsets and __transaction_state as Kafka does.

Index problems (entries that do not match the log, timestamps out of order)
and non-consecutive offsets are reported on standard error after the dump,
as Kafka reports them; the exit status is 1 only when a file cannot be read
or its records do not decode.`

// Options are the inputs of `kq dump-log`.
type Options struct {
	IO     *iostreams.IOStreams
	Output output.Format

	Files              []string
	PrintDataLog       bool
	DeepIteration      bool
	SkipRecordMetadata bool
	VerifyIndexOnly    bool
	IndexSanityCheck   bool
	MaxMessageSize     int
	MaxBytes           int
	// Parser decodes keys and values when PrintDataLog is set.
	Parser parser
}

type flags struct {
	printData, deep, skipMeta, verify, sanity, offsets, txn bool
	files                                                   []string
	maxMessageSize, maxBytes                                int
	keyDecoder, valueDecoder                                string
	clusterMetadata, remoteMetadata                         bool
}

// NewCmdDumpLog returns `kq dump-log`; runF replaces the run in tests.
func NewCmdDumpLog(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	fl := &flags{}
	cmd := &cobra.Command{
		Use:   "dump-log --files FILE[,FILE...]",
		Short: "Print the contents of log segments and index files (kafka-dump-log.sh)",
		Long:  long,
		Example: "  kq dump-log --files /tmp/kafka-logs/orders-0/00000000000000000000.log --print-data-log\n" +
			"  kq dump-log --files 00000000000000000000.index,00000000000000000000.timeindex --verify-index-only\n" +
			"  kq dump-log --offsets-decoder --files /tmp/kafka-logs/__consumer_offsets-12/00000000000000000000.log",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := fl.options(cmd)
			if err != nil {
				return err
			}
			opts.IO, opts.Output = f.IOStreams, f.Output()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(opts)
		},
	}
	addFlags(cmd, fl)
	return cmd
}

func addFlags(cmd *cobra.Command, fl *flags) {
	f := cmd.Flags()
	f.StringSliceVar(&fl.files, "files", nil, "REQUIRED: the comma separated list of data and index log `files` to be dumped")
	f.BoolVar(&fl.printData, "print-data-log", false, "Print the records' keys and values (implies --deep-iteration; set by any decoder option)")
	f.BoolVar(&fl.deep, "deep-iteration", false, "Print every record, not only the batches (set by --print-data-log)")
	f.BoolVar(&fl.skipMeta, "skip-record-metadata", false, "Do not print each record's metadata (offset, timestamp, sizes, ...)")
	f.BoolVar(&fl.verify, "verify-index-only", false, "Check index entries against the log without printing them")
	f.BoolVar(&fl.sanity, "index-sanity-check", false, "Only run the index check a broker runs at start-up to decide whether to rebuild it")
	f.IntVar(&fl.maxMessageSize, "max-message-size", 5*1024*1024, "Size of the largest batch, in `bytes` (index verification)")
	f.IntVar(&fl.maxBytes, "max-bytes", math.MaxInt32, "Read only the batches within the first `bytes` of each .log file")
	f.BoolVar(&fl.offsets, "offsets-decoder", false, "Decode records as __consumer_offsets offsets and group metadata")
	f.BoolVar(&fl.txn, "transaction-log-decoder", false, "Decode records as __transaction_state transaction metadata")
	f.BoolVar(&fl.clusterMetadata, "cluster-metadata-decoder", false, "Decode records as KRaft cluster metadata (not available: kq runs in ZooKeeper mode)")
	f.BoolVar(&fl.remoteMetadata, "remote-log-metadata-decoder", false, "Decode records as remote log metadata (not available: kq has no tiered storage)")
	f.StringVar(&fl.keyDecoder, "key-decoder-class", "", "Decoder for keys: Kafka's `class` StringDecoder (default), IntegerDecoder, LongDecoder or DefaultDecoder")
	f.StringVar(&fl.valueDecoder, "value-decoder-class", "", "Decoder for values: Kafka's `class` StringDecoder (default), IntegerDecoder, LongDecoder or DefaultDecoder")
	_ = cmd.MarkFlagFilename("files", "log", "index", "timeindex", "snapshot", "txnindex")
}

// options validates the flags as Kafka's DumpLogSegmentsOptions does.
func (fl *flags) options(cmd *cobra.Command) (*Options, error) {
	if len(fl.files) == 0 {
		return nil, clierr.Usagef("missing required argument \"[files]\"")
	}
	if fl.clusterMetadata || fl.remoteMetadata {
		return nil, clierr.Usagef("--cluster-metadata-decoder and --remote-log-metadata-decoder read KRaft and tiered-storage logs, which kq (ZooKeeper mode, no tiered storage) does not have")
	}
	if fl.offsets && fl.txn {
		return nil, clierr.Usagef("--offsets-decoder and --transaction-log-decoder cannot be used together")
	}
	if fl.maxMessageSize <= 0 || fl.maxBytes <= 0 {
		return nil, clierr.Usagef("--max-message-size and --max-bytes must be positive")
	}
	decoded := fl.offsets || fl.txn || cmd.Flags().Changed("key-decoder-class") || cmd.Flags().Changed("value-decoder-class")
	opts := &Options{
		Files: fl.files, PrintDataLog: fl.printData || decoded, SkipRecordMetadata: fl.skipMeta,
		VerifyIndexOnly: fl.verify, IndexSanityCheck: fl.sanity,
		MaxMessageSize: fl.maxMessageSize, MaxBytes: fl.maxBytes,
	}
	opts.DeepIteration = fl.deep || opts.PrintDataLog
	p, err := fl.parser()
	if err != nil {
		return nil, clierr.Usage(err)
	}
	opts.Parser = p
	for _, class := range []string{fl.keyDecoder, fl.valueDecoder} {
		if name, ok := strings.CutPrefix(class, "kafka.serializer."); ok {
			fmt.Fprintf(cmd.ErrOrStderr(), "kafka.serializer.%s is deprecated. Please use org.apache.kafka.tools.api.%s instead\n", name, name)
		}
	}
	return opts, nil
}

func (fl *flags) parser() (parser, error) {
	switch {
	case fl.offsets:
		return offsetsParser, nil
	case fl.txn:
		return txnParser, nil
	}
	kd, err := decoderFor(fl.keyDecoder)
	if err != nil {
		return nil, fmt.Errorf("--key-decoder-class: %w", err)
	}
	vd, err := decoderFor(fl.valueDecoder)
	if err != nil {
		return nil, fmt.Errorf("--value-decoder-class: %w", err)
	}
	return stringParser(kd, vd), nil
}
