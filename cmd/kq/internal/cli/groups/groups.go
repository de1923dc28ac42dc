package groups

import (
	"context"
	"strings"
	"time"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Runners replaces verbs' runs in tests; nil fields run for real.
type Runners struct {
	List          func(context.Context, *ListOptions) error
	Describe      func(context.Context, *DescribeOptions) error
	Reset         func(context.Context, *ResetOptions) error
	Delete        func(context.Context, *DeleteOptions) error
	DeleteOffsets func(context.Context, *DeleteOffsetsOptions) error
}

const groupsLong = `List and describe consumer groups, reset their offsets, delete them.

Kafka's kafka-consumer-groups spelling works as is, one action per call:
  kq groups --list [--state [STATES]]
  kq groups --describe --group G [--members [--verbose] | --state]   (or --all-groups)
  kq groups --reset-offsets --group G (--topic T[:P,P] | --all-topics)
            (--to-earliest | --to-latest | --to-current | --to-offset N | --shift-by N |
             --to-datetime YYYY-MM-DDTHH:mm:SS.sss | --by-duration PnDTnHnMnS | --from-file F)
            [--dry-run | --execute]
  kq groups --delete --group G [--group G2]...
  kq groups --delete-offsets --group G --topic T[:P,P]

--describe shows per partition the committed offset, the log end offset, the
lag (their difference) and the member consuming it; the total lag goes to
standard error. Offsets are reset only with --execute (without it the plan is
shown), and only for a group without members, as Kafka.

The subcommands below are the short form of the same operations.`

// NewCmdGroups returns `kq groups` with its subcommands.
func NewCmdGroups(f *factory.Factory, r *Runners) *cobra.Command {
	if r == nil {
		r = &Runners{}
	}
	k := &kafkaFlags{}
	c := &k.console
	cmd := &cobra.Command{
		Use:     "groups",
		Aliases: []string{"consumer-groups"},
		Short:   "List, describe, reset and delete consumer groups",
		Long:    groupsLong,
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !anyLocalFlag(cmd) {
				return cmd.Help()
			}
			if err := k.stateArgument(args, c); err != nil {
				return err
			}
			if err := c.apply(cmd, f, k); err != nil {
				return err
			}
			return k.dispatch(cmd, f, r)
		},
	}
	k.register(cmd)
	c.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("group", completeGroups(f))
	cmd.AddCommand(
		NewCmdList(f, r.List), NewCmdDescribe(f, r.Describe), NewCmdResetOffsets(f, r.Reset),
		NewCmdDelete(f, r.Delete), NewCmdDeleteOffsets(f, r.DeleteOffsets),
	)
	return cmd
}

func anyLocalFlag(cmd *cobra.Command) bool {
	set := false
	cmd.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) { set = set || fl.Changed })
	return set
}

// kafkaFlags are kafka-consumer-groups' options on the noun command.
type kafkaFlags struct {
	list, describe, reset, delete, deleteOffsets bool
	groups, topics                               []string
	allGroups, allTopics                         bool
	members, verbose                             bool
	state                                        string
	strategy                                     strategyFlags
	dryRun, execute                              bool
	console                                      consoleFlags
}

// stateAll is --state given without a value.
const stateAll = "*"

// stateArgument takes "--state Stable,Empty" as Kafka spells it: a flag
// whose value is optional leaves its value as an argument.
func (k *kafkaFlags) stateArgument(args []string, c *consoleFlags) error {
	switch {
	case len(args) == 0:
		return nil
	case len(args) == 1 && k.state == stateAll:
		k.state = args[0]
		return nil
	case len(args) == 1 && c.types == stateAll:
		c.types = args[0] // --type's value, optional as --state's
		return nil
	}
	return usagef("unexpected argument %q", args[0])
}

