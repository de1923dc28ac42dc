package consume

import (
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/spf13/cobra"
)

// consoleFlags are kafka-console-consumer's flags beyond kq's own.
type consoleFlags struct {
	include, whitelist          string
	formatter, formatterConfig  string
	keyDeserializer, valueDeser string
	skipOnError, systestEvents  bool
}

func (c *consoleFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&c.include, "include", "", "Read the topic whose whole name matches this `regex` (instead of --topic); kq reads one topic")
	fl.StringVar(&c.whitelist, "whitelist", "", "DEPRECATED, use --include instead; ignored if --include is given")
	fl.StringVar(&c.formatter, "formatter", defaultFormatterClass, "Formatter `class`: Kafka's DefaultMessageFormatter, LoggingMessageFormatter or NoOpMessageFormatter")
	fl.StringVar(&c.formatterConfig, "formatter-config", "", "Formatter properties `file` (print.key, key.separator, ...); --property wins over it")
	fl.StringVar(&c.keyDeserializer, "key-deserializer", "", "Key deserializer `class`: one of Kafka's built-in org.apache.kafka.common.serialization deserializers")
	fl.StringVar(&c.valueDeser, "value-deserializer", "", "Value deserializer `class`, as --key-deserializer")
	fl.BoolVar(&c.skipOnError, "skip-message-on-error", false, "Report a record that cannot be formatted on stderr and go on, instead of stopping")
	fl.BoolVar(&c.systestEvents, "enable-systest-events", false, "Print Kafka's system-test lifecycle event (shutdown_complete) on stdout at the end")
	_ = cmd.MarkFlagFilename("formatter-config", "properties")
}

// Kafka's formatter classes, by kq's name for what they do. The
// kafka.tools names are the deprecated pre-3.8 ones.
const (
	defaultFormatterClass = "org.apache.kafka.tools.consumer.DefaultMessageFormatter"
	formatterPackage      = "org.apache.kafka.tools.consumer."
	oldFormatterPackage   = "kafka.tools."
)

var formatterKinds = []string{"DefaultMessageFormatter", "LoggingMessageFormatter", "NoOpMessageFormatter"}

// formatterKind returns DefaultMessageFormatter, LoggingMessageFormatter or
// NoOpMessageFormatter for a Kafka class name, warning on warn about the
// deprecated kafka.tools names as Kafka does.
func formatterKind(class string, warn io.Writer) (string, error) {
	if kind, ok := strings.CutPrefix(class, formatterPackage); ok && slices.Contains(formatterKinds, kind) {
		return kind, nil
	}
	if kind, ok := strings.CutPrefix(class, oldFormatterPackage); ok && slices.Contains(formatterKinds, kind) {
		fmt.Fprintf(warn, "WARNING: %s is deprecated and will be removed in the next major release. Please use %s%s instead\n",
			class, formatterPackage, kind)
		return kind, nil
	}
	hint := ""
	if strings.Contains(class, "OffsetsMessageFormatter") || strings.Contains(class, "TransactionLogMessageFormatter") {
		hint = "; to read __consumer_offsets or __transaction_state records use 'kq dump-log --offsets-decoder' or '--transaction-log-decoder' on the broker's files"
	}
	return "", clierr.Usagef("--formatter %s is refused: kq cannot load Java classes; it has %s (in %s or %s)%s",
		class, strings.Join(formatterKinds, ", "), formatterPackage, oldFormatterPackage, hint)
}

// formatterProps merges --formatter-config, --key-deserializer,
// --value-deserializer and --property (strongest last), as Kafka passes
// them all to the formatter.
func (c *consoleFlags) formatterProps(props []string) (map[string]string, error) {
	merged := map[string]string{}
	if c.formatterConfig != "" {
		file, err := admin.LoadProperties(c.formatterConfig)
		if err != nil {
			return nil, clierr.Usage(fmt.Errorf("--formatter-config: %w", err))
		}
		maps.Copy(merged, file)
	}
	if c.keyDeserializer != "" {
		merged[keyDeserializerKey] = c.keyDeserializer
	}
	if c.valueDeser != "" {
		merged[valueDeserializerKey] = c.valueDeser
	}
	for _, p := range props {
		key, value, ok := strings.Cut(p, "=")
		if !ok {
			return nil, clierr.Usagef("--property %q: want key=value", p)
		}
		merged[strings.TrimSpace(key)] = value
	}
	return merged, nil
}

