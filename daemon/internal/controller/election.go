package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// electWhereNeeded brings each partition's state in line with the live
// brokers: a first state for new partitions, a new leader where the leader
// is gone, dead brokers out of the ISR. Changed partitions are added to the
// batch for LeaderAndIsr.
func (l *loop) electWhereNeeded(ctx context.Context, b *batch, topic string, partitions []int32) error {
	t := l.topics[topic]
	for _, p := range partitions {
		changed, err := l.reconcile(ctx, topic, t, p)
		if err != nil {
			return fmt.Errorf("partition %s-%d: %w", topic, p, err)
		}
		if changed {
			b.leaderAndIsrFor(topic, p)
		}
	}
	return nil
}

// reconcile decides one partition, deciding again (a bounded number of
// times) when a leader changed its ISR under the controller: Kafka's
// controller re-reads states before electing rather than giving up.
func (l *loop) reconcile(ctx context.Context, topic string, t *topicState, p int32) (bool, error) {
	for attempt := 1; ; attempt++ {
		changed, err := l.reconcileOnce(ctx, topic, t, p)
		if !errors.Is(err, errStateMoved) || attempt >= maxStateRetries {
			return changed, err
		}
	}
}

func (l *loop) reconcileOnce(ctx context.Context, topic string, t *topicState, p int32) (bool, error) {
	replicas := t.assignment.Replicas[p]
	cur, exists := t.states[p]
	if !exists {
		return l.createState(ctx, topic, t, p, replicas)
	}
	next, ok := nextState(cur, replicas, l.isLive, l.c.cfg.UncleanElection(topic))
	if !ok {
		return false, nil
	}
	next.ControllerEpoch = l.epoch
	written, err := l.updateState(ctx, topic, t, p, next)
	if err != nil {
		return false, err
	}
	if written.Leader < 0 {
		l.c.log.Warn("partition offline: no live in-sync replica", "topic", topic, "partition", p, "isr", written.ISR)
	}
	t.states[p] = written
	return true, nil
}

// createState writes the first state of a new partition: the first live
// replica leads at epoch 0 and the live replicas form the ISR. With no live
// replica the partition stays without state until one comes up.
func (l *loop) createState(ctx context.Context, topic string, t *topicState, p int32, replicas []int32) (bool, error) {
	live := l.filterLive(replicas)
	if len(live) == 0 {
		return false, nil
	}
	s := PartitionState{Leader: live[0], LeaderEpoch: 0, ISR: live, ControllerEpoch: l.epoch}
	written, err := l.c.cfg.Store.CreatePartitionState(ctx, topic, p, s)
	if errors.Is(err, ErrStateExists) {
		states, rerr := l.c.cfg.Store.PartitionStates(ctx, topic)
		if rerr != nil {
			return false, rerr
		}
		t.states[p] = states[p]
		return l.reconcile(ctx, topic, t, p)
	}
	if err != nil {
		return false, err
	}
	t.states[p] = written
	return true, nil
}

// nextState is Kafka's election for a partition whose leader or ISR members
// died: the ISR loses its dead members (but keeps its last one, so that
// broker can lead again cleanly when it returns); a dead leader is replaced
// by the first live ISR member in assignment order, or, when the topic
// allows unclean election, by any live replica. ok is false when nothing
// changes.
func nextState(cur PartitionState, replicas []int32, live func(int32) bool, unclean bool) (PartitionState, bool) {
	isr := slices.DeleteFunc(slices.Clone(cur.ISR), func(id int32) bool { return !live(id) })
	if len(isr) == 0 && len(cur.ISR) > 0 {
		isr = []int32{cur.ISR[len(cur.ISR)-1]}
	}
	leader := cur.Leader
	if leader < 0 || !live(leader) {
		leader = pickLeader(replicas, isr, live, unclean)
	}
	if leader >= 0 && !slices.Contains(isr, leader) {
		isr = []int32{leader} // unclean: the new leader's log is the truth
	}
	if leader == cur.Leader && slices.Equal(isr, cur.ISR) {
		return cur, false
	}
	next := cur
	next.Leader, next.ISR = leader, isr
	next.LeaderEpoch = cur.LeaderEpoch + 1
	return next, true
}

func pickLeader(replicas, isr []int32, live func(int32) bool, unclean bool) int32 {
	for _, r := range replicas {
		if live(r) && slices.Contains(isr, r) {
			return r
		}
	}
	if unclean {
		for _, r := range replicas {
			if live(r) {
				return r
			}
		}
	}
	return -1
}

func (l *loop) isLive(id int32) bool {
	_, ok := l.live[id]
	return ok && !l.isShuttingDown(id)
}

func (l *loop) filterLive(ids []int32) []int32 {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		if l.isLive(id) {
			out = append(out, id)
		}
	}
	return out
}
