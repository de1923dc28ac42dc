package controller

import (
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// unknownBrokerEpoch is what ControlledShutdown v0-1 carry: no epoch to
// check.
const unknownBrokerEpoch = -1

// onControlledShutdown is Kafka's doControlledShutdown. The broker is
// marked shutting down for the rest of this controller epoch (or until it
// leaves or registers again), so no election picks it; the partitions it
// leads get a new leader from their ISR; those it follows lose it from
// their ISR (never emptying one) and it stops replicating them
// (StopReplica without deletion, after the batch's LeaderAndIsr, so it is
// the last word the broker hears about them). Only replicated partitions
// are acted on and reported, as in Kafka: a single replica has nowhere to
// move. The reply lists the partitions the broker still leads.
func (c *core) onControlledShutdown(e ControlledShutdownRequested) {
	if err := c.checkBrokerEpoch(e); err != nil {
		c.emit(Reply{Op: e.Op, Err: err})
		return
	}
	id := e.Broker
	c.shuttingDown[id] = e.Current
	c.batch()
	var followed []TopicPartition
	for _, tp := range c.allTopicPartitions() {
		t := c.topics[tp.Topic]
		replicas := t.assignment.Replicas[tp.Partition]
		st, ok := t.states[tp.Partition]
		if !ok || len(replicas) < 2 || !slices.Contains(replicas, id) {
			continue
		}
		decide := shrinkIsr(id)
		if st.Leader == id {
			decide = moveLeader(replicas, c.isLive, c.isShuttingDown)
		} else {
			followed = append(followed, tp)
		}
		c.transition(tp, decide, c.announceUnlessDeclined(tp))
	}
	c.then(func() {
		c.stopFollowing(id, followed)
		remaining := c.replicatedLedBy(id)
		c.log.Info("controlled shutdown", "broker", id, "followed", len(followed), "still_leading", len(remaining))
		c.emit(Reply{Op: e.Op, Value: remaining})
	})
}

// announceUnlessDeclined returns a transition's done function that adds
// a written partition to the batch for LeaderAndIsr.
func (c *core) announceUnlessDeclined(tp TopicPartition) func(error) {
	return func(declined error) {
		if declined == nil {
			c.batch().leaderAndIsrFor(tp.Topic, tp.Partition)
		}
	}
}

// checkBrokerEpoch refuses a broker that is not registered, or whose
// request carries an epoch other than its registration's (a request from
// before a restart).
func (c *core) checkBrokerEpoch(e ControlledShutdownRequested) error {
	if !c.isRegistered(e.Broker) || !e.Registered {
		return refuse(fmt.Errorf("%w: broker %d is not registered", kerr.BrokerNotAvailable, e.Broker))
	}
	if e.BrokerEpoch != unknownBrokerEpoch && e.BrokerEpoch != e.Current {
		return refuse(fmt.Errorf("%w: broker %d sent epoch %d, its registration is epoch %d", kerr.StaleBrokerEpoch, e.Broker, e.BrokerEpoch, e.Current))
	}
	return nil
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

// stopFollowing tells the shutting-down broker to stop replicating the
// partitions it follows, keeping their logs.
func (c *core) stopFollowing(id int32, parts []TopicPartition) {
	if len(parts) == 0 || !c.isRegistered(id) {
		return
	}
	req := c.newStopReplica()
	for _, tp := range parts {
		st := kmsg.NewStopReplicaRequestTopic()
		st.Topic = tp.Topic
		s, _ := c.state(tp)
		st.PartitionStates = []kmsg.StopReplicaRequestTopicPartitionState{{Partition: tp.Partition, LeaderEpoch: s.LeaderEpoch, Delete: false}}
		req.Topics = append(req.Topics, st)
	}
	c.emit(Send{Broker: id, Request: req})
}

// replicatedLedBy lists the partitions with more than one replica that a
// broker leads.
func (c *core) replicatedLedBy(id int32) []TopicPartition {
	out := []TopicPartition{}
	for _, tp := range c.allTopicPartitions() {
		t := c.topics[tp.Topic]
		if st, ok := t.states[tp.Partition]; ok && st.Leader == id && len(t.assignment.Replicas[tp.Partition]) > 1 {
			out = append(out, tp)
		}
	}
	return out
}
