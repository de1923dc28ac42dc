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

func (e *ReassignError) Error() string {
	if e.Message == "" {
		return e.Code.Message
	}
	return e.Message
}

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
	var out map[TopicPartition]error
	err := c.do(ctx, func(ctx context.Context, l *loop) error {
		var err error
		out, err = l.alterReassignments(ctx, targets)
		return err
	})
	return out, err
}

func (l *loop) alterReassignments(ctx context.Context, targets map[TopicPartition][]int32) (map[TopicPartition]error, error) {
	out := make(map[TopicPartition]error, len(targets))
	plan := map[TopicPartition]PartitionAssignment{}
	for _, tp := range sortedPartitions(targets) {
		if err := l.planReassignment(tp, targets[tp], plan); err != nil {
			out[tp] = err
		}
	}
	// The latest request wins over an old tool's entry for the partition.
	err := l.c.cfg.Store.RemoveReassignRequests(ctx, func(tp TopicPartition, _ []int32) bool {
		_, planned := plan[tp]
		return planned
	})
	if err != nil {
		return nil, err
	}
	b := newBatch()
	defer func() { l.sendBatch(b) }()
	for _, tp := range sortedPartitions(plan) {
		if err := l.refuseReassignment(ctx, tp); err != nil {
			out[tp] = err
			continue
		}
		if err := l.reassignPartition(ctx, b, tp, plan[tp]); err != nil {
			return nil, err
		}
		out[tp] = nil
	}
	return out, nil
}

// planReassignment validates one partition's request and adds the
// assignment it leads to to plan (Kafka's validateReplicas and
// maybeBuildReassignment).
func (l *loop) planReassignment(tp TopicPartition, target []int32, plan map[TopicPartition]PartitionAssignment) error {
	cur, _ := l.partitionAssignment(tp)
	if target != nil {
		if err := l.validateTarget(cur, target); err != nil {
			return err
		}
	}
	switch {
	case target != nil:
		plan[tp] = cur.reassignTo(target)
	case cur.reassigning():
		plan[tp] = cur.reassignTo(cur.origin())
	default:
		return &ReassignError{Code: kerr.NoReassignmentInProgress}
	}
	return nil
}

func (l *loop) validateTarget(cur PartitionAssignment, target []int32) error {
	switch {
	case len(target) == 0:
		return reassignErrorf(kerr.InvalidReplicaAssignment, "Empty replica list specified in partition reassignment.")
	case len(distinct(target)) != len(target):
		return reassignErrorf(kerr.InvalidReplicaAssignment, "Duplicate replica ids in partition reassignment replica list: %s", idList(target))
	case slices.ContainsFunc(target, func(id int32) bool { return id < 0 }):
		return reassignErrorf(kerr.InvalidReplicaAssignment, "Invalid broker id in replica list: %s", idList(target))
	}
	adding := cur.reassignTo(target).Adding
	if !subset(adding, l.liveIDs()) {
		return reassignErrorf(kerr.InvalidReplicaAssignment, "Replica assignment has brokers that are not alive. Replica list: %s, live broker list: %s",
			idList(adding), idList(l.liveIDs()))
	}
	return nil
}

// refuseReassignment refuses partitions that do not exist and topics
// queued for deletion (Kafka's maybeTriggerPartitionReassignment).
func (l *loop) refuseReassignment(ctx context.Context, tp TopicPartition) error {
	if _, ok := l.partitionAssignment(tp); !ok {
		return reassignErrorf(kerr.UnknownTopicOrPartition, "The partition does not exist.")
	}
	deleting, err := l.c.cfg.Store.DeletionRequested(ctx, tp.Topic)
	if err != nil {
		return reassignErrorf(kerr.UnknownServerError, "%v", err)
	}
	if deleting {
		return reassignErrorf(kerr.UnknownTopicOrPartition, "The partition does not exist: topic %s is being deleted.", tp.Topic)
	}
	return nil
}

// ListPartitionReassignments lists reassignments under way, for the
// partitions given or all when only is nil. Partitions that do not exist
// or are not being reassigned are left out, as Kafka does.
func (c *Controller) ListPartitionReassignments(ctx context.Context, only []TopicPartition) (map[TopicPartition]Reassignment, error) {
	out := map[TopicPartition]Reassignment{}
	err := c.do(ctx, func(_ context.Context, l *loop) error {
		for _, tp := range l.partitionsOrAll(only) {
			if a, ok := l.partitionAssignment(tp); ok && a.reassigning() {
				out[tp] = Reassignment{Replicas: slices.Clone(a.Replicas), Adding: slices.Clone(a.Adding), Removing: slices.Clone(a.Removing)}
			}
		}
		return nil
	})
	return out, err
}

func (l *loop) partitionsOrAll(only []TopicPartition) []TopicPartition {
	if only != nil {
		return only
	}
	var all []TopicPartition
	for _, name := range l.topicNames() {
		for _, p := range allPartitions(l.topics[name]) {
			all = append(all, TopicPartition{Topic: name, Partition: p})
		}
	}
	return all
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
