package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/meta"
)

// unknownBrokerEpoch is what ControlledShutdown v0-1 carry: no epoch to
// check.
const unknownBrokerEpoch = -1

// ControlledShutdown moves leadership away from a broker that is shutting
// down and takes it out of the ISRs it is in (Kafka's
// ControlledShutdown API). It returns the partitions the broker still
// leads; the broker retries until none remain.
//
// Refusals are RequestErrors wrapping kerr.BrokerNotAvailable (the broker
// is not registered) or kerr.StaleBrokerEpoch (brokerEpoch is not the
// epoch of its current registration).
func (c *Controller) ControlledShutdown(ctx context.Context, brokerID int32, brokerEpoch int64) ([]TopicPartition, error) {
	var remaining []TopicPartition
	err := c.do(ctx, func(ctx context.Context, l *loop) error {
		var err error
		remaining, err = l.controlledShutdown(ctx, brokerID, brokerEpoch)
		return err
	})
	if err != nil {
		return nil, err
	}
	return remaining, nil
}

// controlledShutdown is Kafka's doControlledShutdown. The broker is marked
// shutting down for the rest of this controller epoch (or until it leaves
// or registers again), so no election picks it; the partitions it leads
// get a new leader from their ISR; those it follows lose it from their ISR
// (never emptying one) and it stops replicating them (StopReplica without
// deletion). Only replicated partitions are acted on and reported, as in
// Kafka: a single replica has nowhere to move.
func (l *loop) controlledShutdown(ctx context.Context, id int32, epoch int64) ([]TopicPartition, error) {
	current, err := l.checkBrokerEpoch(ctx, id, epoch)
	if err != nil {
		return nil, err
	}
	l.markShuttingDown(id, current)
	b := newBatch(l)
	var followed []TopicPartition
	for _, name := range l.topicNames() {
		t := l.topics[name]
		for _, p := range allPartitions(t) {
			st, ok := t.states[p]
			if !ok || len(t.assignment.Replicas[p]) < 2 || !slices.Contains(t.assignment.Replicas[p], id) {
				continue
			}
			decide := shrinkIsr(id)
			if st.Leader == id {
				decide = moveLeader(t.assignment.Replicas[p], l.isLive, l.isShuttingDown)
			} else {
				followed = append(followed, TopicPartition{name, p})
			}
			if err := l.shutdownTransition(ctx, b, name, t, p, decide); err != nil {
				b.send(l.liveIDs())
				return nil, err
			}
		}
	}
	b.send(l.liveIDs())
	l.stopFollowing(id, followed)
	remaining := l.replicatedLedBy(id)
	l.c.log.Info("controlled shutdown", "broker", id, "followed", len(followed), "still_leading", len(remaining))
	return remaining, nil
}

func (l *loop) shutdownTransition(ctx context.Context, b *batch, topic string, t *topicState, p int32, decide decideFunc) error {
	declined, err := l.transition(ctx, topic, t, p, decide)
	if err != nil {
		return fmt.Errorf("partition %s-%d: %w", topic, p, err)
	}
	if declined == nil {
		b.leaderAndIsrFor(topic, p)
	}
	return nil
}

// checkBrokerEpoch refuses a broker that is not registered, or whose
// request carries an epoch other than its registration's (a request from
// before a restart), and returns the current epoch.
func (l *loop) checkBrokerEpoch(ctx context.Context, id int32, epoch int64) (int64, error) {
	if !l.isRegistered(id) {
		return 0, refuse(fmt.Errorf("%w: broker %d is not registered", kerr.BrokerNotAvailable, id))
	}
	current, err := l.c.cfg.Store.BrokerEpoch(ctx, id)
	if errors.Is(err, meta.ErrNoNode) {
		return 0, refuse(fmt.Errorf("%w: broker %d is not registered", kerr.BrokerNotAvailable, id))
	}
	if err != nil {
		return 0, err
	}
	if epoch != unknownBrokerEpoch && epoch != current {
		return 0, refuse(fmt.Errorf("%w: broker %d sent epoch %d, its registration is epoch %d", kerr.StaleBrokerEpoch, id, epoch, current))
	}
	return current, nil
}

