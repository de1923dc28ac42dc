package controller

import (
	"errors"
	"fmt"
	"slices"
)

// The phases of one partition's reassignment, each a chain of effects
// and the decisions on their results.

// errNoReassignLeader: no replica of the target set can lead yet (none is
// live and in the ISR); the reassignment waits for the next state change.
var errNoReassignLeader = errors.New("no live in-sync replica of the target replicas")

// reassignPartition moves a partition to the assignment next, Kafka's
// onPartitionReassignment. The assignment znode gets the full replica set
// with adding/removing; replicas an earlier target added and this one does
// not want are stopped at once. Then, unless the target replicas are all
// in the ISR already, the leader epoch is bumped and every replica, old
// and new, gets LeaderAndIsr, so the leader learns the new replica set and
// the new replicas start fetching; the watch on the partition's state
// znode carries on from there (onReassignStateChanged). done gets nil, or
// why the reassignment was given up part way.
func (c *core) reassignPartition(tp TopicPartition, next PartitionAssignment, done func(error)) {
	cur, _ := c.partitionAssignment(tp)
	c.writeAssignment(tp, cur, next, done, func() {
		c.dropReplicas(tp, without(cur.Replicas, next.Replicas), done, func() {
			c.checkReassigned(tp, func(complete bool) {
				if complete {
					c.completeReassignment(tp, done)
					return
				}
				c.transition(tp, bumpLeaderEpoch, func(declined error) {
					if errors.Is(declined, errStateMoved) {
						done(declined)
						return
					}
					c.batch().leaderAndIsrFor(tp.Topic, tp.Partition)
					done(nil)
				})
			})
		})
	})
}

func bumpLeaderEpoch(s PartitionState) (PartitionState, error) {
	s.LeaderEpoch++
	return s, nil
}

// writeAssignment writes a partition's new assignment unless it has it
// already, then runs then.
func (c *core) writeAssignment(tp TopicPartition, cur, next PartitionAssignment, done func(error), then func()) {
	if cur.equal(next) {
		then()
		return
	}
	id := c.await(func(r Result) {
		if r.Outcome != OutcomeOK {
			done(fmt.Errorf("assignment of %s-%d not written: %v", tp.Topic, tp.Partition, r.Outcome))
			return
		}
		c.setPartitionAssignment(tp, next)
		c.log.Info("partition reassignment", "topic", tp.Topic, "partition", tp.Partition,
			"replicas", next.Replicas, "adding", next.Adding, "removing", next.Removing)
		then()
	})
	c.emit(WriteAssignment{ID: id, Partition: tp, Assignment: next})
}

// dropReplicas takes replicas that are no longer wanted out of the ISR
// (electing a leader among the rest when the leader is one of them) and
// stops them, deleting their logs: Kafka's OfflineReplica then
// NonExistentReplica transitions.
func (c *core) dropReplicas(tp TopicPartition, ids []int32, done func(error), then func()) {
	if len(ids) == 0 {
		then()
		return
	}
	a, _ := c.partitionAssignment(tp)
	decide := func(s PartitionState) (PartitionState, error) {
		isr := without(s.ISR, ids)
		if len(isr) == len(s.ISR) && !slices.Contains(ids, s.Leader) {
			return s, errNothingToDo
		}
		if slices.Contains(ids, s.Leader) {
			s.Leader = pickLeader(a.Replicas, isr, c.isLive, false)
		}
		s.ISR = isr
		s.LeaderEpoch++
		return s, nil
	}
	c.transition(tp, decide, func(declined error) {
		if errors.Is(declined, errStateMoved) {
			done(declined)
			return
		}
		c.batch().leaderAndIsrFor(tp.Topic, tp.Partition)
		c.batch().stopReplicaFor(tp.Topic, tp.Partition, ids)
		then()
	})
}

