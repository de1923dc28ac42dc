package reassign

import (
	"context"
	"fmt"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// cancelled is --cancel's outcome, and what -o json|yaml prints.
type cancelled struct {
	Cancelled []string  `json:"cancelled"`
	Failed    []failure `json:"failed"`
}

// cancelRun cancels the plan's reassignments that are in progress; the
// partitions go back to their original replicas.
func cancelRun(ctx context.Context, opts *Options, a reassignAdmin) error {
	ongoing, err := a.ListPartitionReassignments(ctx, partitionsOf(opts.Plan))
	if err != nil {
		return err
	}
	c := cancelled{Cancelled: []string{}, Failed: []failure{}}
	var cancels []admin.PartitionReplicas
	for _, r := range ongoing {
		if len(r.AddingReplicas)+len(r.RemovingReplicas) > 0 {
			cancels = append(cancels, admin.PartitionReplicas{Topic: r.Topic, Partition: r.Partition})
		}
	}
	if len(cancels) > 0 {
		results, err := a.AlterPartitionReassignments(ctx, cancels)
		if err != nil {
			return err
		}
		for _, r := range sortedResults(results) {
			n := name(admin.PartitionReplicas{Topic: r.Topic, Partition: r.Partition})
			if r.Err != nil {
				c.Failed = append(c.Failed, failure{Partition: n, Error: r.Err.Error()})
				continue
			}
			c.Cancelled = append(c.Cancelled, n)
		}
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, c); done && (err != nil || len(c.Failed) == 0) {
		return err
	}
	return reportCancelled(opts, c)
}

func reportCancelled(opts *Options, c cancelled) error {
	if len(c.Failed) > 0 {
		lines := make([]string, len(c.Failed))
		for i, f := range c.Failed {
			lines[i] = f.Partition + ": " + f.Error
		}
		fmt.Fprintf(opts.IO.ErrOut, "Error cancelling partition reassignment%s for:\n%s\n", plural(len(c.Failed)), strings.Join(lines, "\n"))
		return clierr.ErrSilent
	}
	if len(c.Cancelled) == 0 {
		fmt.Fprintln(opts.IO.Out, "None of the specified partition reassignments are active.")
		return nil
	}
	fmt.Fprintf(opts.IO.Out, "Successfully cancelled partition reassignment%s for: %s\n", plural(len(c.Cancelled)), strings.Join(c.Cancelled, ","))
	return nil
}
