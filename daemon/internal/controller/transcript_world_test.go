package controller

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// world is the metadata store as a transcript sees it: what brokers,
// leaders and admin tools wrote, and the znodes the controller's effects
// change. It answers effects the way the driver classifies the real
// store's answers.
type world struct {
	brokers   map[int32]int64 // registered broker -> broker epoch
	lastEpoch int64
	topics    map[string]*worldTopic
	deletions map[string]bool
	isrNotes  []string // pending /isr_change_notification names
	// reassignNode is /admin/reassign_partitions (nil when absent).
	reassignNode map[TopicPartition][]int32
	lastNote     int
	// fenced: another controller bumped the epoch; every write fails its
	// epoch check.
	fenced bool
	// flapping partitions have a leader writing their state before every
	// controller write, so each compare-and-set conflicts.
	flapping map[TopicPartition]bool
	// unclean and deleteEnable back the core's configuration lookups.
	unclean      map[string]bool
	deleteEnable bool
}

type worldTopic struct {
	assignment Assignment
	states     map[int32]PartitionState
}

func newWorld() *world {
	return &world{
		brokers: map[int32]int64{}, topics: map[string]*worldTopic{}, deletions: map[string]bool{},
		flapping: map[TopicPartition]bool{}, unclean: map[string]bool{}, deleteEnable: true,
	}
}

// register writes /brokers/ids/<id>; its czxid (the broker epoch) and the
// states' mzxids (Zxid) come from one transaction counter, as in ZooKeeper.
func (w *world) register(id int32) {
	w.brokers[id] = w.nextZxid()
}

func (w *world) nextZxid() int64 {
	w.lastEpoch += 10
	return w.lastEpoch
}

func (w *world) live() map[int32]metadatacache.Broker {
	out := map[int32]metadatacache.Broker{}
	for id := range w.brokers {
		out[id] = metadatacache.Broker{ID: id, Endpoints: []metadatacache.Endpoint{{Listener: "PLAINTEXT", Host: "127.0.0.1", Port: 9000 + id}}}
	}
	return out
}

func (w *world) snapshot(t *worldTopic) TopicSnapshot {
	a := t.assignment
	a.Replicas = maps.Clone(a.Replicas)
	return TopicSnapshot{Assignment: a, States: maps.Clone(t.states)}
}

func (w *world) snapshotAll() Snapshot {
	s := Snapshot{Live: w.live(), Epochs: w.brokersEpochs(), Topics: map[string]TopicSnapshot{}}
	for name, t := range w.topics {
		s.Topics[name] = w.snapshot(t)
	}
	return s
}

// leaderWrites is a partition leader (or an earlier controller) writing a
// state, which moves the znode's version on.
func (w *world) leaderWrites(tp TopicPartition, change func(*PartitionState)) error {
	t, ok := w.topics[tp.Topic]
	if !ok {
		return fmt.Errorf("no topic %s", tp.Topic)
	}
	s, ok := t.states[tp.Partition]
	if ok {
		s.Version++
	}
	change(&s)
	s.Zxid = w.nextZxid()
	t.states[tp.Partition] = s
	return nil
}

func (w *world) notifyIsr(tp TopicPartition) string {
	name := fmt.Sprintf("isr_change_%010d", w.lastNote)
	w.lastNote++
	w.isrNotes = append(w.isrNotes, name)
	return name
}

