package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// The driver's side of partition reassignment: the watches on
// /admin/reassign_partitions and on the states of partitions under
// reassignment, and the store effects only reassignment asks for.

// reassignWatches remembers which watches partition reassignment holds,
// so that restarting a reassignment (a new target, a resumed one) does not
// stack a second watch on the same znode.
type reassignWatches struct {
	states   map[TopicPartition]bool // a state znode watch is armed
	requests bool                    // the /admin/reassign_partitions watch is armed
}

// onReassignRequestsChanged reads /admin/reassign_partitions, keeps
// watching it, and steps what it holds; resume is set right after the
// election.
func (l *loop) onReassignRequestsChanged(ctx context.Context, resume bool) error {
	reqs, ch, err := l.c.cfg.Store.ReassignRequests(ctx)
	if ch != nil && !l.reassign.requests {
		l.reassign.requests = true
		l.watch(ctx, ch, event{kind: reassignRequestsChanged})
	}
	malformed := errors.Is(err, ErrMalformed)
	if err != nil && !malformed {
		return err
	}
	deleting, err := l.deletionsAmong(ctx, reqs)
	if err != nil {
		return err
	}
	return l.step(ctx, ReassignRequestsRead{Requests: reqs, Malformed: malformed, Deleting: deleting, Resume: resume})
}

// deletionsAmong reads which of the topics named have a deletion request.
func (l *loop) deletionsAmong(ctx context.Context, parts map[TopicPartition][]int32) (map[string]bool, error) {
	deleting := map[string]bool{}
	for tp := range parts {
		if _, seen := deleting[tp.Topic]; seen {
			continue
		}
		requested, err := l.c.cfg.Store.DeletionRequested(ctx, tp.Topic)
		if err != nil {
			return nil, fmt.Errorf("deletion request of %s: %w", tp.Topic, err)
		}
		deleting[tp.Topic] = requested
	}
	return deleting, nil
}

// readStateWatched reads a partition's state and arms a watch on it
// unless one is armed.
func (l *loop) readStateWatched(ctx context.Context, e ReadStateWatched) (Result, error) {
	tp := e.Partition
	s, found, ch, err := l.c.cfg.Store.PartitionStateW(ctx, tp.Topic, tp.Partition)
	if ch != nil && !l.reassign.states[tp] {
		if l.reassign.states == nil {
			l.reassign.states = map[TopicPartition]bool{}
		}
		l.reassign.states[tp] = true
		l.watch(ctx, ch, event{kind: reassignStateChanged, tp: tp})
	}
	if errors.Is(err, ErrMalformed) {
		l.c.log.Error("reassignment waits: partition state cannot be read", "topic", tp.Topic, "partition", tp.Partition, "err", err)
		return Result{ID: e.ID, Outcome: OutcomeGone}, nil
	}
	if err != nil {
		return Result{}, err
	}
	if !found {
		return Result{ID: e.ID, Outcome: OutcomeGone}, nil
	}
	return Result{ID: e.ID, State: s}, nil
}

// onReassignStateWatchFired steps the change of a watched state.
func (l *loop) onReassignStateWatchFired(ctx context.Context, tp TopicPartition) error {
	delete(l.reassign.states, tp)
	return l.step(ctx, ReassignStateChanged{Partition: tp})
}

func (l *loop) writeAssignment(ctx context.Context, e WriteAssignment) (Result, error) {
	parts := map[int32]PartitionAssignment{e.Partition.Partition: e.Assignment}
	return outcome(e.ID, PartitionState{}, l.c.cfg.Store.SetPartitionAssignments(ctx, e.Partition.Topic, parts))
}

func (l *loop) removeReassignRequests(ctx context.Context, e RemoveReassignRequests) (Result, error) {
	drop := func(tp TopicPartition, replicas []int32) bool {
		if e.All {
			return true
		}
		return slices.Contains(e.Partitions, tp) && (e.Replicas == nil || slices.Equal(replicas, e.Replicas))
	}
	return outcome(e.ID, PartitionState{}, l.c.cfg.Store.RemoveReassignRequests(ctx, drop))
}
