package groups

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// View is what --describe shows.
type View int

// The views of --describe.
const (
	Offsets View = iota // lag per partition (the default)
	Members             // --members
	States              // --state
)

// DescribeOptions are the inputs of `kq groups describe` (--describe).
type DescribeOptions struct {
	IO        *iostreams.IOStreams
	Admin     func() (groupsAdmin, error)
	Output    output.Format
	Groups    []string
	AllGroups bool
	View      View
	Verbose   bool // --members: the assignment of each member too
}

// NewCmdDescribe returns `kq groups describe`.
func NewCmdDescribe(f *factory.Factory, runF func(context.Context, *DescribeOptions) error) *cobra.Command {
	var members, state, verbose, all bool
	cmd := &cobra.Command{
		Use:   "describe [GROUP]...",
		Short: "Show a group's lag per partition, its members or its state",
		Example: "  kq groups describe orders-app\n  kq groups describe orders-app --members --verbose\n" +
			"  kq groups describe --all-groups --state -o json",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := &DescribeOptions{IO: f.IOStreams, Admin: adminOf(f), Output: f.Output(), Groups: args, AllGroups: all, Verbose: verbose}
			view, err := describeView(members, state)
			if err != nil {
				return err
			}
			opts.View = view
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return describeRun(cmd.Context(), opts)
		},
		ValidArgsFunction: completeGroups(f),
	}
	fl := cmd.Flags()
	fl.BoolVar(&members, "members", false, "Show the members instead of the partitions")
	fl.BoolVar(&state, "state", false, "Show the group's state, coordinator and protocol")
	fl.BoolVar(&verbose, "verbose", false, "With --members: each member's partitions")
	fl.BoolVar(&all, "all-groups", false, "Describe every group")
	return cmd
}

func (o *DescribeOptions) check() error {
	if len(o.Groups) == 0 && !o.AllGroups {
		return usagef("a group is required: kq groups describe GROUP, or --all-groups")
	}
	if len(o.Groups) > 0 && o.AllGroups {
		return usagef("give groups or --all-groups, not both")
	}
	return nil
}

func describeView(members, state bool) (View, error) {
	switch {
	case members && state:
		return 0, usagef("use either --members or --state")
	case members:
		return Members, nil
	case state:
		return States, nil
	}
	return Offsets, nil
}

// describedGroup is one group's answer, as -o json writes it.
type describedGroup struct {
	admin.Group
	Partitions []admin.PartitionLag `json:"partitions,omitempty"`
	TotalLag   *int64               `json:"total_lag,omitempty"`
	err        error
}

func describeRun(ctx context.Context, opts *DescribeOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	names, err := groupNames(ctx, a, opts)
	if err != nil {
		return err
	}
	var out []describedGroup
	for _, name := range names {
		out = append(out, describeOne(ctx, a, name, opts.View))
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, found(out)); done {
		if err != nil {
			return err
		}
		return firstError(out)
	}
	for _, d := range out {
		printDescribed(opts, d)
	}
	return firstError(out)
}

func groupNames(ctx context.Context, a groupsAdmin, opts *DescribeOptions) ([]string, error) {
	if !opts.AllGroups {
		return opts.Groups, nil
	}
	listed, err := a.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(listed))
	for _, g := range listed {
		names = append(names, g.Group)
	}
	return names, nil
}

func describeOne(ctx context.Context, a groupsAdmin, name string, view View) describedGroup {
	if view != Offsets {
		g, err := a.DescribeGroup(ctx, name)
		return describedGroup{Group: g, err: err}
	}
	g, rows, err := a.GroupLag(ctx, name)
	total := admin.TotalLag(rows)
	if rows == nil {
		rows = []admin.PartitionLag{}
	}
	return describedGroup{Group: g, Partitions: rows, TotalLag: &total, err: err}
}

func found(ds []describedGroup) []describedGroup {
	out := []describedGroup{}
	for _, d := range ds {
		if d.err == nil {
			out = append(out, d)
		}
	}
	return out
}

// firstError reports the groups that could not be described: a group that
// does not exist is "not found".
func firstError(ds []describedGroup) error {
	var errs []error
	for _, d := range ds {
		if d.err != nil {
			errs = append(errs, d.err)
		}
	}
	return errors.Join(errs...)
}

func printDescribed(opts *DescribeOptions, d describedGroup) {
	if d.err != nil {
		return
	}
	if !announceState(opts.IO.ErrOut, d.Group) {
		return
	}
	switch opts.View {
	case Members:
		printMembers(opts.IO.Out, d.Group, opts.Verbose)
	case States:
		printState(opts.IO.Out, d.Group)
	default:
		printOffsets(opts.IO.Out, d.Partitions)
		if len(d.Partitions) > 0 {
			fmt.Fprintf(opts.IO.ErrOut, "Total lag of group '%s': %d\n", d.Group.Group, *d.TotalLag)
		}
	}
}

