package controller

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
)

// Reassignment is a partition reassignment under way.
type Reassignment struct {
	Replicas []int32 // the current replica set, adding included
	Adding   []int32
	Removing []int32
}

// ReassignError is a partition's refusal: a Kafka error code with the
// message Kafka's controller gives for it (Message may be empty).
type ReassignError struct {
	Code    *kerr.Error
	Message string
}

// Error is the message, or the code's own when there is none.
func (e *ReassignError) Error() string {
	if e.Message == "" {
		return e.Code.Message
	}
	return e.Message
}

// Unwrap returns the Kafka error code, for errors.Is.
func (e *ReassignError) Unwrap() error { return e.Code }

func reassignErrorf(code *kerr.Error, format string, args ...any) error {
	return &ReassignError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// AlterPartitionReassignments starts (target replicas) or cancels (nil
// replicas) partition reassignments; per partition it returns nil or a
// *ReassignError. A new target replaces one under way, and the request
// overrides any entry for the same partition in
// /admin/reassign_partitions, as Kafka's controller does.
func (c *Controller) AlterPartitionReassignments(ctx context.Context, targets map[TopicPartition][]int32) (map[TopicPartition]error, error) {
	r, err := c.request(ctx, func(ctx context.Context, l *loop, op OpID) (Event, error) {
		deleting, err := l.deletionsAmong(ctx, targets)
		return ReassignmentsRequested{Op: op, Targets: targets, Deleting: deleting}, err
	})
	if err != nil {
		return nil, err
	}
	return r.(map[TopicPartition]error), nil
}

// ListPartitionReassignments lists reassignments under way, for the
// partitions given or all when only is nil. Partitions that do not exist
// or are not being reassigned are left out, as Kafka does.
func (c *Controller) ListPartitionReassignments(ctx context.Context, only []TopicPartition) (map[TopicPartition]Reassignment, error) {
	r, err := c.request(ctx, func(_ context.Context, _ *loop, op OpID) (Event, error) {
		return ReassignmentsListRequested{Op: op, Only: only}, nil
	})
	if err != nil {
		return nil, err
	}
	return r.(map[TopicPartition]Reassignment), nil
}

// sortedPartitions returns m's keys by topic, then partition, so that
// requests are carried out in a repeatable order.
func sortedPartitions[V any](m map[TopicPartition]V) []TopicPartition {
	return slices.SortedFunc(maps.Keys(m), func(a, b TopicPartition) int {
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
}

// idList formats broker ids as Kafka's messages do: "1,2,3".
func idList(ids []int32) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ",")
}