// includePattern is --include, else the deprecated --whitelist (with
// Kafka's warning), compiled to match whole topic names as Kafka's
// pattern subscription does.
func (c *consoleFlags) includePattern(cmd *cobra.Command, warn io.Writer) (*regexp.Regexp, error) {
	fl := cmd.Flags()
	expr, from := c.include, "--include"
	if fl.Changed("whitelist") {
		if fl.Changed("include") {
			fmt.Fprintln(warn, "warning: --whitelist is deprecated and ignored because --include is given")
		} else {
			fmt.Fprintln(warn, "warning: --whitelist is deprecated; use --include")
			expr, from = c.whitelist, "--whitelist"
		}
	}
	if !fl.Changed("include") && !fl.Changed("whitelist") {
		return nil, nil
	}
	re, err := regexp.Compile("^(?:" + expr + ")$")
	if err != nil {
		return nil, clierr.Usagef("%s %q: %v", from, expr, err)
	}
	return re, nil
}

// includedTopic resolves --include to the one topic kq consume reads:
// internal topics are left out, as Kafka's pattern subscription does.
func includedTopic(topics []admin.Topic, re *regexp.Regexp) (string, error) {
	var matched []string
	for _, t := range topics {
		if !admin.IsInternalTopic(t.Name) && re.MatchString(t.Name) {
			matched = append(matched, t.Name)
		}
	}
	switch len(matched) {
	case 1:
		return matched[0], nil
	case 0:
		return "", clierr.NotFoundf("--include %s matches no topic", strings.TrimSuffix(strings.TrimPrefix(re.String(), "^(?:"), ")$"))
	}
	return "", clierr.Usagef("--include matches %d topics (%s): kq consume reads one topic; narrow the expression",
		len(matched), strings.Join(matched, ", "))
}

// noOpFormatter is Kafka's NoOpMessageFormatter: records are read and
// counted, nothing is printed.
type noOpFormatter struct{}

func (noOpFormatter) append(dst []byte, _ admin.Record) []byte { return dst }

// loggingFormatter is Kafka's LoggingMessageFormatter: the default output,
// and each record logged on stderr as "CreateTime:ts, key:k, value:v".
type loggingFormatter struct {
	inner formatter
	log   io.Writer
}

func (l loggingFormatter) append(dst []byte, r admin.Record) []byte {
	dst = l.inner.append(dst, r)
	line := []byte("INFO ")
	if !r.Timestamp.IsZero() {
		line = append(appendTimestamp(line, r), ", "...)
	}
	line = append(append(line, "key:"...), nullText(r.Key)...)
	line = append(append(line, ", value:"...), nullText(r.Value)...)
	_, _ = l.log.Write(append(line, '\n')) // a lost log line must not stop the output
	return dst
}

func nullText(b []byte) []byte {
	if b == nil {
		return []byte("null")
	}
	return b
}

// fillConsole applies the console consumer's flags: the formatter class
// and its properties, the deserializers, --include, --skip-message-on-error
// and --enable-systest-events. It returns the --property pairs left for
// the print.* formatter.
func (o *Options) fillConsole(cmd *cobra.Command, c consoleFlags, props []string) ([]string, error) {
	re, err := c.includePattern(cmd, o.IO.ErrOut)
	if err != nil {
		return nil, err
	}
	o.Include, o.SkipOnError, o.SystestEvents = re, c.skipOnError, c.systestEvents
	kind, err := formatterKind(c.formatter, o.IO.ErrOut)
	if err != nil {
		return nil, err
	}
	o.formatterKind = kind
	merged, err := c.formatterProps(props)
	if err != nil {
		return nil, err
	}
	if o.Deserialize.key, err = deserializerFor("--key-deserializer", merged[keyDeserializerKey]); err != nil {
		return nil, err
	}
	if o.Deserialize.value, err = deserializerFor("--value-deserializer", merged[valueDeserializerKey]); err != nil {
		return nil, err
	}
	_, hasKey := merged[keyDeserializerKey]
	_, hasValue := merged[valueDeserializerKey]
	delete(merged, keyDeserializerKey)
	delete(merged, valueDeserializerKey)
	if c.formatterConfig == "" && !hasKey && !hasValue {
		return props, nil // keep the pairs as given, so --property conflicts read as before
	}
	rest := make([]string, 0, len(merged))
	for _, k := range slices.Sorted(maps.Keys(merged)) {
		rest = append(rest, k+"="+merged[k])
	}
	return rest, nil
}

// wrapFormatter applies --formatter once the print.* formatter is built.
func (o *Options) wrapFormatter(cmd *cobra.Command) error {
	if o.formatterKind == "DefaultMessageFormatter" {
		return nil
	}
	if _, isJSON := o.Formatter.(jsonFormatter); isJSON || cmd.Flags().Changed("format") {
		return clierr.Usagef("--formatter %s goes with neither --format nor -o json", o.formatterKind)
	}
	if o.formatterKind == "NoOpMessageFormatter" {
		o.Formatter = noOpFormatter{}
	} else {
		o.Formatter = loggingFormatter{inner: o.Formatter, log: o.IO.ErrOut}
	}
	return nil
}
