package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/kqhq/kq/cmd/kq/internal/cli/acls"
	"github.com/kqhq/kq/cmd/kq/internal/cli/apiversions"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/cluster"
	"github.com/kqhq/kq/cmd/kq/internal/cli/configs"
	"github.com/kqhq/kq/cmd/kq/internal/cli/consume"
	"github.com/kqhq/kq/cmd/kq/internal/cli/deleterecords"
	"github.com/kqhq/kq/cmd/kq/internal/cli/dumplog"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/features"
	"github.com/kqhq/kq/cmd/kq/internal/cli/gendocs"
	"github.com/kqhq/kq/cmd/kq/internal/cli/getoffsets"
	"github.com/kqhq/kq/cmd/kq/internal/cli/groups"
	"github.com/kqhq/kq/cmd/kq/internal/cli/leaderelection"
	"github.com/kqhq/kq/cmd/kq/internal/cli/logdirs"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/cmd/kq/internal/cli/perf"
	"github.com/kqhq/kq/cmd/kq/internal/cli/produce"
	"github.com/kqhq/kq/cmd/kq/internal/cli/reassign"
	"github.com/kqhq/kq/cmd/kq/internal/cli/server"
	"github.com/kqhq/kq/cmd/kq/internal/cli/topics"
	"github.com/kqhq/kq/cmd/kq/internal/cli/transactions"
	"github.com/kqhq/kq/cmd/kq/internal/cli/tui"
	"github.com/kqhq/kq/cmd/kq/internal/cli/verifiable"
	"github.com/kqhq/kq/cmd/kq/internal/cli/version"
	"github.com/kqhq/kq/cmd/kq/internal/cli/zk"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

const rootLong = `kq is a Kafka-compatible log broker and its terminal toolkit.

It accepts the spellings of Apache Kafka's scripts (kq topics --create --topic t
--partitions 3, --property print.key=true, --bootstrap-server) as well as short
noun-verb commands (kq topics create t -p 3); both run the same code.

Data goes to standard output; diagnostics and progress go to standard error.
Exit status: 0 success, 1 failure, 2 usage error (a bad client property too),
3 not found, 4 authentication or authorization failed (TLS, SASL or the
credentials: the message says which), 5 unreachable or timed out, 130
interrupted.

Secured clusters: give Kafka's client properties (security.protocol, ssl.*,
sasl.mechanism, sasl.jaas.config, ...) with --command-config FILE, -X key=value
or a profile's properties; docs/client-properties.md lists every property and
what kq does with it.`

// newRootCmd builds the command tree for one invocation and wires f's
// options to the root's flags.
func newRootCmd(f *factory.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "kq",
		Short:         "Kafka-compatible broker and terminal toolkit",
		Long:          rootLong,
		Version:       version.Current().Line(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Generated man pages and completions must not change with the
		// date they were generated on.
		DisableAutoGenTag: true,
	}
	root.SetVersionTemplate("{{.Version}}\n")
	v := viper.New()
	addGlobalFlags(root, v)
	f.Options = optionsResolver(root, v, f.Getenv)
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		return applyPresentationFlags(cmd, f)
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return clierr.Usage(err) })
	addCommands(root, f)
	return root
}