// announceState prints Kafka's notes on stderr for groups without stable
// members; it reports whether there is anything else to print.
func announceState(w io.Writer, g admin.Group) bool {
	switch g.State {
	case "Empty":
		fmt.Fprintf(w, "\nConsumer group '%s' has no active members.\n", g.Group)
		if g.OffsetStorage == admin.OffsetStorageZooKeeper {
			fmt.Fprintf(w, "Its offsets were committed with OffsetCommit v0 and are kept in ZooKeeper (/consumers/%s/offsets).\n", g.Group)
		}
	case "PreparingRebalance", "CompletingRebalance":
		fmt.Fprintf(w, "\nWarning: Consumer group '%s' is rebalancing.\n", g.Group)
	}
	return true
}

const missing = "-" // Kafka's MISSING_COLUMN_VALUE

func orMissing(s string) string {
	if s == "" {
		return missing
	}
	return s
}

func offsetOrMissing(n int64) string {
	if n < 0 {
		return missing
	}
	return strconv.FormatInt(n, 10)
}

// printOffsets writes kafka-consumer-groups --describe's table.
func printOffsets(w io.Writer, rows []admin.PartitionLag) {
	if len(rows) == 0 {
		return
	}
	gw := width(15, len(rows), func(i int) string { return rows[i].Group })
	tw := width(15, len(rows), func(i int) string { return rows[i].Topic })
	cw := width(15, len(rows), func(i int) string { return rows[i].MemberID })
	hw := width(15, len(rows), func(i int) string { return rows[i].Host })
	line := func(cells ...string) {
		fmt.Fprintf(w, "%-*s %-*s %-10s %-15s %-15s %-15s %-*s %-*s %s\n", gw, cells[0], tw, cells[1], cells[2], cells[3], cells[4], cells[5], cw, cells[6], hw, cells[7], cells[8])
	}
	fmt.Fprintln(w)
	line("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID")
	for _, r := range rows {
		line(r.Group, r.Topic, strconv.Itoa(int(r.Partition)), offsetOrMissing(r.Committed), offsetOrMissing(r.LogEnd),
			offsetOrMissing(r.Lag), orMissing(r.MemberID), orMissing(r.Host), orMissing(r.ClientID))
	}
}

// printMembers writes kafka-consumer-groups --describe --members.
func printMembers(w io.Writer, g admin.Group, verbose bool) {
	ms := g.Members
	if len(ms) == 0 {
		return
	}
	gw := max(15, len(g.Group))
	cw := width(15, len(ms), func(i int) string { return ms[i].MemberID })
	iw := width(17, len(ms), func(i int) string { return ms[i].InstanceID })
	hw := width(15, len(ms), func(i int) string { return ms[i].Host })
	lw := width(15, len(ms), func(i int) string { return ms[i].ClientID })
	format := fmt.Sprintf("%%-%ds %%-%ds %%-%ds %%-%ds %%-%ds %%-15s ", gw, cw, iw, hw, lw)
	fmt.Fprint(w, "\n"+fmt.Sprintf(format, "GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS"))
	if verbose {
		fmt.Fprint(w, "ASSIGNMENT")
	}
	fmt.Fprintln(w)
	for _, m := range ms {
		fmt.Fprint(w, fmt.Sprintf(format, g.Group, m.MemberID, orMissing(m.InstanceID), m.Host, m.ClientID, strconv.Itoa(countPartitions(m))))
		if verbose {
			fmt.Fprint(w, assignmentText(m))
		}
		fmt.Fprintln(w)
	}
}

func countPartitions(m admin.GroupMember) int {
	n := 0
	for _, ps := range m.Assignment {
		n += len(ps)
	}
	return n
}

// assignmentText is Kafka's "t(0,1),u(2)", or "-" for none.
func assignmentText(m admin.GroupMember) string {
	topics := make([]string, 0, len(m.Assignment))
	for t := range m.Assignment {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	var parts []string
	for _, t := range topics {
		ps := append([]int32(nil), m.Assignment[t]...)
		sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
		ids := make([]string, len(ps))
		for i, p := range ps {
			ids[i] = strconv.Itoa(int(p))
		}
		parts = append(parts, t+"("+strings.Join(ids, ",")+")")
	}
	if len(parts) == 0 {
		return missing
	}
	return strings.Join(parts, ",")
}

// printState writes kafka-consumer-groups --describe --state.
func printState(w io.Writer, g admin.Group) {
	coordinator := fmt.Sprintf("%s:%d (%d)", g.Coordinator.Host, g.Coordinator.Port, g.Coordinator.ID)
	format := fmt.Sprintf("\n%%-%ds %%-%ds %%-20s %%-15s %%s", max(15, len(g.Group)), max(25, len(coordinator)))
	fmt.Fprintf(w, format, "GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS")
	fmt.Fprintf(w, format, g.Group, coordinator, g.Protocol, g.State, strconv.Itoa(len(g.Members)))
	fmt.Fprintln(w)
}
