package controller

import (
	"context"
	"errors"
)

// Reassignment is a partition reassignment under way.
type Reassignment struct {
	Replicas []int32 // the current replica set, adding included
	Adding   []int32
	Removing []int32
}

// AlterPartitionReassignments starts (target replicas) or cancels (nil
// replicas) partition reassignments; per partition it returns nil or a
// kerr error.
func (c *Controller) AlterPartitionReassignments(ctx context.Context, targets map[TopicPartition][]int32) (map[TopicPartition]error, error) {
	return nil, errors.New("alter partition reassignments: not implemented yet")
}

// ListPartitionReassignments lists reassignments under way, for the
// partitions given or all when only is nil.
func (c *Controller) ListPartitionReassignments(ctx context.Context, only []TopicPartition) (map[TopicPartition]Reassignment, error) {
	return nil, errors.New("list partition reassignments: not implemented yet")
}

// resumeReassignments continues reassignments recorded in the metadata
// store.
func (l *loop) resumeReassignments(ctx context.Context) error { return nil }
