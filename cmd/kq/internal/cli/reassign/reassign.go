package reassign

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const long = `Move partitions to other brokers, as kafka-reassign-partitions.sh does.

Exactly one action:
  --generate  --topics-to-move-json-file F --broker-list 1,2,3
      print the current assignment of the topics in F
      ({"version":1,"topics":[{"topic":"t"}]}) and a proposed one spreading
      them over the brokers listed (Kafka's placement, rack-aware unless
      --disable-rack-aware). Nothing changes.
  --execute   --reassignment-json-file F
      start moving the partitions of F ({"version":1,"partitions":[{"topic":
      "t","partition":0,"replicas":[2,3],"log_dirs":["any","any"]}]}); the
      current assignment is printed first, to keep for a rollback. Refused
      while other reassignments run, unless --additional.
  --verify    --reassignment-json-file F
      report, per partition, whether its reassignment is completed or still
      in progress. As Kafka's tool, the exit status is 0 in both cases.
  --cancel    --reassignment-json-file F
      cancel the reassignments of F still in progress: the partitions go
      back to their original replicas.
  --list
      list every reassignment in progress.

A reassignment adds the new replicas, waits until they have caught up
(joined the ISR), moves leadership to a target replica if needed, then
removes the replicas left out and deletes their logs. --throttle N sets
Kafka's replication throttle (N bytes/s on the leader and follower side of
each moving replica) before the moves start; --verify clears it once the
reassignment is done, unless --preserve-throttles.`

type action string

const (
	generateAction action = "generate"
	executeAction  action = "execute"
	verifyAction   action = "verify"
	cancelAction   action = "cancel"
	listAction     action = "list"
)

var actions = []action{generateAction, executeAction, verifyAction, cancelAction, listAction}

// Options are the inputs of `kq reassign`.
type Options struct {
	IO     *iostreams.IOStreams
	Admin  func() (reassignAdmin, error)
	Output output.Format

	Action action
	// Plan is the reassignment JSON's partitions (execute, verify, cancel).
	Plan []admin.PartitionReplicas
	// Topics and Brokers are --generate's inputs.
	Topics           []string
	Brokers          []int32
	DisableRackAware bool
	Additional       bool
	// Throttle is --throttle in B/s (-1 when not given, throttle.go);
	// LogDirsThrottle is accepted and ignored with a warning.
	Throttle, LogDirsThrottle int64
	// PreserveThrottles keeps the throttles when --verify finds the
	// reassignment done.
	PreserveThrottles bool
	// Rand drives --generate's placement; nil is random, as Kafka.
	Rand *rand.Rand
}

// reassignAdmin is what the command asks the cluster (*admin.Client).
type reassignAdmin interface {
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	Cluster(ctx context.Context) (admin.Cluster, error)
	AlterPartitionReassignments(ctx context.Context, targets []admin.PartitionReplicas) ([]admin.ReassignResult, error)
	ListPartitionReassignments(ctx context.Context, partitions map[string][]int32) ([]admin.PartitionReassignment, error)
}

// flags are the command line as given, before validation.
type flags struct {
	actions          map[action]*bool
	planFile         string
	topicsFile       string
	brokerList       string
	disableRackAware bool
	additional       bool
	preserve         bool
	throttle         int64
	logDirsThrottle  int64
	timeoutMs        int64
}

// NewCmdReassign returns `kq reassign`; runF replaces the run in tests.
func NewCmdReassign(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	fl := &flags{actions: map[action]*bool{}}
	cmd := &cobra.Command{
		Use:   "reassign",
		Short: "Move partition replicas between brokers (kafka-reassign-partitions.sh)",
		Long:  long,
		Example: "  kq reassign --generate --topics-to-move-json-file topics.json --broker-list 1,2,3\n" +
			"  kq reassign --execute --reassignment-json-file plan.json\n" +
			"  kq reassign --verify --reassignment-json-file plan.json\n" +
			"  kq reassign --cancel --reassignment-json-file plan.json\n" +
			"  kq reassign --list -o json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := fl.options(cmd)
			if err != nil {
				return err
			}
			opts.IO, opts.Output, opts.Admin = f.IOStreams, f.Output(), adminOf(f)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return reassignRun(cmd.Context(), opts)
		},
	}
	fl.register(cmd)
	_ = cmd.MarkFlagFilename("reassignment-json-file", "json")
	_ = cmd.MarkFlagFilename("topics-to-move-json-file", "json")
	return cmd
}

