package reassign

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// listRun prints the reassignments in progress as Kafka's --list does.
func listRun(ctx context.Context, opts *Options, a reassignAdmin) error {
	ongoing, err := a.ListPartitionReassignments(ctx, nil)
	if err != nil {
		return err
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, ongoing); done {
		return err
	}
	if len(ongoing) == 0 {
		fmt.Fprintln(opts.IO.Out, "No partition reassignments found.")
		return nil
	}
	fmt.Fprintln(opts.IO.Out, "Current partition reassignments:")
	for _, r := range ongoing {
		line := fmt.Sprintf("%s: replicas: %s.", name(admin.PartitionReplicas{Topic: r.Topic, Partition: r.Partition}), ids(r.Replicas))
		if len(r.AddingReplicas) > 0 {
			line += fmt.Sprintf(" adding: %s.", ids(r.AddingReplicas))
		}
		if len(r.RemovingReplicas) > 0 {
			line += fmt.Sprintf(" removing: %s.", ids(r.RemovingReplicas))
		}
		fmt.Fprintln(opts.IO.Out, line)
	}
	return nil
}
