package reassign

import (
	"context"
	"fmt"
	"slices"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// Reassignment states --verify reports.
const (
	statusCompleted  = "completed"
	statusInProgress = "in_progress"
	// statusDiverged: nothing in progress, but the replicas are not the
	// target (cancelled, or changed since).
	statusDiverged = "not_target"
)

// partitionStatus is one partition's state under --verify.
type partitionStatus struct {
	Topic           string  `json:"topic"`
	Partition       int32   `json:"partition"`
	Status          string  `json:"status"`
	CurrentReplicas []int32 `json:"current_replicas"`
	TargetReplicas  []int32 `json:"target_replicas"`
}

func (s partitionStatus) name() string {
	return name(admin.PartitionReplicas{Topic: s.Topic, Partition: s.Partition})
}

// verifyRun reports each partition of the plan as Kafka's --verify does.
// The exit status is 0 whether or not reassignments are still in
// progress, as with Kafka's tool; scripts read the lines (or -o json).
func verifyRun(ctx context.Context, opts *Options, a reassignAdmin) error {
	states, err := reassignmentStates(ctx, a, opts.Plan)
	if err != nil {
		return err
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, map[string][]partitionStatus{"partitions": states}); done {
		if err != nil {
			return err
		}
		return clearThrottlesWhenDone(ctx, opts, a, states)
	}
	fmt.Fprintln(opts.IO.Out, "Status of partition reassignment:")
	for _, s := range states {
		switch s.Status {
		case statusCompleted:
			fmt.Fprintf(opts.IO.Out, "Reassignment of partition %s is completed.\n", s.name())
		case statusInProgress:
			fmt.Fprintf(opts.IO.Out, "Reassignment of partition %s is still in progress.\n", s.name())
		default:
			fmt.Fprintf(opts.IO.Out, "There is no active reassignment of partition %s, but replica set is %s rather than %s.\n",
				s.name(), ids(s.CurrentReplicas), ids(s.TargetReplicas))
		}
	}
	return clearThrottlesWhenDone(ctx, opts, a, states)
}

// clearThrottlesWhenDone clears the throttles once no partition of the
// plan is still moving, unless --preserve-throttles (Kafka's
// verifyAssignment).
func clearThrottlesWhenDone(ctx context.Context, opts *Options, a reassignAdmin, states []partitionStatus) error {
	if opts.PreserveThrottles || slices.ContainsFunc(states, func(s partitionStatus) bool { return s.Status == statusInProgress }) {
		return nil
	}
	w := opts.IO.Out
	if opts.Output == output.JSON || opts.Output == output.YAML {
		w = opts.IO.ErrOut // keep stdout one document
	}
	return clearThrottles(ctx, opts, a, w)
}

// reassignmentStates compares each partition of the plan with the
// reassignments in progress and the current replicas (Kafka's
// findPartitionReassignmentStates).
func reassignmentStates(ctx context.Context, a reassignAdmin, plan []admin.PartitionReplicas) ([]partitionStatus, error) {
	ongoing, err := a.ListPartitionReassignments(ctx, partitionsOf(plan))
	if err != nil {
		return nil, err
	}
	current, err := currentOf(ctx, a, plan)
	if err != nil {
		return nil, err
	}
	sorted := slices.Clone(plan)
	slices.SortFunc(sorted, comparePartitions)
	out := make([]partitionStatus, 0, len(plan))
	for _, p := range sorted {
		s := partitionStatus{Topic: p.Topic, Partition: p.Partition, TargetReplicas: orEmpty(p.Replicas), Status: statusCompleted}
		i := slices.IndexFunc(current, func(c admin.PartitionReplicas) bool { return c.Topic == p.Topic && c.Partition == p.Partition })
		s.CurrentReplicas = orEmpty(current[i].Replicas)
		switch {
		case slices.ContainsFunc(ongoing, func(r admin.PartitionReassignment) bool { return r.Topic == p.Topic && r.Partition == p.Partition }):
			s.Status = statusInProgress
		case !slices.Equal(s.CurrentReplicas, s.TargetReplicas):
			s.Status = statusDiverged
		}
		out = append(out, s)
	}
	return out, nil
}

// partitionsOf returns a plan's partitions by topic.
func partitionsOf(plan []admin.PartitionReplicas) map[string][]int32 {
	out := map[string][]int32{}
	for _, p := range plan {
		out[p.Topic] = append(out[p.Topic], p.Partition)
	}
	return out
}