func (k *kafkaFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&k.list, "list", false, "List the consumer groups")
	fl.BoolVar(&k.describe, "describe", false, "Describe groups: lag per partition (or --members, --state)")
	fl.BoolVar(&k.reset, "reset-offsets", false, "Reset a group's committed offsets (a dry run unless --execute)")
	fl.BoolVar(&k.delete, "delete", false, "Delete groups (only groups without members)")
	fl.BoolVar(&k.deleteOffsets, "delete-offsets", false, "Delete a group's committed offsets of a topic")
	fl.StringArrayVar(&k.groups, "group", nil, "Consumer group (repeatable)")
	fl.StringArrayVar(&k.topics, "topic", nil, "Topic, `T` or T:P,P for some partitions (repeatable)")
	fl.BoolVar(&k.allGroups, "all-groups", false, "Every group")
	fl.BoolVar(&k.allTopics, "all-topics", false, "With --reset-offsets: every topic the group has offsets for")
	fl.BoolVar(&k.members, "members", false, "With --describe: the members")
	fl.BoolVar(&k.verbose, "verbose", false, "With --describe --members: each member's partitions")
	fl.StringVar(&k.state, "state", "", "With --describe: the group's state; with --list: a STATE column, or only groups in these `states`")
	fl.Lookup("state").NoOptDefVal = stateAll
	k.strategy.register(fl)
	fl.BoolVar(&k.dryRun, "dry-run", false, "With --reset-offsets: only show the new offsets (the default)")
	fl.BoolVar(&k.execute, "execute", false, "With --reset-offsets: commit the new offsets")
}

// strategyFlags are the --to-* options of --reset-offsets.
type strategyFlags struct {
	earliest, latest, current bool
	toOffset, shiftBy         int64
	datetime, duration, file  string
}

func (s *strategyFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&s.earliest, "to-earliest", false, "Reset to the log start")
	fl.BoolVar(&s.latest, "to-latest", false, "Reset to the log end")
	fl.BoolVar(&s.current, "to-current", false, "Reset to the committed offset (the log end where none)")
	fl.Int64Var(&s.toOffset, "to-offset", 0, "Reset to this `offset`")
	fl.Int64Var(&s.shiftBy, "shift-by", 0, "Move the committed offset by `N` (negative: back)")
	fl.StringVar(&s.datetime, "to-datetime", "", "Reset to the first record at or after `YYYY-MM-DDTHH:mm:SS.sss`")
	fl.StringVar(&s.duration, "by-duration", "", "Reset to the first record of the last `PnDTnHnMnS` (or 90m)")
	fl.StringVar(&s.file, "from-file", "", "Reset to the offsets of a CSV `file`: topic,partition,offset")
}

// resolve turns the one --to-* option given into a Strategy.
func (s *strategyFlags) resolve(fl *pflag.FlagSet, now time.Time, readFile func(string) ([]byte, error)) (Strategy, error) {
	var given []string
	for _, name := range []string{"to-earliest", "to-latest", "to-current", "to-offset", "shift-by", "to-datetime", "by-duration", "from-file"} {
		if fl.Changed(name) {
			given = append(given, "--"+name)
		}
	}
	if len(given) > 1 {
		return Strategy{}, usagef("use one of %s", strings.Join(given, ", "))
	}
	if len(given) == 0 {
		return Strategy{}, nil
	}
	return s.strategy(given[0], now, readFile)
}

func (s *strategyFlags) strategy(name string, now time.Time, readFile func(string) ([]byte, error)) (Strategy, error) {
	switch name {
	case "--to-earliest":
		return Strategy{Kind: ToEarliest}, nil
	case "--to-latest":
		return Strategy{Kind: ToLatest}, nil
	case "--to-current":
		return Strategy{Kind: ToCurrent}, nil
	case "--to-offset":
		return Strategy{Kind: ToOffset, Offset: s.toOffset}, nil
	case "--shift-by":
		return Strategy{Kind: ShiftBy, Offset: s.shiftBy}, nil
	case "--to-datetime":
		t, err := parseDatetime(s.datetime, now.Location())
		return Strategy{Kind: ToDatetime, Time: t}, usage(err)
	case "--by-duration":
		d, err := parseDuration(s.duration)
		return Strategy{Kind: ByDuration, Duration: d}, usage(err)
	}
	data, err := readFile(s.file)
	if err != nil {
		return Strategy{}, usagef("--from-file: %v", err)
	}
	plan, err := parsePlan(data)
	return Strategy{Kind: FromFile, Plan: plan}, usage(err)
}
