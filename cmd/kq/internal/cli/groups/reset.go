package groups

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
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

// planGroup computes one group's new offsets. As Kafka, a group with
// members is refused, dry run or not: its members would overwrite them.
func planGroup(ctx context.Context, a groupsAdmin, opts *ResetOptions, group string) ([]NewOffset, error) {
	g, err := a.DescribeGroup(ctx, group)
	switch {
	case errors.Is(err, admin.ErrNotFound):
	case err != nil:
		return nil, err
	case g.State != "Empty":
		return nil, fmt.Errorf("assignments can only be reset if the group '%s' is inactive, but the current state is %s", group, g.State)
	}
	committed, err := a.GroupOffsets(ctx, group)
	if err != nil {
		return nil, err
	}
	r := &resetter{a: a, opts: opts, group: group, committed: map[tp]int64{}, warn: opts.IO.ErrOut}
	for _, c := range committed {
		r.committed[tp{c.Topic, c.Partition}] = c.Offset
	}
	return r.plan(ctx)
}

type tp struct {
	topic     string
	partition int32
}

// resetter computes one group's plan.
type resetter struct {
	a         groupsAdmin
	opts      *ResetOptions
	group     string
	committed map[tp]int64
	warn      io.Writer
}

func (r *resetter) plan(ctx context.Context) ([]NewOffset, error) {
	targets, err := r.targets(ctx)
	if err != nil || len(targets) == 0 {
		return nil, err
	}
	topics := topicsOf(targets)
	earliest, err := offsetsAt(ctx, r.a, admin.EarliestOffset, topics)
	if err != nil {
		return nil, err
	}
	latest, err := offsetsAt(ctx, r.a, admin.LatestOffset, topics)
	if err != nil {
		return nil, err
	}
	wanted, err := r.wanted(ctx, targets, latest, topics)
	if err != nil {
		return nil, err
	}
	out := make([]NewOffset, 0, len(targets))
	for _, t := range targets {
		off := r.clamp(t, wanted[t], earliest[t], latest[t])
		out = append(out, NewOffset{Group: r.group, Topic: t.topic, Partition: t.partition, Offset: off})
	}
	return out, nil
}

// targets are the partitions to reset, sorted.
func (r *resetter) targets(ctx context.Context) ([]tp, error) {
	var out []tp
	switch {
	case r.opts.Strategy.Kind == FromFile:
		for topic, ps := range r.filePlan() {
			for p := range ps {
				out = append(out, tp{topic, p})
			}
		}
	case r.opts.AllTopics:
		for k := range r.committed {
			out = append(out, k)
		}
	default:
		for _, sel := range r.opts.Topics {
			ps, err := partitionsOf(ctx, r.a, sel)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				out = append(out, tp{sel.Topic, p})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].topic != out[j].topic {
			return out[i].topic < out[j].topic
		}
		return out[i].partition < out[j].partition
	})
	return out, nil
}

func (r *resetter) filePlan() map[string]map[int32]int64 {
	if p, ok := r.opts.Strategy.Plan[r.group]; ok {
		return p
	}
	return r.opts.Strategy.Plan[""]
}

func partitionsOf(ctx context.Context, a groupsAdmin, sel TopicSelection) ([]int32, error) {
	ts, err := a.Topics(ctx, sel.Topic)
	if err != nil {
		return nil, err
	}
	if len(ts) != 1 || ts[0].Err != nil {
		return nil, fmt.Errorf("topic %s does not exist: %w", sel.Topic, admin.ErrNotFound)
	}
	have := map[int32]bool{}
	var all []int32
	for _, p := range ts[0].Partitions {
		have[p.ID] = true
		all = append(all, p.ID)
	}
	if len(sel.Partitions) == 0 {
		return all, nil
	}
	for _, p := range sel.Partitions {
		if !have[p] {
			return nil, fmt.Errorf("partition %d does not exist in topic %s: %w", p, sel.Topic, admin.ErrNotFound)
		}
	}
	return sel.Partitions, nil
}

// wanted applies the strategy, before clamping to what the log holds.
func (r *resetter) wanted(ctx context.Context, targets []tp, latest map[tp]int64, topics []string) (map[tp]int64, error) {
	s := r.opts.Strategy
	out := map[tp]int64{}
	switch s.Kind {
	case ToDatetime, ByDuration:
		at := s.Time
		if s.Kind == ByDuration {
			at = r.opts.Now().Add(-s.Duration)
		}
		return offsetsAt(ctx, r.a, max(at.UnixMilli(), 0), topics)
	case ToEarliest:
		for _, t := range targets {
			out[t] = 0 // clamped up to the log start
		}
	case ToLatest:
		for _, t := range targets {
			out[t] = latest[t]
		}
	case ToOffset:
		for _, t := range targets {
			out[t] = s.Offset
		}
	case FromFile:
		for _, t := range targets {
			out[t] = r.filePlan()[t.topic][t.partition]
		}
	case ToCurrent, ShiftBy:
		return r.fromCommitted(targets, latest)
	}
	return out, nil
}

func (r *resetter) fromCommitted(targets []tp, latest map[tp]int64) (map[tp]int64, error) {
	out := map[tp]int64{}
	for _, t := range targets {
		c, ok := r.committed[t]
		switch {
		case ok && r.opts.Strategy.Kind == ShiftBy:
			out[t] = c + r.opts.Strategy.Offset
		case ok:
			out[t] = c
		case r.opts.Strategy.Kind == ShiftBy:
			return nil, fmt.Errorf("cannot shift offset for partition %s-%d since there is no current committed offset", t.topic, t.partition)
		default:
			out[t] = latest[t]
		}
	}
	return out, nil
}

// clamp keeps an offset within the partition's log, warning as Kafka does.
func (r *resetter) clamp(t tp, off, earliest, latest int64) int64 {
	switch {
	case off < earliest:
		if r.opts.Strategy.Kind != ToEarliest {
			fmt.Fprintf(r.warn, "New offset (%d) is lower than earliest offset for topic partition %s-%d. Value will be set to %d\n", off, t.topic, t.partition, earliest)
		}
		return earliest
	case off > latest:
		fmt.Fprintf(r.warn, "New offset (%d) is higher than latest offset for topic partition %s-%d. Value will be set to %d\n", off, t.topic, t.partition, latest)
		return latest
	}
	return off
}

func topicsOf(targets []tp) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range targets {
		if !seen[t.topic] {
			seen[t.topic] = true
			out = append(out, t.topic)
		}
	}
	return out
}

func offsetsAt(ctx context.Context, a groupsAdmin, timestamp int64, topics []string) (map[tp]int64, error) {
	listed, err := a.ListOffsets(ctx, timestamp, topics...)
	if err != nil {
		return nil, err
	}
	out := map[tp]int64{}
	for _, o := range listed {
		if o.Err != nil {
			return nil, fmt.Errorf("list offsets of %s-%d: %w", o.Topic, o.Partition, o.Err)
		}
		out[tp{o.Topic, o.Partition}] = o.Offset
	}
	return out, nil
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
