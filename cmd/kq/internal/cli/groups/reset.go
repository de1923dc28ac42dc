package groups

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// ResetOptions are the inputs of `kq groups reset-offsets` (--reset-offsets).
type ResetOptions struct {
	IO        *iostreams.IOStreams
	Admin     func() (groupsAdmin, error)
	Output    output.Format
	Now       func() time.Time
	Groups    []string
	AllGroups bool
	Topics    []TopicSelection
	AllTopics bool
	Strategy  Strategy
	// Execute commits the new offsets; without it the plan is only shown
	// (a dry run, Kafka's default).
	Execute bool
	// Export prints the plan as the CSV --from-file reads (--export).
	Export bool
}

// check applies kafka-consumer-groups' rules on the options.
func (o *ResetOptions) check() error {
	switch {
	case len(o.Groups) == 0 && !o.AllGroups:
		return usagef("--reset-offsets needs --group or --all-groups")
	case o.Strategy.Kind == 0:
		return usagef("--reset-offsets needs one of --to-earliest, --to-latest, --to-current, --to-offset, " +
			"--shift-by, --to-datetime, --by-duration, --from-file")
	case o.Strategy.Kind != FromFile && len(o.Topics) == 0 && !o.AllTopics:
		return usagef("--reset-offsets needs --topic or --all-topics")
	case len(o.Topics) > 0 && o.AllTopics:
		return usagef("use either --topic or --all-topics")
	}
	return nil
}

// NewOffset is one line of the reset plan.
type NewOffset struct {
	Group     string `json:"group"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
}

func resetRun(ctx context.Context, opts *ResetOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	groups := opts.Groups
	if opts.AllGroups {
		if groups, err = allGroupNames(ctx, a); err != nil {
			return err
		}
	}
	var plan []NewOffset
	for _, g := range groups {
		p, err := planGroup(ctx, a, opts, g)
		if err != nil {
			return err
		}
		plan = append(plan, p...)
	}
	if opts.Execute {
		if err := commitPlan(ctx, a, plan); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(opts.IO.ErrOut, "Dry run: no offsets were changed (add --execute to reset them).")
	}
	if plan == nil {
		plan = []NewOffset{}
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, plan); done {
		return err
	}
	if opts.Export {
		printCSV(opts.IO.Out, plan)
		return nil
	}
	printPlan(opts.IO.Out, plan)
	return nil
}

func allGroupNames(ctx context.Context, a groupsAdmin) ([]string, error) {
	listed, err := a.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(listed))
	for _, g := range listed {
		out = append(out, g.Group)
	}
	return out, nil
}

// planGroup computes one group's new offsets with admin.PlanReset, writing
// its clamping notes to stderr as Kafka does. As Kafka, a group with
// members is refused, dry run or not: its members would overwrite them.
func planGroup(ctx context.Context, a groupsAdmin, opts *ResetOptions, group string) ([]NewOffset, error) {
	plan, err := admin.PlanReset(ctx, a, resetRequest(opts, group))
	if err != nil {
		return nil, err
	}
	for _, w := range plan.Warnings {
		fmt.Fprintln(opts.IO.ErrOut, w)
	}
	out := make([]NewOffset, 0, len(plan.Offsets))
	for _, o := range plan.Offsets {
		out = append(out, NewOffset{Group: o.Group, Topic: o.Topic, Partition: o.Partition, Offset: o.New})
	}
	return out, nil
}

// resetRequest is the options' reset of one group in admin's terms.
func resetRequest(opts *ResetOptions, group string) admin.ResetRequest {
	req := admin.ResetRequest{Group: group, AllTopics: opts.AllTopics, Now: opts.Now(),
		Strategy: admin.ResetStrategy{Kind: resetKinds[opts.Strategy.Kind], Offset: opts.Strategy.Offset,
			Time: opts.Strategy.Time, Duration: opts.Strategy.Duration, Plan: opts.Strategy.Plan}}
	for _, sel := range opts.Topics {
		req.Topics = append(req.Topics, admin.TopicPartitions{Topic: sel.Topic, Partitions: sel.Partitions})
	}
	return req
}

// resetKinds maps the --to-* options onto admin's strategies.
var resetKinds = map[Kind]admin.ResetKind{
	ToEarliest: admin.ResetToEarliest, ToLatest: admin.ResetToLatest, ToCurrent: admin.ResetToCurrent,
	ToOffset: admin.ResetToOffset, ShiftBy: admin.ResetShiftBy, ToDatetime: admin.ResetToDatetime,
	ByDuration: admin.ResetByDuration, FromFile: admin.ResetFromFile,
}

func commitPlan(ctx context.Context, a groupsAdmin, plan []NewOffset) error {
	byGroup := map[string][]admin.GroupOffset{}
	var order []string
	for _, n := range plan {
		if _, ok := byGroup[n.Group]; !ok {
			order = append(order, n.Group)
		}
		byGroup[n.Group] = append(byGroup[n.Group], admin.GroupOffset{Topic: n.Topic, Partition: n.Partition, Offset: n.Offset})
	}
	for _, g := range order {
		if err := a.CommitGroupOffsets(ctx, g, byGroup[g]); err != nil {
			return err
		}
	}
	return nil
}

// printPlan writes Kafka's table of new offsets.
func printPlan(w io.Writer, plan []NewOffset) {
	if len(plan) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%-30s %-30s %-10s %-15s\n", "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET")
	for _, n := range plan {
		fmt.Fprintf(w, "%-30s %-30s %-10s %-15s\n", n.Group, n.Topic, strconv.Itoa(int(n.Partition)), strconv.FormatInt(n.Offset, 10))
	}
}