func addGlobalFlags(root *cobra.Command, v *viper.Viper) {
	fl := root.PersistentFlags()
	fl.StringP("bootstrap-server", "b", "",
		"Broker address(es), host:port[,host:port] (env KQ_BOOTSTRAP_SERVER; default "+factory.DefaultBootstrapServer+")")
	fl.String("command-config", "", "Kafka client `properties` file (security.protocol, sasl.*, ssl.*, client.id, ...)")
	fl.StringArrayP("client-property", "X", nil, "Client property `key=value`, overriding --command-config (repeatable)")
	fl.StringP("output", "o", "table", "Output `format`: table, json or yaml")
	fl.Bool("no-color", false, "Never use colour (also: NO_COLOR set, TERM=dumb, output not a terminal)")
	fl.String("profile", "", "Named cluster `profile` from the config file (env KQ_PROFILE)")
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(output.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = root.MarkPersistentFlagFilename("command-config", "properties")
	for _, name := range viperKeys {
		_ = v.BindPFlag(name, fl.Lookup(name)) // cannot fail: the flag was just defined
	}
}

// applyPresentationFlags handles the flags every command honours before it
// runs: --no-color and a valid --output.
func applyPresentationFlags(cmd *cobra.Command, f *factory.Factory) error {
	if cmd.Name() == cobra.ShellCompRequestCmd || cmd.Name() == cobra.ShellCompNoDescRequestCmd {
		// The completed command's flags are parsed later; resolving the
		// options now would freeze them without -b and friends.
		return nil
	}
	applyBrokerList(cmd, f.IOStreams.ErrOut)
	if err := applyCommandConfigAlias(cmd); err != nil {
		return err
	}
	// Commands that produce or consume register their scopes in RunE;
	// the others read no producer or consumer property.
	f.UseClient(factory.ClientUse{Command: cmd.CommandPath()})
	noColor, _ := cmd.Flags().GetBool("no-color")
	// A bad --output or -X is a usage error worth reporting before the
	// command starts; other option errors (an unreadable profile file)
	// only matter to commands that reach a cluster, and surface there.
	opts, err := f.Options()
	var usage *clierr.UsageError
	if errors.As(err, &usage) {
		return err
	}
	if noColor || err == nil && opts.NoColor { // opts.NoColor adds KQ_NO_COLOR
		f.IOStreams.DisableColor()
	}
	return nil
}

// applyBrokerList honours --broker-list, the console producer's
// deprecated spelling of --bootstrap-server, on the commands that mark it
// factory.BootstrapAlias (in reassign and log-dirs it is a list of broker
// ids): as in Kafka, it is ignored when --bootstrap-server is given. The
// warning goes to standard error (cobra's deprecation notice would land on
// standard output, among the data).
func applyBrokerList(cmd *cobra.Command, stderr io.Writer) {
	fl := cmd.Flags()
	list := fl.Lookup("broker-list")
	if list == nil || !list.Changed || list.Annotations[factory.BootstrapAlias] == nil {
		return
	}
	if fl.Changed("bootstrap-server") {
		fmt.Fprintln(stderr, "warning: --broker-list is deprecated and ignored because --bootstrap-server is given")
		return
	}
	fmt.Fprintln(stderr, "warning: --broker-list is deprecated; use --bootstrap-server")
	_ = fl.Set("bootstrap-server", list.Value.String()) // a string flag takes any value
}

func addCommands(root *cobra.Command, f *factory.Factory) {
	root.AddCommand(
		server.NewCmdServer(f),
		topics.NewCmdTopics(f, nil),
		produce.NewCmdProduce(f, nil),
		consume.NewCmdConsume(f, nil),
		groups.NewCmdGroups(f, nil),
		leaderelection.NewCmdLeaderElection(f, nil),
		reassign.NewCmdReassign(f, nil),
		transactions.NewCmdTransactions(f, nil),
		configs.NewCmdConfigs(f, nil),
		configs.NewCmdClientQuotas(f, nil),
		acls.NewCmdACLs(f, nil),
		cluster.NewCmdCluster(f, nil),
		dumplog.NewCmdDumpLog(f, nil),
		getoffsets.NewCmdGetOffsets(f, nil),
		deleterecords.NewCmdDeleteRecords(f, nil),
		logdirs.NewCmdLogDirs(f, nil),
		apiversions.NewCmdBrokerAPIVersions(f, nil),
		features.NewCmdFeatures(f, nil),
		verifiable.NewCmdVerifiableProducer(f),
		verifiable.NewCmdVerifiableConsumer(f),
		perf.NewCmdPerf(f),
		tui.NewCmdTUI(f, nil),
		zk.NewCmdZK(f),
		version.NewCmdVersion(f),
		gendocs.NewCmdGenDocs(f.Getenv),
	)
	addKafkaVersionFlags(root, f)
	for _, c := range root.Commands() {
		wrapArgsAsUsage(c)
	}
}

// wrapArgsAsUsage makes positional-argument mistakes usage errors (exit 2)
// everywhere in the tree; cobra's own validators return plain errors.
func wrapArgsAsUsage(cmd *cobra.Command) {
	if cmd.Args != nil {
		validate := cmd.Args
		cmd.Args = func(c *cobra.Command, args []string) error { return clierr.Usage(validate(c, args)) }
	}
	for _, sub := range cmd.Commands() {
		wrapArgsAsUsage(sub)
	}
}
