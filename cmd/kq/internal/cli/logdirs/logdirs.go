// Package logdirs is `kq log-dirs --describe`: Kafka's kafka-log-dirs.sh,
// the log directories of brokers and the replicas in them.
package logdirs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const long = `Describe the log directories of brokers, as kafka-log-dirs.sh does: each
directory, its error if it is offline, and the size, offset lag and future
flag of every replica in it. The output is Kafka's: two progress lines, then
one line of JSON. With -o json or -o yaml only the document is printed,
indented.`

// Options are the inputs of `kq log-dirs`.
type Options struct {
	IO     *iostreams.IOStreams
	Admin  func() (logDirsAdmin, error)
	Output output.Format

	Brokers []int32  // empty: every broker
	Topics  []string // empty: every topic
}

// logDirsAdmin is what the command asks the cluster (*admin.Client).
type logDirsAdmin interface {
	Cluster(ctx context.Context) (admin.Cluster, error)
	LogDirsOf(ctx context.Context, brokers []int32) ([]admin.LogDir, error)
}

// NewCmdLogDirs returns `kq log-dirs`; runF replaces the run in tests.
func NewCmdLogDirs(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	var describe bool
	var brokers, topics string
	cmd := &cobra.Command{
		Use:     "log-dirs --describe",
		Short:   "Describe brokers' log directories (kafka-log-dirs.sh)",
		Long:    long,
		Example: "  kq log-dirs --describe\n  kq log-dirs --describe --broker-list 1,2 --topic-list orders,payments",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !describe {
				return clierr.Usagef("missing required argument \"[describe]\"")
			}
			ids, err := brokerIDs(brokers)
			if err != nil {
				return clierr.Usage(err)
			}
			opts := &Options{IO: f.IOStreams, Output: f.Output(), Brokers: ids, Topics: splitList(topics),
				Admin: func() (logDirsAdmin, error) { return adminOf(f) }}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&describe, "describe", false, "Describe the log directories on the brokers (required)")
	fl.StringVar(&brokers, "broker-list", "", "Brokers to query, `0,1,2` (default: every broker)")
	fl.StringVar(&topics, "topic-list", "", "Topics to report, `topic1,topic2` (default: every topic)")
	_ = cmd.RegisterFlagCompletionFunc("topic-list", complete.Topics(f))
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func brokerIDs(s string) ([]int32, error) {
	var out []int32
	for _, x := range splitList(s) {
		id, err := strconv.ParseInt(x, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("--broker-list: %q is not a broker id", x)
		}
		out = append(out, int32(id))
	}
	return out, nil
}

func adminOf(f *factory.Factory) (logDirsAdmin, error) {
	a, err := f.Admin()
	if err != nil {
		return nil, err
	}
	l, ok := a.(logDirsAdmin)
	if !ok {
		return nil, fmt.Errorf("this cluster client cannot describe log dirs")
	}
	return l, nil
}

func run(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	brokers, err := queried(ctx, a, opts.Brokers)
	if err != nil {
		return err
	}
	table := opts.Output == output.Table
	if table {
		fmt.Fprintln(opts.IO.Out, "Querying brokers for log directories information")
	}
	dirs, err := a.LogDirsOf(ctx, brokers)
	if err != nil {
		return err // Kafka's allDescriptions() fails as a whole too
	}
	doc := document(brokers, dirs, opts.Topics)
	if !table {
		_, err := output.Structured(opts.IO.Out, opts.Output, doc)
		return err
	}
	fmt.Fprintf(opts.IO.Out, "Received log directory information from brokers %s\n", joinIDs(brokers))
	_, err = fmt.Fprintln(opts.IO.Out, doc.text())
	return err
}

// queried is the brokers to ask: those given, all of which must exist,
// or every broker.
func queried(ctx context.Context, a logDirsAdmin, given []int32) ([]int32, error) {
	c, err := a.Cluster(ctx)
	if err != nil {
		return nil, err
	}
	var live []int32
	for _, b := range c.Brokers {
		live = append(live, b.ID)
	}
	slices.Sort(live)
	if len(given) == 0 {
		return live, nil
	}
	var missing []int32
	for _, id := range given {
		if !slices.Contains(live, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("The given brokers do not exist from --broker-list: %s. Current existent brokers: %s", joinIDs(missing), joinIDs(live))
	}
	out := slices.Clone(given)
	slices.Sort(out)
	return slices.Compact(out), nil
}

func joinIDs(ids []int32) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(int(id))
	}
	return strings.Join(s, ",")
}

// errorClass names a log dir's error as Kafka's tool does: the Java
// exception class.
func errorClass(err error) any {
	if err == nil {
		return nil
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		if c, ok := javaExceptions[ke.Code]; ok {
			return "org.apache.kafka.common.errors." + c
		}
	}
	return err.Error()
}

var javaExceptions = map[int16]string{
	kerr.KafkaStorageError.Code:          "KafkaStorageException",
	kerr.UnknownServerError.Code:         "UnknownServerException",
	kerr.NotController.Code:              "NotControllerException",
	kerr.ClusterAuthorizationFailed.Code: "ClusterAuthorizationException",
}