// apply carries out a store effect and returns its result.
func (w *world) apply(eff Effect) Result {
	switch e := eff.(type) {
	case CreateState:
		return w.create(e)
	case UpdateState:
		return w.update(e)
	case ReadState:
		s, ok := w.stateOf(TopicPartition{e.Topic, e.Partition})
		if !ok {
			return Result{ID: e.ID, Outcome: OutcomeGone}
		}
		return Result{ID: e.ID, State: s}
	case DeleteIsrChanges:
		return w.write(e.ID, func() {
			w.isrNotes = slices.DeleteFunc(w.isrNotes, func(n string) bool { return slices.Contains(e.Names, n) })
		})
	case DeleteLogDirEvents:
		return w.write(e.ID, func() {})
	case RemoveTopic:
		return w.write(e.ID, func() { delete(w.topics, e.Topic); delete(w.deletions, e.Topic) })
	case CancelTopicDeletion:
		return w.write(e.ID, func() { delete(w.deletions, e.Topic) })
	case DeletePreferredElection:
		return w.write(e.ID, func() {})
	case WriteAssignment:
		return w.writeAssignment(e)
	case ReadStateWatched:
		s, ok := w.stateOf(e.Partition)
		if !ok {
			return Result{ID: e.ID, Outcome: OutcomeGone}
		}
		return Result{ID: e.ID, State: s}
	case RemoveReassignRequests:
		return w.write(e.ID, func() { w.removeReassignRequests(e) })
	}
	panic(fmt.Sprintf("not a store effect: %T", eff))
}

func (w *world) write(id EffectID, fn func()) Result {
	if w.fenced {
		return Result{ID: id, Outcome: OutcomeFenced}
	}
	fn()
	return Result{ID: id}
}

func (w *world) stateOf(tp TopicPartition) (PartitionState, bool) {
	t, ok := w.topics[tp.Topic]
	if !ok {
		return PartitionState{}, false
	}
	s, ok := t.states[tp.Partition]
	return s, ok
}

func (w *world) create(e CreateState) Result {
	tp := TopicPartition{e.Topic, e.Partition}
	switch t, ok := w.topics[e.Topic]; {
	case w.fenced:
		return Result{ID: e.ID, Outcome: OutcomeFenced}
	case !ok:
		return Result{ID: e.ID, Outcome: OutcomeGone}
	default:
		if _, exists := w.stateOf(tp); exists {
			return Result{ID: e.ID, Outcome: OutcomeExists}
		}
		s := e.State
		s.Version, s.Zxid = 0, w.nextZxid()
		t.states[e.Partition] = s
		return Result{ID: e.ID, State: s}
	}
}

func (w *world) update(e UpdateState) Result {
	tp := TopicPartition{e.Topic, e.Partition}
	if w.fenced {
		return Result{ID: e.ID, Outcome: OutcomeFenced}
	}
	cur, ok := w.stateOf(tp)
	if !ok {
		return Result{ID: e.ID, Outcome: OutcomeGone}
	}
	if w.flapping[tp] {
		cur.Version, cur.Zxid = cur.Version+1, w.nextZxid()
		w.topics[e.Topic].states[e.Partition] = cur
	}
	if cur.Version != e.State.Version {
		return Result{ID: e.ID, Outcome: OutcomeConflict}
	}
	s := e.State
	s.Version, s.Zxid = cur.Version+1, w.nextZxid()
	w.topics[e.Topic].states[e.Partition] = s
	return Result{ID: e.ID, State: s}
}

func (w *world) writeAssignment(e WriteAssignment) Result {
	t, ok := w.topics[e.Partition.Topic]
	switch {
	case w.fenced:
		return Result{ID: e.ID, Outcome: OutcomeFenced}
	case !ok:
		return Result{ID: e.ID, Outcome: OutcomeGone}
	}
	a := &t.assignment
	if a.Adding == nil {
		a.Adding, a.Removing = map[int32][]int32{}, map[int32][]int32{}
	}
	p := e.Partition.Partition
	a.Replicas[p] = slices.Clone(e.Assignment.Replicas)
	setOrDelete(a.Adding, p, e.Assignment.Adding)
	setOrDelete(a.Removing, p, e.Assignment.Removing)
	return Result{ID: e.ID}
}

func (w *world) removeReassignRequests(e RemoveReassignRequests) {
	for tp, replicas := range w.reassignNode {
		if e.All || slices.Contains(e.Partitions, tp) && (e.Replicas == nil || slices.Equal(replicas, e.Replicas)) {
			delete(w.reassignNode, tp)
		}
	}
	if len(w.reassignNode) == 0 {
		w.reassignNode = nil
	}
}