// moveLeader is Kafka's ControlledShutdownPartitionLeaderElection: the
// first assigned replica that is live, in the ISR and not shutting down
// leads; the shutting-down brokers leave the ISR.
func moveLeader(replicas []int32, live, shuttingDown func(int32) bool) decideFunc {
	return func(cur PartitionState) (PartitionState, error) {
		leader := int32(-1)
		for _, r := range replicas {
			if live(r) && !shuttingDown(r) && slices.Contains(cur.ISR, r) {
				leader = r
				break
			}
		}
		if leader < 0 {
			return cur, fmt.Errorf("%w: no other live replica in the ISR %v", kerr.EligibleLeadersNotAvailable, cur.ISR)
		}
		next := cur
		next.Leader, next.LeaderEpoch = leader, cur.LeaderEpoch+1
		next.ISR = slices.DeleteFunc(slices.Clone(cur.ISR), shuttingDown)
		return next, nil
	}
}

// shrinkIsr takes a follower out of the ISR (Kafka's OfflineReplica
// transition), unless it is the ISR's last member: an ISR is never empty.
func shrinkIsr(id int32) decideFunc {
	return func(cur PartitionState) (PartitionState, error) {
		if !slices.Contains(cur.ISR, id) || len(cur.ISR) == 1 {
			return cur, errNothingToDo
		}
		next := cur
		next.ISR = slices.DeleteFunc(slices.Clone(cur.ISR), func(r int32) bool { return r == id })
		next.LeaderEpoch = cur.LeaderEpoch + 1
		return next, nil
	}
}

// errNothingToDo declines a transition that would change nothing.
var errNothingToDo = errors.New("nothing to change")

// stopFollowing tells the shutting-down broker to stop replicating the
// partitions it follows, keeping their logs. It is queued after the
// batch's LeaderAndIsr, so it is the last word the broker hears about them.
func (l *loop) stopFollowing(id int32, parts []TopicPartition) {
	if len(parts) == 0 {
		return
	}
	req := kmsg.NewPtrStopReplicaRequest()
	req.Version, req.ControllerID, req.ControllerEpoch, req.BrokerEpoch = stopReplicaVersion, l.c.cfg.BrokerID, l.epoch, -1
	for _, tp := range parts {
		st := kmsg.NewStopReplicaRequestTopic()
		st.Topic = tp.Topic
		epoch := l.topics[tp.Topic].states[tp.Partition].LeaderEpoch
		st.PartitionStates = []kmsg.StopReplicaRequestTopicPartitionState{{Partition: tp.Partition, LeaderEpoch: epoch, Delete: false}}
		req.Topics = append(req.Topics, st)
	}
	l.channels.enqueue(id, req)
}

// replicatedLedBy lists the partitions with more than one replica that a
// broker leads.
func (l *loop) replicatedLedBy(id int32) []TopicPartition {
	out := []TopicPartition{}
	for _, name := range l.topicNames() {
		t := l.topics[name]
		for _, p := range allPartitions(t) {
			if st, ok := t.states[p]; ok && st.Leader == id && len(t.assignment.Replicas[p]) > 1 {
				out = append(out, TopicPartition{name, p})
			}
		}
	}
	return out
}

func (l *loop) isRegistered(id int32) bool {
	_, ok := l.live[id]
	return ok
}

func (l *loop) markShuttingDown(id int32, epoch int64) {
	if l.shuttingDown == nil {
		l.shuttingDown = map[int32]int64{}
	}
	l.shuttingDown[id] = epoch
}

func (l *loop) isShuttingDown(id int32) bool {
	_, ok := l.shuttingDown[id]
	return ok
}

// forgetShutdowns drops the shutting-down mark of brokers that left, or
// that registered again (a new epoch: a restart the controller saw only
// as a change of data, not as a departure).
func (l *loop) forgetShutdowns(ctx context.Context, departed []int32) error {
	for _, id := range departed {
		delete(l.shuttingDown, id)
	}
	for id, epoch := range l.shuttingDown {
		current, err := l.c.cfg.Store.BrokerEpoch(ctx, id)
		if err != nil && !errors.Is(err, meta.ErrNoNode) {
			return fmt.Errorf("broker %d epoch: %w", id, err)
		}
		if err != nil || current != epoch {
			delete(l.shuttingDown, id)
		}
	}
	return nil
}
