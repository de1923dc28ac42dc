package reassign

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// executed is --execute's outcome, and what -o json|yaml prints.
type executed struct {
	// Current is the assignment before, to keep for a rollback.
	Current planFile  `json:"current_assignment"`
	Started []string  `json:"started"`
	Failed  []failure `json:"failed"`
}

// failure is a partition the controller refused, and why.
type failure struct {
	Partition string `json:"partition"`
	Error     string `json:"error"`
}

const existingMessage = "Cannot execute because there is an existing partition assignment.  " +
	"Use --additional to override this and create a new partition assignment in addition to the existing one. " +
	"The --additional flag can also be used to change the throttle by resubmitting the current reassignment."

func executeRun(ctx context.Context, opts *Options, a reassignAdmin) error {
	if err := checkExecutePlan(opts.Plan); err != nil {
		return err
	}
	current, err := currentOf(ctx, a, opts.Plan)
	if err != nil {
		return err
	}
	if err := checkExecutable(ctx, opts, a); err != nil {
		return err
	}
	warnThrottles(opts)
	e := executed{Current: planOf(current), Started: []string{}, Failed: []failure{}}
	structured := opts.Output == output.JSON || opts.Output == output.YAML
	if !structured {
		fmt.Fprintf(opts.IO.Out, "Current partition replica assignment\n\n%s\n\nSave this to use as the --reassignment-json-file option during rollback\n", e.Current)
	}
	if err := setThrottles(ctx, opts, a, current); err != nil { // throttle.go
		return err
	}
	results, err := a.AlterPartitionReassignments(ctx, opts.Plan)
	if err != nil {
		return err
	}
	for _, r := range sortedResults(results) {
		n := name(admin.PartitionReplicas{Topic: r.Topic, Partition: r.Partition})
		if r.Err != nil {
			e.Failed = append(e.Failed, failure{Partition: n, Error: r.Err.Error()})
			continue
		}
		e.Started = append(e.Started, n)
	}
	if structured {
		if _, err := output.Structured(opts.IO.Out, opts.Output, e); err != nil {
			return err
		}
	}
	return reportExecuted(opts, e, structured)
}

func reportExecuted(opts *Options, e executed, structured bool) error {
	if len(e.Failed) > 0 {
		lines := make([]string, len(e.Failed))
		for i, f := range e.Failed {
			lines[i] = f.Partition + ": " + f.Error
		}
		fmt.Fprintf(opts.IO.ErrOut, "Error reassigning partition(s):\n%s\n", strings.Join(lines, "\n"))
		return clierr.ErrSilent
	}
	if !structured {
		fmt.Fprintf(opts.IO.Out, "Successfully started partition reassignment%s for %s\n", plural(len(e.Started)), strings.Join(e.Started, ","))
	}
	return nil
}

// checkExecutable refuses to start while other reassignments run (unless
// --additional) or with replicas on brokers the cluster does not know, as
// Kafka's executeAssignment.
func checkExecutable(ctx context.Context, opts *Options, a reassignAdmin) error {
	if !opts.Additional {
		ongoing, err := a.ListPartitionReassignments(ctx, nil)
		if err != nil {
			return err
		}
		if len(ongoing) > 0 {
			return fmt.Errorf("%s", existingMessage)
		}
	}
	cluster, err := a.Cluster(ctx)
	if err != nil {
		return err
	}
	for _, p := range opts.Plan {
		for _, id := range p.Replicas {
			if !slices.ContainsFunc(cluster.Brokers, func(b admin.Broker) bool { return b.ID == id }) {
				return fmt.Errorf("unknown broker id %d", id)
			}
		}
	}
	return nil
}

// currentOf returns the current replicas of the partitions of a plan,
// failing for partitions that do not exist.
func currentOf(ctx context.Context, a reassignAdmin, plan []admin.PartitionReplicas) ([]admin.PartitionReplicas, error) {
	var topics []string
	for _, p := range plan {
		if !slices.Contains(topics, p.Topic) {
			topics = append(topics, p.Topic)
		}
	}
	all, err := topicAssignments(ctx, a, topics)
	if err != nil {
		return nil, err
	}
	out := make([]admin.PartitionReplicas, 0, len(plan))
	for _, p := range plan {
		i := slices.IndexFunc(all, func(c admin.PartitionReplicas) bool { return c.Topic == p.Topic && c.Partition == p.Partition })
		if i < 0 {
			return nil, clierr.NotFoundf("unable to find partition: %s", name(p))
		}
		out = append(out, all[i])
	}
	return out, nil
}

func warnThrottles(opts *Options) {
	if opts.LogDirsThrottle >= 0 {
		fmt.Fprintf(opts.IO.ErrOut, "Warning: kq does not move replicas between log dirs; --replica-alter-log-dirs-throttle %d is ignored.\n", opts.LogDirsThrottle)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