func (fl *flags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	for _, a := range actions {
		fl.actions[a] = new(bool)
	}
	f.BoolVar(fl.actions[generateAction], "generate", false, "Propose an assignment of the topics over the brokers listed")
	f.BoolVar(fl.actions[executeAction], "execute", false, "Start the reassignment of --reassignment-json-file")
	f.BoolVar(fl.actions[verifyAction], "verify", false, "Report whether the reassignment of --reassignment-json-file is done")
	f.BoolVar(fl.actions[cancelAction], "cancel", false, "Cancel the reassignments of --reassignment-json-file in progress")
	f.BoolVar(fl.actions[listAction], "list", false, "List the reassignments in progress")
	f.StringVar(&fl.planFile, "reassignment-json-file", "", "The partitions' target replicas, as --generate proposes them")
	f.StringVar(&fl.topicsFile, "topics-to-move-json-file", "", `Topics to propose an assignment for: {"version":1,"topics":[{"topic":"t"}]}`)
	f.StringVar(&fl.brokerList, "broker-list", "", "Brokers to propose an assignment over, `1,2,3`")
	f.BoolVar(&fl.disableRackAware, "disable-rack-aware", false, "Ignore broker racks in the proposal")
	f.BoolVar(&fl.additional, "additional", false, "Execute even while other reassignments are in progress")
	f.BoolVar(&fl.preserve, "preserve-throttles", false, "Do not clear the replication throttles when --verify finds the reassignment done")
	f.Int64Var(&fl.throttle, "throttle", -1, "Replication throttle in B/s for the moving replicas (--execute)")
	f.Int64Var(&fl.logDirsThrottle, "replica-alter-log-dirs-throttle", -1, "Accepted for compatibility; kq does not move replicas between log dirs")
	f.Int64Var(&fl.timeoutMs, "timeout", 10000, "Accepted for compatibility: how long Kafka waits for log dir moves to start (ms)")
}

// actionFlags says which options each action takes, as Kafka's
// ReassignPartitionsCommand checks them.
var actionFlags = map[string][]action{
	"reassignment-json-file":          {executeAction, verifyAction, cancelAction},
	"topics-to-move-json-file":        {generateAction},
	"broker-list":                     {generateAction},
	"disable-rack-aware":              {generateAction},
	"additional":                      {executeAction},
	"throttle":                        {executeAction, verifyAction},
	"replica-alter-log-dirs-throttle": {executeAction, verifyAction},
	"timeout":                         {executeAction},
	"preserve-throttles":              {verifyAction, cancelAction},
}

func (fl *flags) options(cmd *cobra.Command) (*Options, error) {
	act, err := fl.action()
	if err != nil {
		return nil, err
	}
	for flag, allowed := range actionFlags {
		if cmd.Flags().Changed(flag) && !slices.Contains(allowed, act) {
			return nil, clierr.Usagef("--%s cannot be used with --%s", flag, act)
		}
	}
	opts := &Options{Action: act, DisableRackAware: fl.disableRackAware, Additional: fl.additional, PreserveThrottles: fl.preserve,
		Throttle: fl.throttle, LogDirsThrottle: fl.logDirsThrottle}
	switch act {
	case generateAction:
		err = fl.generateInputs(opts)
	case executeAction, verifyAction, cancelAction:
		if fl.planFile == "" {
			return nil, clierr.Usagef("--%s needs --reassignment-json-file", act)
		}
		opts.Plan, err = readPlanFile(fl.planFile)
	}
	return opts, err
}

func (fl *flags) action() (action, error) {
	var chosen []action
	for _, a := range actions {
		if *fl.actions[a] {
			chosen = append(chosen, a)
		}
	}
	if len(chosen) != 1 {
		return "", clierr.Usagef("command must include exactly one action: --generate, --execute, --verify, --cancel, --list")
	}
	return chosen[0], nil
}

func (fl *flags) generateInputs(opts *Options) error {
	if fl.topicsFile == "" || fl.brokerList == "" {
		return clierr.Usagef("--generate needs --topics-to-move-json-file and --broker-list")
	}
	brokers, err := parseBrokerList(fl.brokerList)
	if err != nil {
		return err
	}
	topics, err := readTopicsFile(fl.topicsFile)
	if err != nil {
		return err
	}
	opts.Topics, opts.Brokers = topics, brokers
	return nil
}

// parseBrokerList reads --broker-list "1,2,3", refusing duplicates as
// Kafka does.
func parseBrokerList(s string) ([]int32, error) {
	var out []int32
	for _, f := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 32)
		if err != nil || id < 0 {
			return nil, clierr.Usagef("--broker-list %q: want broker ids separated by commas", s)
		}
		out = append(out, int32(id))
	}
	if d := duplicates(out); len(d) > 0 {
		return nil, fmt.Errorf("broker list contains duplicate entries: %s", ids(d))
	}
	return out, nil
}

// adminOf returns the factory's admin client as a reassignAdmin.
func adminOf(f *factory.Factory) func() (reassignAdmin, error) {
	return func() (reassignAdmin, error) {
		a, err := f.Admin()
		if err != nil {
			return nil, err
		}
		ra, ok := a.(reassignAdmin)
		if !ok {
			return nil, fmt.Errorf("this cluster client does not support partition reassignment")
		}
		return ra, nil
	}
}

func reassignRun(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	switch opts.Action {
	case generateAction:
		return generateRun(ctx, opts, a)
	case executeAction:
		return executeRun(ctx, opts, a)
	case verifyAction:
		return verifyRun(ctx, opts, a)
	case cancelAction:
		return cancelRun(ctx, opts, a)
	}
	return listRun(ctx, opts, a)
}
