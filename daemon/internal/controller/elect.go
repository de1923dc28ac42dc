package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
)

// ElectionType is ElectLeaders' election type.
type ElectionType int8

const (
	PreferredElection ElectionType = 0
	UncleanElection   ElectionType = 1
)

func (t ElectionType) String() string {
	if t == UncleanElection {
		return "UNCLEAN"
	}
	return "PREFERRED"
}

// ElectionResult is one partition's outcome: its leader after the
// election, or why there was none (a kerr error such as
// ELECTION_NOT_NEEDED or PREFERRED_LEADER_NOT_AVAILABLE).
type ElectionResult struct {
	Leader int32
	Err    error
}

// ElectionStore is what elections and controlled shutdown read and write
// in the metadata store besides partition states.
type ElectionStore interface {
	// BrokerEpoch returns the czxid of /brokers/ids/<id>, which changes
	// with every registration; an unregistered broker wraps meta.ErrNoNode.
	BrokerEpoch(ctx context.Context, id int32) (int64, error)
	// PreferredReplicaElection reads /admin/preferred_replica_election
	// (ok false when absent) and watches it for creation, change and
	// deletion. Undecodable content is an error wrapping ErrMalformed,
	// with ok true and the channel set.
	PreferredReplicaElection(ctx context.Context) (parts []TopicPartition, ok bool, change <-chan struct{}, err error)
	// DeletePreferredReplicaElection removes the processed request.
	DeletePreferredReplicaElection(ctx context.Context) error
}

