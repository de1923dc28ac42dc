package controller

import (
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
)

// onElectLeaders answers ElectLeaders with each partition's outcome.
func (c *core) onElectLeaders(e ElectLeadersRequested) {
	partitions := e.Partitions
	if partitions == nil {
		partitions = c.allTopicPartitions()
	}
	c.electLeaders(e.Type, partitions, func(results map[TopicPartition]ElectionResult) {
		c.emit(Reply{Op: e.Op, Value: results})
	})
}

// electLeaders is Kafka's processReplicaLeaderElection: each partition is
// elected on its own, everything written is announced in one batch, and
// done gets every partition's outcome once the batch is out.
func (c *core) electLeaders(typ ElectionType, partitions []TopicPartition, done func(map[TopicPartition]ElectionResult)) {
	out := make(map[TopicPartition]ElectionResult, len(partitions))
	c.batch()
	for _, tp := range partitions {
		c.electOne(typ, tp, func(r ElectionResult) { out[tp] = r })
	}
	c.then(func() { done(out) })
}

func (c *core) electOne(typ ElectionType, tp TopicPartition, done func(ElectionResult)) {
	t, ok := c.topics[tp.Topic]
	replicas, known := []int32(nil), false
	if ok {
		replicas, known = t.assignment.Replicas[tp.Partition]
	}
	if !known {
		done(ElectionResult{Leader: -1, Err: fmt.Errorf("%w: the partition does not exist", kerr.UnknownTopicOrPartition)})
		return
	}
	decide, unavailable := uncleanElection(replicas, c.isLive), kerr.EligibleLeadersNotAvailable
	if typ == PreferredElection {
		decide, unavailable = preferredElection(replicas, c.isLive), kerr.PreferredLeaderNotAvailable
	}
	if _, ok := t.states[tp.Partition]; !ok {
		done(ElectionResult{Leader: -1, Err: fmt.Errorf("%w: the partition has no state yet (no replica was ever live)", unavailable)})
		return
	}
	c.transition(tp, decide, func(declined error) {
		s, _ := c.state(tp)
		if declined == nil {
			c.batch().leaderAndIsrFor(tp.Topic, tp.Partition)
		} else if errors.Is(declined, errStateMoved) || errors.Is(declined, errNoState) {
			declined = fmt.Errorf("%w: %w", unavailable, declined)
		}
		done(ElectionResult{Leader: s.Leader, Err: declined})
	})
}

// preferredElection is Kafka's PreferredReplicaPartitionLeaderElection:
// the first assigned replica leads if it is live and in the ISR; the ISR
// stays as it is.
func preferredElection(replicas []int32, live func(int32) bool) decideFunc {
	return func(cur PartitionState) (PartitionState, error) {
		preferred := replicas[0]
		if cur.Leader == preferred {
			return cur, fmt.Errorf("%w: preferred replica %d already leads", kerr.ElectionNotNeeded, preferred)
		}
		if !live(preferred) || !slices.Contains(cur.ISR, preferred) {
			return cur, fmt.Errorf("%w: preferred replica %d is not live or not in the ISR %v",
				kerr.PreferredLeaderNotAvailable, preferred, cur.ISR)
		}
		next := cur
		next.Leader, next.LeaderEpoch = preferred, cur.LeaderEpoch+1
		return next, nil
	}
}

// uncleanElection is Kafka's unclean ElectLeaders: only a partition
// without a live leader is elected, by the first live ISR member in
// assignment order, or else by the first live replica (which then forms
// the ISR alone).
func uncleanElection(replicas []int32, live func(int32) bool) decideFunc {
	return func(cur PartitionState) (PartitionState, error) {
		if cur.Leader >= 0 && live(cur.Leader) {
			return cur, fmt.Errorf("%w: leader %d is live", kerr.ElectionNotNeeded, cur.Leader)
		}
		next, ok := nextState(cur, replicas, live, true)
		if !ok || next.Leader < 0 {
			return cur, fmt.Errorf("%w: no live replica among %v", kerr.EligibleLeadersNotAvailable, replicas)
		}
		return next, nil
	}
}

// onPreferredElectionRequested acts on /admin/preferred_replica_election:
// a preferred election for the partitions it names (unknown ones are
// skipped, as Kafka does), then the node is deleted.
func (c *core) onPreferredElectionRequested(e PreferredElectionRequested) {
	c.electLeaders(PreferredElection, c.knownPartitions(e.Partitions), func(results map[TopicPartition]ElectionResult) {
		c.logElections("preferred replica election requested in the metadata store", results)
		c.emit(DeletePreferredElection{ID: c.await(func(Result) {})})
	})
}

// knownPartitions keeps the partitions the controller knows, logging the
// others.
func (c *core) knownPartitions(parts []TopicPartition) []TopicPartition {
	out := make([]TopicPartition, 0, len(parts))
	for _, tp := range parts {
		if t, ok := c.topics[tp.Topic]; ok {
			if _, ok := t.assignment.Replicas[tp.Partition]; ok {
				out = append(out, tp)
				continue
			}
		}
		c.log.Warn("skipping unknown partition in a preferred replica election", "topic", tp.Topic, "partition", tp.Partition)
	}
	return out
}

// logElections logs the partitions whose leader an election moved.
func (c *core) logElections(what string, results map[TopicPartition]ElectionResult) {
	var moved []string
	for tp, r := range results {
		if r.Err == nil {
			moved = append(moved, fmt.Sprintf("%s-%d->%d", tp.Topic, tp.Partition, r.Leader))
		}
	}
	slices.Sort(moved)
	if len(moved) > 0 {
		c.log.Info(what, "elected", moved)
	}
}

// onRebalanceTick is Kafka's checkAndTriggerAutoLeaderRebalance: for each
// broker whose imbalance is above the threshold, a preferred election for
// its partitions that can take their preferred leader back now.
func (c *core) onRebalanceTick() {
	var candidates []TopicPartition
	for _, tp := range imbalanced(c.leaderships(), c.cfg.ImbalancePercentage) {
		if c.canPreferredLead(tp) {
			candidates = append(candidates, tp)
		}
	}
	if len(candidates) == 0 {
		return
	}
	c.electLeaders(PreferredElection, candidates, func(results map[TopicPartition]ElectionResult) {
		c.logElections("leader imbalance: preferred replicas lead again", results)
	})
}
