package leaderelection

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const long = `Elect partition leaders, as kafka-leader-election.sh does.

A PREFERRED election moves each partition's leadership back to its preferred
replica (the first one assigned) when that replica is live and in sync, for
instance after a broker restarted. An UNCLEAN election gives a leader to
partitions that have no live one, taking an out-of-sync replica if it must:
records acknowledged by the lost replicas may be gone.

Choose the partitions with one of:
  --topic T --partition P
  --all-topic-partitions
  --path-to-json-file F     {"partitions":[{"topic":"t","partition":0}, ...]}

With --all-topic-partitions only partitions that needed an election are
reported. Failures are printed on standard error and the exit status is 1.`

// Options are the inputs of `kq leader-election`.
type Options struct {
	IO     *iostreams.IOStreams
	Admin  func() (electionAdmin, error)
	Output output.Format

	Type admin.ElectionType
	// Partitions to elect, topic -> partitions; nil for every partition.
	Partitions map[string][]int32
}

// electionAdmin is what the command asks the cluster (*admin.Client).
type electionAdmin interface {
	ElectLeaders(ctx context.Context, typ admin.ElectionType, partitions map[string][]int32) ([]admin.ElectionResult, error)
}

// flags are the command line as given, before validation.
type flags struct {
	electionType string
	topic        string
	partition    int32
	all          bool
	jsonFile     string
}

// NewCmdLeaderElection returns `kq leader-election`; runF replaces the run
// in tests.
func NewCmdLeaderElection(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	fl := &flags{}
	cmd := &cobra.Command{
		Use:   "leader-election",
		Short: "Elect preferred or unclean partition leaders",
		Long:  long,
		Example: "  kq leader-election --election-type preferred --all-topic-partitions\n" +
			"  kq leader-election --election-type unclean --topic orders --partition 2\n" +
			"  kq leader-election --election-type PREFERRED --path-to-json-file partitions.json -o json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := fl.options(cmd)
			if err != nil {
				return err
			}
			opts.IO, opts.Output = f.IOStreams, f.Output()
			opts.Admin = adminOf(f)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return electRun(cmd.Context(), opts)
		},
	}
	fl.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	_ = cmd.RegisterFlagCompletionFunc("election-type", cobra.FixedCompletions([]string{"preferred", "unclean"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagFilename("path-to-json-file", "json")
	return cmd
}

func (fl *flags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&fl.electionType, "election-type", "", "`PREFERRED` or UNCLEAN (any case); required")
	f.StringVar(&fl.topic, "topic", "", "Topic whose partition to elect (with --partition)")
	f.Int32Var(&fl.partition, "partition", -1, "Partition to elect (with --topic)")
	f.BoolVar(&fl.all, "all-topic-partitions", false, "Every partition of every topic")
	// Kafka's tool names its client properties file --admin.config; the
	// root command reads it as --command-config.
	f.String("admin.config", "", "Admin client properties `file` (kafka-leader-election's name for --command-config)")
	_ = f.SetAnnotation("admin.config", factory.CommandConfigAlias, []string{"true"}) // the flag was just defined
	f.StringVar(&fl.jsonFile, "path-to-json-file", "", `JSON file listing the partitions: {"partitions":[{"topic":"t","partition":0}]}`)
}

// options checks the combination as Kafka's LeaderElectionCommandOptions
// does and reads the JSON file.
func (fl *flags) options(cmd *cobra.Command) (*Options, error) {
	typ, err := parseElectionType(fl.electionType, cmd.Flags().Changed("election-type"))
	if err != nil {
		return nil, err
	}
	chosen := 0
	for _, set := range []bool{fl.topic != "", fl.all, fl.jsonFile != ""} {
		if set {
			chosen++
		}
	}
	switch {
	case chosen != 1:
		return nil, clierr.Usagef("one and only one of --topic, --all-topic-partitions and --path-to-json-file is required")
	case fl.topic != "" && !cmd.Flags().Changed("partition"):
		return nil, clierr.Usagef("--topic needs --partition")
	case fl.topic == "" && cmd.Flags().Changed("partition"):
		return nil, clierr.Usagef("--partition is only allowed with --topic")
	case fl.topic != "" && fl.partition < 0:
		return nil, clierr.Usagef("--partition must be 0 or more, got %d", fl.partition)
	}
	opts := &Options{Type: typ}
	switch {
	case fl.topic != "":
		opts.Partitions = map[string][]int32{fl.topic: {fl.partition}}
	case fl.jsonFile != "":
		if opts.Partitions, err = readPartitionsFile(fl.jsonFile); err != nil {
			return nil, err
		}
	}
	return opts, nil
}

func parseElectionType(s string, given bool) (admin.ElectionType, error) {
	switch strings.ToUpper(s) {
	case "PREFERRED":
		return admin.PreferredElection, nil
	case "UNCLEAN":
		return admin.UncleanElection, nil
	}
	if !given {
		return 0, clierr.Usagef("--election-type is required (PREFERRED or UNCLEAN)")
	}
	return 0, clierr.Usagef("--election-type %q: want PREFERRED or UNCLEAN", s)
}

// adminOf returns the factory's admin client as an electionAdmin.
func adminOf(f *factory.Factory) func() (electionAdmin, error) {
	return func() (electionAdmin, error) {
		a, err := f.Admin()
		if err != nil {
			return nil, err
		}
		ea, ok := a.(electionAdmin)
		if !ok {
			return nil, fmt.Errorf("this cluster client does not support leader elections")
		}
		return ea, nil
	}
}
