package controller

import (
	"fmt"
	"log/slog"
	"slices"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// coreConfig is what the core needs to decide besides its events: pure
// lookups of configuration that must not block.
type coreConfig struct {
	BrokerID int32
	Logger   *slog.Logger
	// UncleanElection reports unclean.leader.election.enable for a topic.
	UncleanElection func(topic string) bool
	// DeleteTopicEnable reports delete.topic.enable.
	DeleteTopicEnable func() bool
	// ImbalancePercentage is leader.imbalance.per.broker.percentage.
	ImbalancePercentage int
}

// core is the controller's decisions as a state machine, in the manner of
// etcd's raft: Step takes one event and returns a Ready, the effects the
// driver must carry out. The core starts no goroutine, reads no clock and
// touches neither the metadata store nor the network; everything it knows
// arrives in events, and the outcome of every store effect comes back as a
// Result event naming the effect's ID.
//
// One operation runs at a time: an external event starts it, and it lasts
// until every store effect it asked for has its Result. The driver feeds
// no external event while Busy reports true. When an operation's writes
// have all settled, the core emits its requests to brokers: it never
// emits a Send describing a partition state before the write of that
// state succeeded.
type core struct {
	cfg   coreConfig
	log   *slog.Logger
	epoch int32 // this controller's epoch; zero before Elected

	live   map[int32]metadatacache.Broker
	epochs map[int32]int64 // live brokers' registration epochs, as last read
	topics map[string]*topicState
	// shuttingDown holds the brokers in controlled shutdown, with the
	// broker epoch they asked in; elections pass them over.
	shuttingDown map[int32]int64

	op     *operation // the operation under way, nil when idle
	nextID EffectID
	out    []Effect // the effects of the Step being taken
	fenced bool     // the controller epoch was lost: nothing more to do
}

// topicState is the controller's copy of one topic.
type topicState struct {
	assignment Assignment
	states     map[int32]PartitionState
}

// Ready is what one Step asks of the driver, in order.
type Ready struct {
	Effects []Effect
}

func newCore(cfg coreConfig) *core {
	if cfg.UncleanElection == nil {
		cfg.UncleanElection = func(string) bool { return false }
	}
	if cfg.DeleteTopicEnable == nil {
		cfg.DeleteTopicEnable = func() bool { return true }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &core{
		cfg: cfg, log: cfg.Logger,
		live:         map[int32]metadatacache.Broker{},
		topics:       map[string]*topicState{},
		shuttingDown: map[int32]int64{},
	}
}

// Busy reports whether an operation waits for the results of its effects.
func (c *core) Busy() bool { return c.op != nil }

// Step applies one event and returns the effects it leads to.
func (c *core) Step(ev Event) Ready {
	c.out = nil
	if c.fenced {
		return Ready{}
	}
	if r, ok := ev.(Result); ok {
		c.onResult(r)
	} else {
		if c.op != nil {
			panic(fmt.Sprintf("controller core: %T stepped while an operation waits for results", ev))
		}
		c.op = newOperation()
		c.apply(ev)
	}
	c.settle()
	return Ready{Effects: c.out}
}

func (c *core) apply(ev Event) {
	switch e := ev.(type) {
	case Elected:
		c.onElected(e)
	case BrokersChanged:
		c.onBrokersChanged(e)
	case TopicsChanged:
		c.onTopicsChanged(e)
	case AssignmentChanged:
		c.onAssignmentChanged(e)
	case IsrChanged:
		c.onIsrChanged(e)
	case LogDirEventsRead:
		c.onLogDirEvents(e)
	case ReplicasOffline:
		c.onReplicasOffline(e)
	case DeletionsRequested:
		c.onDeletionsRequested(e)
	case ControlledShutdownRequested:
		c.onControlledShutdown(e)
	case ElectLeadersRequested:
		c.onElectLeaders(e)
	case PreferredElectionRequested:
		c.onPreferredElectionRequested(e)
	case RebalanceTick:
		c.onRebalanceTick()
	case ReassignmentsRequested:
		c.onReassignmentsRequested(e)
	case ReassignmentsListRequested:
		c.onReassignmentsListRequested(e)
	case ReassignRequestsRead:
		c.onReassignRequestsRead(e)
	case ReassignStateChanged:
		c.onReassignStateChanged(e.Partition)
	default:
		panic(fmt.Sprintf("controller core: unknown event %T", ev))
	}
}

// emit appends an effect to the Step's output.
func (c *core) emit(e Effect) { c.out = append(c.out, e) }

// newID numbers an effect whose result the core waits for.
func (c *core) newID() EffectID {
	c.nextID++
	return c.nextID
}

// settle moves the operation on once nothing is outstanding: its batch of
// requests goes out, then the next step queued with then runs; when
// neither is left the operation is over.
func (c *core) settle() {
	for c.op != nil && len(c.op.waits) == 0 && !c.fenced {
		op := c.op
		switch {
		case op.batch != nil:
			b := op.batch
			op.batch = nil
			c.flush(b)
		case len(op.finish) > 0:
			next := op.finish[0]
			op.finish = op.finish[1:]
			next()
		default:
			c.op = nil
		}
	}
}

// then queues fn to run when the operation's writes have settled and its
// batch has gone out; fn may ask for more effects, whose results are
// awaited before the next fn runs.
func (c *core) then(fn func()) { c.op.finish = append(c.op.finish, fn) }

func (c *core) isLive(id int32) bool {
	_, ok := c.live[id]
	return ok && !c.isShuttingDown(id)
}

func (c *core) isRegistered(id int32) bool {
	_, ok := c.live[id]
	return ok
}

func (c *core) isShuttingDown(id int32) bool {
	_, ok := c.shuttingDown[id]
	return ok
}

func (c *core) filterLive(ids []int32) []int32 {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		if c.isLive(id) {
			out = append(out, id)
		}
	}
	return out
}

func (c *core) liveIDs() []int32 {
	ids := make([]int32, 0, len(c.live))
	for id := range c.live {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (c *core) topicNames() []string {
	return sortedKeys(c.topics)
}

// hasTopic reports whether the core knows a topic; the driver loads only
// topics the core does not know yet.
func (c *core) hasTopic(name string) bool {
	_, ok := c.topics[name]
	return ok
}

func allPartitions(t *topicState) []int32 {
	ps := make([]int32, 0, len(t.assignment.Replicas))
	for p := range t.assignment.Replicas {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

func (c *core) allTopicPartitions() []TopicPartition {
	var out []TopicPartition
	for _, name := range c.topicNames() {
		for _, p := range allPartitions(c.topics[name]) {
			out = append(out, TopicPartition{Topic: name, Partition: p})
		}
	}
	return out
}