// checkReassigned calls done with whether every target replica is in the
// ISR. While a reassignment is under way it reads the partition's state
// afresh (arming the watch on it); a state a leader changed is taken, and
// passed on to the brokers as the ISR notification would.
func (c *core) checkReassigned(tp TopicPartition, done func(complete bool)) {
	a, ok := c.partitionAssignment(tp)
	if !ok {
		done(false)
		return
	}
	if !a.reassigning() {
		done(true)
		return
	}
	id := c.await(func(r Result) {
		if r.Outcome != OutcomeOK {
			done(false)
			return
		}
		if cur, had := c.state(tp); !had || cur.Version != r.State.Version {
			c.setState(tp, r.State)
			c.batch().updateMetadataFor(tp.Topic, tp.Partition)
		}
		a, _ := c.partitionAssignment(tp)
		done(subset(a.target(), r.State.ISR))
	})
	c.emit(ReadStateWatched{ID: id, Partition: tp})
}

// onReassignStateChanged is Kafka's PartitionReassignmentIsrChange: the
// state of a partition under reassignment changed; once the target
// replicas are all in the ISR, the reassignment completes.
func (c *core) onReassignStateChanged(tp TopicPartition) {
	if a, ok := c.partitionAssignment(tp); !ok || !a.reassigning() {
		return
	}
	c.batch()
	c.checkReassigned(tp, func(complete bool) {
		if complete {
			c.completeReassignment(tp, c.logAbandoned(tp))
		}
	})
}

// completeReassignment ends a reassignment whose target replicas are all
// in the ISR: a leader from the target if the current one is not in it or
// not live (Kafka's ReassignPartitionLeaderElectionStrategy), the removed
// replicas out of the ISR, both in one state write with a new leader
// epoch; then the assignment znode without adding/removing; LeaderAndIsr
// to the target replicas, StopReplica with deletion to the removed ones;
// and the partition's entry out of /admin/reassign_partitions.
func (c *core) completeReassignment(tp TopicPartition, done func(error)) {
	a, _ := c.partitionAssignment(tp)
	target := a.target()
	removed := without(a.Replicas, target)
	decide := func(s PartitionState) (PartitionState, error) { return c.reassignedState(s, target) }
	c.transition(tp, decide, func(declined error) {
		switch {
		case errors.Is(declined, errNoReassignLeader):
			c.log.Warn("partition reassignment waits for a leader", "topic", tp.Topic, "partition", tp.Partition, "target", target, "err", declined)
			done(nil)
			return
		case errors.Is(declined, errStateMoved):
			done(declined)
			return
		}
		final := PartitionAssignment{Replicas: target}
		c.writeAssignment(tp, a, final, done, func() {
			c.batch().leaderAndIsrFor(tp.Topic, tp.Partition)
			if len(removed) > 0 {
				c.batch().stopReplicaFor(tp.Topic, tp.Partition, removed)
			}
			c.log.Info("partition reassignment completed", "topic", tp.Topic, "partition", tp.Partition, "replicas", target, "removed", removed)
			c.emit(RemoveReassignRequests{ID: c.await(func(Result) { done(nil) }), Partitions: []TopicPartition{tp}, Replicas: target})
		})
	})
}

// reassignedState is the state a completed reassignment writes.
func (c *core) reassignedState(s PartitionState, target []int32) (PartitionState, error) {
	isr := slices.DeleteFunc(slices.Clone(s.ISR), func(id int32) bool { return !slices.Contains(target, id) })
	leader := s.Leader
	if !slices.Contains(target, leader) || !c.isLive(leader) {
		leader = pickLeader(target, isr, c.isLive, false)
	}
	if leader < 0 {
		return s, errNoReassignLeader
	}
	s.Leader, s.ISR = leader, isr
	s.LeaderEpoch++
	return s, nil
}

// partitionAssignment returns a partition's entry in the core's copy of
// its topic's assignment.
func (c *core) partitionAssignment(tp TopicPartition) (PartitionAssignment, bool) {
	t, ok := c.topics[tp.Topic]
	if !ok {
		return PartitionAssignment{}, false
	}
	replicas, ok := t.assignment.Replicas[tp.Partition]
	if !ok {
		return PartitionAssignment{}, false
	}
	return PartitionAssignment{Replicas: replicas, Adding: t.assignment.Adding[tp.Partition], Removing: t.assignment.Removing[tp.Partition]}, true
}

func (c *core) setPartitionAssignment(tp TopicPartition, a PartitionAssignment) {
	t, ok := c.topics[tp.Topic]
	if !ok {
		return
	}
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
