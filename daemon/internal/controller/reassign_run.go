package controller

import (
	"context"
	"errors"
	"slices"
)

// errNoReassignLeader: no replica of the target set can lead yet (none is
// live and in the ISR); the reassignment waits for the next state change.
var errNoReassignLeader = errors.New("no live in-sync replica of the target replicas")

// reassignPartition moves a partition to the assignment next, Kafka's
// onPartitionReassignment. The assignment znode gets the full replica set
// with adding/removing; replicas an earlier target added and this one does
// not want are stopped at once. Then, unless the target replicas are all
// in the ISR already, the leader epoch is bumped and every replica, old
// and new, gets LeaderAndIsr, so the leader learns the new replica set and
// the new replicas start fetching; a watch on the partition's state znode
// carries on from there (onReassignStateChange).
func (l *loop) reassignPartition(ctx context.Context, b *batch, tp TopicPartition, next PartitionAssignment) error {
	cur, _ := l.partitionAssignment(tp)
	if !cur.equal(next) {
		if err := l.c.cfg.Store.SetPartitionAssignments(ctx, tp.Topic, map[int32]PartitionAssignment{tp.Partition: next}); err != nil {
			return err
		}
		l.setPartitionAssignment(tp, next)
		l.c.log.Info("partition reassignment", "topic", tp.Topic, "partition", tp.Partition,
			"replicas", next.Replicas, "adding", next.Adding, "removing", next.Removing)
	}
	if unneeded := without(cur.Replicas, next.Replicas); len(unneeded) > 0 {
		if err := l.dropReplicas(ctx, b, tp, unneeded); err != nil {
			return err
		}
	}
	done, err := l.reassignmentComplete(ctx, b, tp)
	if err != nil {
		return err
	}
	if done {
		return l.completeReassignment(ctx, b, tp)
	}
	if err := l.rewriteState(ctx, tp, func(s PartitionState) (PartitionState, error) {
		s.LeaderEpoch++
		return s, nil
	}); err != nil {
		return err
	}
	b.leaderAndIsrFor(tp.Topic, tp.Partition)
	return nil
}

// reassignmentComplete reports whether every target replica is in the
// ISR. While a reassignment is under way it (re)arms the watch on the
// partition's state znode, reading the state afresh.
func (l *loop) reassignmentComplete(ctx context.Context, b *batch, tp TopicPartition) (bool, error) {
	a, ok := l.partitionAssignment(tp)
	if !ok {
		return false, nil
	}
	if !a.reassigning() {
		return true, nil
	}
	s, found, err := l.watchState(ctx, tp)
	if err != nil || !found {
		return false, err
	}
	t := l.topics[tp.Topic]
	if cur, had := t.states[tp.Partition]; !had || cur.Version != s.Version {
		// A leader's ISR change: take it, and pass it on to the brokers as
		// the ISR notification would.
		t.states[tp.Partition] = s
		b.updateMetadataFor(tp.Topic, tp.Partition)
	}
	return subset(a.target(), s.ISR), nil
}

// watchState reads a partition's state and, unless one is armed already,
// sets a watch that runs onReassignStateChange at the next change.
func (l *loop) watchState(ctx context.Context, tp TopicPartition) (PartitionState, bool, error) {
	s, found, ch, err := l.c.cfg.Store.PartitionStateW(ctx, tp.Topic, tp.Partition)
	if ch != nil && !l.reassign.states[tp] {
		if l.reassign.states == nil {
			l.reassign.states = map[TopicPartition]bool{}
		}
		l.reassign.states[tp] = true
		l.watchThen(ctx, ch, func(ctx context.Context, l *loop) error {
			delete(l.reassign.states, tp)
			return l.onReassignStateChange(ctx, tp)
		})
	}
	if errors.Is(err, ErrMalformed) {
		l.c.log.Error("reassignment waits: partition state cannot be read", "topic", tp.Topic, "partition", tp.Partition, "err", err)
		return s, false, nil
	}
	return s, found, err
}

// onReassignStateChange is Kafka's PartitionReassignmentIsrChange: the
// state of a partition under reassignment changed; once the target
// replicas are all in the ISR, the reassignment completes.
func (l *loop) onReassignStateChange(ctx context.Context, tp TopicPartition) error {
	if a, ok := l.partitionAssignment(tp); !ok || !a.reassigning() {
		return nil
	}
	b := newBatch()
	done, err := l.reassignmentComplete(ctx, b, tp)
	if err == nil && done {
		err = l.completeReassignment(ctx, b, tp)
	}
	l.sendBatch(b)
	return err
}