// ElectLeaders runs a preferred or unclean election for the partitions
// given, or for every partition when partitions is nil.
func (c *Controller) ElectLeaders(ctx context.Context, typ ElectionType, partitions []TopicPartition) (map[TopicPartition]ElectionResult, error) {
	var out map[TopicPartition]ElectionResult
	err := c.do(ctx, func(ctx context.Context, l *loop) error {
		var err error
		out, err = l.electLeaders(ctx, typ, partitions)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// electLeaders is Kafka's processReplicaLeaderElection: each partition is
// elected on its own, and everything written is announced in one batch,
// also when a metadata write fails part way.
func (l *loop) electLeaders(ctx context.Context, typ ElectionType, partitions []TopicPartition) (map[TopicPartition]ElectionResult, error) {
	if partitions == nil {
		partitions = l.allTopicPartitions()
	}
	out := make(map[TopicPartition]ElectionResult, len(partitions))
	b := newBatch(l)
	defer b.send(l.liveIDs())
	for _, tp := range partitions {
		res, err := l.electOne(ctx, b, typ, tp)
		if err != nil {
			return nil, fmt.Errorf("elect %s-%d: %w", tp.Topic, tp.Partition, err)
		}
		out[tp] = res
	}
	return out, nil
}

func (l *loop) electOne(ctx context.Context, b *batch, typ ElectionType, tp TopicPartition) (ElectionResult, error) {
	t, ok := l.topics[tp.Topic]
	replicas, known := []int32(nil), false
	if ok {
		replicas, known = t.assignment.Replicas[tp.Partition]
	}
	if !known {
		return ElectionResult{Leader: -1, Err: fmt.Errorf("%w: the partition does not exist", kerr.UnknownTopicOrPartition)}, nil
	}
	decide, unavailable := uncleanElection(replicas, l.isLive), kerr.EligibleLeadersNotAvailable
	if typ == PreferredElection {
		decide, unavailable = preferredElection(replicas, l.isLive), kerr.PreferredLeaderNotAvailable
	}
	if _, ok := t.states[tp.Partition]; !ok {
		return ElectionResult{Leader: -1, Err: fmt.Errorf("%w: the partition has no state yet (no replica was ever live)", unavailable)}, nil
	}
	declined, err := l.transition(ctx, tp.Topic, t, tp.Partition, decide)
	if err != nil {
		return ElectionResult{}, err
	}
	if declined != nil {
		return ElectionResult{Leader: t.states[tp.Partition].Leader, Err: declined}, nil
	}
	b.leaderAndIsrFor(tp.Topic, tp.Partition)
	return ElectionResult{Leader: t.states[tp.Partition].Leader}, nil
}

func (l *loop) allTopicPartitions() []TopicPartition {
	var out []TopicPartition
	for _, name := range l.topicNames() {
		for _, p := range allPartitions(l.topics[name]) {
			out = append(out, TopicPartition{Topic: name, Partition: p})
		}
	}
	return out
}

// errNoState declines a transition of a partition without a state znode.
var errNoState = errors.New("the partition has no state yet")

// decideFunc returns a partition's next state, or the reason (a kerr
// error) for leaving it as it is.
type decideFunc func(cur PartitionState) (PartitionState, error)

// transition writes the state decide returns with compare-and-set. When a
// leader changed the znode meanwhile it decides again on what is there now
// (a bounded number of times, as reconcile does). declined is decide's
// reason for writing nothing; err is a failed metadata write.
func (l *loop) transition(ctx context.Context, topic string, t *topicState, p int32, decide decideFunc) (declined, err error) {
	for attempt := 1; ; attempt++ {
		cur, ok := t.states[p]
		if !ok {
			return errNoState, nil
		}
		next, reason := decide(cur)
		if reason != nil {
			return reason, nil
		}
		next.ControllerEpoch, next.Version = l.epoch, cur.Version
		written, err := l.updateState(ctx, topic, t, p, next)
		if err == nil {
			t.states[p] = written
			return nil, nil
		}
		if !errors.Is(err, errStateMoved) || attempt >= maxStateRetries {
			return nil, err
		}
	}
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

// resumePreferredElection acts on /admin/preferred_replica_election, the
// request kafka-preferred-replica-election.sh wrote: a preferred election
// for the partitions it names (unknown ones are skipped), then the node is
// deleted. It watches the node, so a later request is acted on too.
func (l *loop) resumePreferredElection(ctx context.Context) error {
	parts, ok, ch, err := l.c.cfg.Store.PreferredReplicaElection(ctx)
	if ch != nil {
		l.watchThen(ctx, ch, func(ctx context.Context, l *loop) error { return l.resumePreferredElection(ctx) })
	}
	if errors.Is(err, ErrMalformed) {
		l.c.log.Error("dropping an undecodable preferred replica election request", "err", err)
		return l.c.cfg.Store.DeletePreferredReplicaElection(ctx)
	}
	if err != nil || !ok {
		return err
	}
	results, err := l.electLeaders(ctx, PreferredElection, l.knownPartitions(parts))
	if err != nil {
		return err
	}
	l.logElections("preferred replica election requested in the metadata store", results)
	return l.c.cfg.Store.DeletePreferredReplicaElection(ctx)
}

// knownPartitions keeps the partitions the controller knows, logging the
// others (Kafka skips them too).
func (l *loop) knownPartitions(parts []TopicPartition) []TopicPartition {
	out := make([]TopicPartition, 0, len(parts))
	for _, tp := range parts {
		if t, ok := l.topics[tp.Topic]; ok {
			if _, ok := t.assignment.Replicas[tp.Partition]; ok {
				out = append(out, tp)
				continue
			}
		}
		l.c.log.Warn("skipping unknown partition in a preferred replica election", "topic", tp.Topic, "partition", tp.Partition)
	}
	return out
}

// logElections logs the partitions whose leader an election moved.
func (l *loop) logElections(what string, results map[TopicPartition]ElectionResult) {
	var moved []string
	for tp, r := range results {
		if r.Err == nil {
			moved = append(moved, fmt.Sprintf("%s-%d->%d", tp.Topic, tp.Partition, r.Leader))
		}
	}
	slices.Sort(moved)
	if len(moved) > 0 {
		l.c.log.Info(what, "elected", moved)
	}
}
