package txn

import (
	"maps"
	"math"
	"slices"
	"time"
)

// State is a transaction's state, with Kafka's ids (the status byte of
// the __transaction_state value).
type State int8

// Kafka's transaction states.
const (
	Empty State = iota
	Ongoing
	PrepareCommit
	PrepareAbort
	CompleteCommit
	CompleteAbort
	Dead
	PrepareEpochFence
)

var stateNames = [...]string{"Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort", "Dead", "PrepareEpochFence"}

// String is the state's name as Kafka spells it (DescribeTransactions,
// ListTransactions).
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "Unknown"
	}
	return stateNames[s]
}

// StateNamed returns the state with Kafka's name.
func StateNamed(name string) (State, bool) {
	i := slices.Index(stateNames[:], name)
	return State(i), i >= 0
}

// validPrevious lists, for each state, the states it may be entered from
// (Kafka's TransactionState.validPreviousStates).
var validPrevious = map[State][]State{
	Empty:             {Empty, CompleteCommit, CompleteAbort},
	Ongoing:           {Ongoing, Empty, CompleteCommit, CompleteAbort},
	PrepareCommit:     {Ongoing},
	PrepareAbort:      {Ongoing, PrepareEpochFence},
	CompleteCommit:    {PrepareCommit},
	CompleteAbort:     {PrepareAbort},
	Dead:              {Empty, CompleteAbort, CompleteCommit},
	PrepareEpochFence: {Ongoing},
}

func canTransition(from, to State) bool { return slices.Contains(validPrevious[to], from) }

// expirable states let an idle transactional id be removed.
func (s State) expirable() bool { return s == Empty || s == CompleteCommit || s == CompleteAbort }

// noProducerID and noEpoch are Kafka's RecordBatch.NO_PRODUCER_ID/EPOCH.
const (
	noProducerID int64 = -1
	noEpoch      int16 = -1
)

// epochExhausted: the epoch cannot be bumped twice more (once to fence,
// once for the producer), so the next initialization takes a new producer
// id (Kafka's isEpochExhausted).
func epochExhausted(epoch int16) bool { return epoch >= math.MaxInt16-1 }

// txnMeta is one transactional id's state (Kafka's TransactionMetadata).
// It is guarded by its shard's mutex.
type txnMeta struct {
	id                         string
	producerID, lastProducerID int64
	epoch, lastEpoch           int16
	timeoutMs                  int32
	state                      State
	partitions                 map[TopicPartition]struct{}
	start, lastUpdate          int64 // ms; start is -1 outside a transaction
	// startMono and updateMono are start and lastUpdate on the monotonic
	// clock, which the transaction timeout and the id expiration measure
	// on, so a wall-clock step neither aborts nor expires (see instant).
	startMono, updateMono time.Duration
	// pending is the state a write in flight moves to; while set, other
	// transitions are refused (CONCURRENT_TRANSACTIONS).
	pending    State
	hasPending bool
	// failedFence: a fencing write failed after the epoch was bumped in
	// memory; the next fence does not bump it again (the bumped epoch was
	// never given to anyone).
	failedFence bool
}

// transit is a state change waiting for its write (Kafka's
// TxnTransitMetadata): the whole new state, applied once committed.
type transit struct {
	producerID, lastProducerID int64
	epoch, lastEpoch           int16
	timeoutMs                  int32
	state                      State
	partitions                 []TopicPartition // sorted
	start, lastUpdate          int64
	startMono, updateMono      time.Duration
}

func sortedPartitions(set map[TopicPartition]struct{}) []TopicPartition {
	out := slices.Collect(maps.Keys(set))
	slices.SortFunc(out, comparePartitions)
	return out
}

func comparePartitions(a, b TopicPartition) int {
	if a.Topic != b.Topic {
		if a.Topic < b.Topic {
			return -1
		}
		return 1
	}
	return int(a.Partition) - int(b.Partition)
}

// prepare marks the pending state and returns the transit to write. The
// caller checked the transition is valid (prepareValid).
func (m *txnMeta) prepare(to State, producerID int64, epoch, lastEpoch int16, timeoutMs int32, parts []TopicPartition, start, now instant) transit {
	m.pending, m.hasPending = to, true
	return transit{
		producerID: producerID, lastProducerID: m.producerID, epoch: epoch, lastEpoch: lastEpoch,
		timeoutMs: timeoutMs, state: to, partitions: parts, start: start.ms, lastUpdate: now.ms,
		startMono: start.mono, updateMono: now.mono,
	}
}

// started and updated are the transaction's start and last update.
func (m *txnMeta) started() instant { return instant{ms: m.start, mono: m.startMono} }
func (m *txnMeta) updated() instant { return instant{ms: m.lastUpdate, mono: m.updateMono} }

// complete applies a committed transit (Kafka's completeTransitionTo).
func (m *txnMeta) complete(t transit) {
	m.producerID, m.lastProducerID = t.producerID, t.lastProducerID
	m.epoch, m.lastEpoch = t.epoch, t.lastEpoch
	m.timeoutMs, m.state = t.timeoutMs, t.state
	m.start, m.lastUpdate = t.start, t.lastUpdate
	m.startMono, m.updateMono = t.startMono, t.updateMono
	m.partitions = make(map[TopicPartition]struct{}, len(t.partitions))
	for _, tp := range t.partitions {
		m.partitions[tp] = struct{}{}
	}
	m.hasPending = false
}

// hasPartitions reports whether every partition is in the transaction.
func (m *txnMeta) hasPartitions(parts []TopicPartition) bool {
	for _, tp := range parts {
		if _, ok := m.partitions[tp]; !ok {
			return false
		}
	}
	return true
}

// transitAdd is AddPartitionsToTxn: Ongoing with the union of partitions;
// a transaction starting now takes now as its start.
func (m *txnMeta) transitAdd(parts []TopicPartition, now instant) transit {
	start := m.started()
	if m.state == Empty || m.state == CompleteCommit || m.state == CompleteAbort {
		start = now
	}
	set := maps.Clone(m.partitions)
	if set == nil {
		set = map[TopicPartition]struct{}{}
	}
	for _, tp := range parts {
		set[tp] = struct{}{}
	}
	return m.prepare(Ongoing, m.producerID, m.epoch, m.lastEpoch, m.timeoutMs, sortedPartitions(set), start, now)
}

// transitEnd is EndTxn's first step: PrepareCommit or PrepareAbort.
func (m *txnMeta) transitEnd(to State, now instant) transit {
	return m.prepare(to, m.producerID, m.epoch, m.lastEpoch, m.timeoutMs, sortedPartitions(m.partitions), m.started(), now)
}

// transitComplete is the end of a transaction once its markers are
// written: CompleteCommit or CompleteAbort, without partitions.
func (m *txnMeta) transitComplete(now instant) transit {
	to := CompleteAbort
	if m.state == PrepareCommit {
		to = CompleteCommit
	}
	m.failedFence = false
	return m.prepare(to, m.producerID, m.epoch, m.lastEpoch, m.timeoutMs, nil, m.started(), now)
}

// transitInit is InitProducerId's new epoch (or new producer id): Empty,
// no partitions, no start.
func (m *txnMeta) transitInit(producerID int64, epoch, lastEpoch int16, timeoutMs int32, now instant) transit {
	return m.prepare(Empty, producerID, epoch, lastEpoch, timeoutMs, nil, instant{ms: -1}, now)
}

// transitDead is the expiry of an idle transactional id.
func (m *txnMeta) transitDead() transit {
	return m.prepare(Dead, m.producerID, m.epoch, m.lastEpoch, m.timeoutMs, nil, m.started(), m.updated())
}