// completeReassignment ends a reassignment whose target replicas are all
// in the ISR: a leader from the target if the current one is not in it or
// not live (Kafka's ReassignPartitionLeaderElectionStrategy), the removed
// replicas out of the ISR, both in one state write with a new leader
// epoch; LeaderAndIsr to the target replicas, StopReplica with deletion
// to the removed ones; then the assignment znode without adding/removing,
// and the partition's entry out of /admin/reassign_partitions.
func (l *loop) completeReassignment(ctx context.Context, b *batch, tp TopicPartition) error {
	a, _ := l.partitionAssignment(tp)
	target := a.target()
	removed := without(a.Replicas, target)
	err := l.rewriteState(ctx, tp, func(s PartitionState) (PartitionState, error) {
		return l.reassignedState(s, target)
	})
	if errors.Is(err, errNoReassignLeader) {
		l.c.log.Warn("partition reassignment waits for a leader", "topic", tp.Topic, "partition", tp.Partition, "target", target, "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	final := PartitionAssignment{Replicas: target}
	if err := l.c.cfg.Store.SetPartitionAssignments(ctx, tp.Topic, map[int32]PartitionAssignment{tp.Partition: final}); err != nil {
		return err
	}
	l.setPartitionAssignment(tp, final)
	b.leaderAndIsrFor(tp.Topic, tp.Partition)
	if len(removed) > 0 {
		b.stopReplicaFor(tp.Topic, tp.Partition, removed)
	}
	l.c.log.Info("partition reassignment completed", "topic", tp.Topic, "partition", tp.Partition, "replicas", target, "removed", removed)
	return l.c.cfg.Store.RemoveReassignRequests(ctx, func(x TopicPartition, replicas []int32) bool {
		return x == tp && slices.Equal(replicas, target)
	})
}

// reassignedState is the state a completed reassignment writes.
func (l *loop) reassignedState(s PartitionState, target []int32) (PartitionState, error) {
	isr := slices.DeleteFunc(slices.Clone(s.ISR), func(id int32) bool { return !slices.Contains(target, id) })
	leader := s.Leader
	if !slices.Contains(target, leader) || !l.isLive(leader) {
		leader = pickLeader(target, isr, l.isLive, false)
	}
	if leader < 0 {
		return s, errNoReassignLeader
	}
	s.Leader, s.ISR = leader, isr
	s.LeaderEpoch++
	return s, nil
}

// dropReplicas takes replicas that are no longer wanted out of the ISR
// (electing a leader among the rest when the leader is one of them) and
// stops them, deleting their logs: Kafka's OfflineReplica then
// NonExistentReplica transitions.
func (l *loop) dropReplicas(ctx context.Context, b *batch, tp TopicPartition, ids []int32) error {
	a, _ := l.partitionAssignment(tp)
	err := l.rewriteState(ctx, tp, func(s PartitionState) (PartitionState, error) {
		isr := without(s.ISR, ids)
		if len(isr) == len(s.ISR) && !slices.Contains(ids, s.Leader) {
			return s, errUnchanged
		}
		if slices.Contains(ids, s.Leader) {
			s.Leader = pickLeader(a.Replicas, isr, l.isLive, false)
		}
		s.ISR = isr
		s.LeaderEpoch++
		return s, nil
	})
	if err != nil {
		return err
	}
	b.leaderAndIsrFor(tp.Topic, tp.Partition)
	b.stopReplicaFor(tp.Topic, tp.Partition, ids)
	return nil
}

// errUnchanged tells rewriteState there is nothing to write.
var errUnchanged = errors.New("state unchanged")

// rewriteState writes change(current state) over a partition's state with
// compare-and-set, deciding again on the state read back when a leader
// changed the ISR meanwhile. A partition without state is left alone.
func (l *loop) rewriteState(ctx context.Context, tp TopicPartition, change func(PartitionState) (PartitionState, error)) error {
	t, ok := l.topics[tp.Topic]
	if !ok {
		return nil
	}
	for attempt := 1; ; attempt++ {
		cur, ok := t.states[tp.Partition]
		if !ok {
			return nil
		}
		next, err := change(cur)
		if errors.Is(err, errUnchanged) {
			return nil
		}
		if err != nil {
			return err
		}
		next.Version, next.ControllerEpoch = cur.Version, l.epoch
		written, err := l.updateState(ctx, tp.Topic, t, tp.Partition, next)
		if errors.Is(err, errReassignStateMoved) && attempt < maxStateRetries {
			continue
		}
		if err != nil {
			return err
		}
		t.states[tp.Partition] = written
		return nil
	}
}

// partitionAssignment returns a partition's entry in the loop's copy of
// its topic's assignment.
func (l *loop) partitionAssignment(tp TopicPartition) (PartitionAssignment, bool) {
	t, ok := l.topics[tp.Topic]
	if !ok {
		return PartitionAssignment{}, false
	}
	replicas, ok := t.assignment.Replicas[tp.Partition]
	if !ok {
		return PartitionAssignment{}, false
	}
	return PartitionAssignment{Replicas: replicas, Adding: t.assignment.Adding[tp.Partition], Removing: t.assignment.Removing[tp.Partition]}, true
}

func (l *loop) setPartitionAssignment(tp TopicPartition, a PartitionAssignment) {
	t := l.topics[tp.Topic]
	if t.assignment.Adding == nil {
		t.assignment.Adding = map[int32][]int32{}
	}
	if t.assignment.Removing == nil {
		t.assignment.Removing = map[int32][]int32{}
	}
	t.assignment.Replicas[tp.Partition] = slices.Clone(a.Replicas)
	setOrDelete(t.assignment.Adding, tp.Partition, a.Adding)
	setOrDelete(t.assignment.Removing, tp.Partition, a.Removing)
}

func setOrDelete(m map[int32][]int32, p int32, ids []int32) {
	if len(ids) == 0 {
		delete(m, p)
		return
	}
	m[p] = slices.Clone(ids)
}
