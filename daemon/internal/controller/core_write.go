package controller

import (
	"errors"
)

// operation is the work one external event started: the requests it will
// send once its writes have settled (nil when it sends nothing), the
// results it waits for, and what runs after its writes.
type operation struct {
	batch  *batch
	waits  map[EffectID]func(Result)
	finish []func()
}

func newOperation() *operation {
	return &operation{waits: map[EffectID]func(Result){}}
}

// batch returns the operation's batch of requests, starting it: an
// operation that starts one sends UpdateMetadata to every live broker
// when it settles, even with nothing in it.
func (c *core) batch() *batch {
	if c.op.batch == nil {
		c.op.batch = newBatch()
	}
	return c.op.batch
}

// await registers what to do with an effect's result and returns the ID
// the effect must carry.
func (c *core) await(onResult func(Result)) EffectID {
	id := c.newID()
	c.op.waits[id] = onResult
	return id
}

// onResult hands a result to the part of the operation waiting for it. A
// lost controller epoch ends everything: another controller acts now.
func (c *core) onResult(r Result) {
	if c.op == nil {
		panic("controller core: a result with no operation under way")
	}
	fn, ok := c.op.waits[r.ID]
	if !ok {
		panic("controller core: a result for an effect nobody waits for")
	}
	delete(c.op.waits, r.ID)
	if r.Outcome == OutcomeFenced {
		// The operation is dropped: nothing it decided goes out.
		c.fenced, c.op = true, nil
		c.emit(Resign{Reason: "the controller epoch moved on: another broker is controller"})
		return
	}
	fn(r)
}

// errStateMoved: a partition's state kept changing under the controller
// (leaders writing ISR changes) for maxStateRetries attempts; the decision
// is dropped and taken again at the next event concerning the partition.
var errStateMoved = errors.New("partition state kept moving under the controller")

// maxStateRetries bounds how often one decision is tried on a moving
// state, so a flapping ISR cannot hold the controller forever.
const maxStateRetries = 5

// errNoState declines a transition of a partition without a state znode.
var errNoState = errors.New("the partition has no state yet")

// errNothingToDo declines a transition that would change nothing.
var errNothingToDo = errors.New("nothing to change")

// decideFunc returns a partition's next state, or the reason (a kerr
// error, or errNothingToDo) for leaving it as it is.
type decideFunc func(cur PartitionState) (PartitionState, error)

// transition writes the state decide returns with compare-and-set. When a
// leader changed the znode meanwhile, it re-reads the state and decides
// again, up to maxStateRetries times. done gets nil once the state is
// written (and in the core's copy), or the reason nothing was written.
func (c *core) transition(tp TopicPartition, decide decideFunc, done func(declined error)) {
	c.tryTransition(tp, decide, 1, done)
}

func (c *core) tryTransition(tp TopicPartition, decide decideFunc, attempt int, done func(error)) {
	cur, ok := c.state(tp)
	if !ok {
		done(errNoState)
		return
	}
	next, reason := decide(cur)
	if reason != nil {
		done(reason)
		return
	}
	next.ControllerEpoch, next.Version = c.epoch, cur.Version
	id := c.await(func(r Result) {
		switch r.Outcome {
		case OutcomeOK:
			c.setState(tp, r.State)
			done(nil)
		case OutcomeConflict:
			if attempt >= maxStateRetries {
				c.log.Error("giving up a partition state change", "topic", tp.Topic, "partition", tp.Partition, "err", errStateMoved)
				done(errStateMoved)
				return
			}
			c.reread(tp, func() { c.tryTransition(tp, decide, attempt+1, done) })
		default:
			c.forgetState(tp)
			done(errNoState)
		}
	})
	c.emit(UpdateState{ID: id, Topic: tp.Topic, Partition: tp.Partition, State: next})
}

// reread reads a partition's state into the core's copy, then runs then.
func (c *core) reread(tp TopicPartition, then func()) {
	id := c.await(func(r Result) {
		if r.Outcome == OutcomeOK {
			c.setState(tp, r.State)
		} else {
			c.forgetState(tp)
		}
		then()
	})
	c.emit(ReadState{ID: id, Topic: tp.Topic, Partition: tp.Partition})
}

func (c *core) state(tp TopicPartition) (PartitionState, bool) {
	t, ok := c.topics[tp.Topic]
	if !ok {
		return PartitionState{}, false
	}
	s, ok := t.states[tp.Partition]
	return s, ok
}

func (c *core) setState(tp TopicPartition, s PartitionState) {
	if t, ok := c.topics[tp.Topic]; ok {
		t.states[tp.Partition] = s
	}
}

func (c *core) forgetState(tp TopicPartition) {
	if t, ok := c.topics[tp.Topic]; ok {
		delete(t.states, tp.Partition)
	}
}

// electWhereNeeded brings each partition's state in line with the live
// brokers: a first state for new partitions, a new leader where the leader
// is gone, dead brokers out of the ISR. Changed partitions get
// LeaderAndIsr.
func (c *core) electWhereNeeded(topic string, partitions []int32) {
	for _, p := range partitions {
		c.reconcile(TopicPartition{topic, p})
	}
}

func (c *core) reconcile(tp TopicPartition) {
	t := c.topics[tp.Topic]
	replicas := t.assignment.Replicas[tp.Partition]
	if _, exists := t.states[tp.Partition]; !exists {
		c.createState(tp, replicas)
		return
	}
	unclean := c.cfg.UncleanElection(tp.Topic)
	decide := func(cur PartitionState) (PartitionState, error) {
		next, ok := nextState(cur, replicas, c.isLive, unclean)
		if !ok {
			return cur, errNothingToDo
		}
		return next, nil
	}
	c.transition(tp, decide, func(declined error) {
		if declined != nil {
			return
		}
		if s, _ := c.state(tp); s.Leader < 0 {
			c.log.Warn("partition offline: no live in-sync replica", "topic", tp.Topic, "partition", tp.Partition, "isr", s.ISR)
		}
		c.batch().leaderAndIsrFor(tp.Topic, tp.Partition)
	})
}

// createState writes the first state of a new partition: the first live
// replica leads at epoch 0 and the live replicas form the ISR. With no live
// replica the partition stays without state until one comes up. When a
// state exists already (written by a previous controller), the controller
// reads it and reconciles it instead.
func (c *core) createState(tp TopicPartition, replicas []int32) {
	live := c.filterLive(replicas)
	if len(live) == 0 {
		return
	}
	s := PartitionState{Leader: live[0], LeaderEpoch: 0, ISR: live, ControllerEpoch: c.epoch}
	id := c.await(func(r Result) {
		switch r.Outcome {
		case OutcomeOK:
			c.setState(tp, r.State)
			c.batch().leaderAndIsrFor(tp.Topic, tp.Partition)
		case OutcomeExists:
			c.reread(tp, func() {
				if _, ok := c.state(tp); ok {
					c.reconcile(tp)
				}
			})
		}
	})
	c.emit(CreateState{ID: id, Topic: tp.Topic, Partition: tp.Partition, State: s})
}
