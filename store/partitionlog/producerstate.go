package partitionlog

import (
	"math"
	"slices"
)

// Producer state is Kafka's ProducerStateManager for idempotent producers
// (KIP-98, with the KIP-360 rules of Kafka 2.5+): per producer id, the
// epoch and the metadata of its last five batches, so a retried batch is
// recognised and answered with its original offsets instead of being
// written twice. The state always describes the log below the log end
// offset: leader and follower appends add to it, truncation rebuilds it,
// and it is written to <offset>.snapshot files so opening a log does not
// scan it all. Everything here is guarded by the log's writeMu.

const (
	noProducerEpoch int16 = -1
	noSequence      int32 = -1
	// batchesToRetain is how many batches per producer are remembered for
	// duplicate detection: a producer has at most five requests in flight
	// per connection (max.in.flight.requests.per.connection <= 5).
	batchesToRetain = 5
)

// producerBatch is what the state remembers of one batch (Kafka's
// BatchMetadata).
type producerBatch struct {
	lastSeq     int32
	lastOffset  int64
	offsetDelta int32 // lastOffset - firstOffset, also lastSeq - firstSeq
	timestamp   int64 // the batch's max timestamp
}

func (b producerBatch) firstSeq() int32    { return decrementSequence(b.lastSeq, b.offsetDelta) }
func (b producerBatch) firstOffset() int64 { return b.lastOffset - int64(b.offsetDelta) }

// producerEntry is one producer's state (Kafka's ProducerStateEntry).
type producerEntry struct {
	epoch            int16
	coordinatorEpoch int32 // of the last marker written for it, -1 before any
	lastTimestamp    int64
	// txnFirst is the first offset of the producer's ongoing transaction
	// (Kafka's currentTxnFirstOffset), -1 when none.
	txnFirst int64
	n        int                            // batches held
	batches  [batchesToRetain]producerBatch // oldest first
}

func newProducerEntry() *producerEntry {
	return &producerEntry{epoch: noProducerEpoch, coordinatorEpoch: -1, lastTimestamp: -1, txnFirst: -1}
}

func (e *producerEntry) held() []producerBatch { return e.batches[:e.n] }

func (e *producerEntry) last() (producerBatch, bool) {
	if e.n == 0 {
		return producerBatch{}, false
	}
	return e.batches[e.n-1], true
}

func (e *producerEntry) lastSeq() int32 {
	if b, ok := e.last(); ok {
		return b.lastSeq
	}
	return noSequence
}

// addBatch records a written batch. A new epoch forgets the batches of the
// old one, as Kafka's maybeUpdateProducerEpoch does.
func (e *producerEntry) addBatch(epoch int16, b producerBatch) {
	e.setEpoch(epoch)
	if e.n == batchesToRetain {
		copy(e.batches[:], e.batches[1:])
		e.n--
	}
	e.batches[e.n] = b
	e.n++
	e.lastTimestamp = b.timestamp
}

func (e *producerEntry) setEpoch(epoch int16) {
	if e.epoch != epoch {
		e.epoch, e.n = epoch, 0
	}
}

// duplicateOf returns the held batch with exactly this epoch and sequence
// range (Kafka's findDuplicateBatch).
func (e *producerEntry) duplicateOf(epoch int16, firstSeq, lastSeq int32) (producerBatch, bool) {
	if epoch != e.epoch {
		return producerBatch{}, false
	}
	for _, b := range e.held() {
		if b.firstSeq() == firstSeq && b.lastSeq == lastSeq {
			return b, true
		}
	}
	return producerBatch{}, false
}

// dropFrom forgets the batches ending at or after offset (the log was cut
// there) and reports whether any batch is left to describe the producer.
func (e *producerEntry) dropFrom(offset int64) bool {
	for e.n > 0 && e.batches[e.n-1].lastOffset >= offset {
		e.n--
	}
	if b, ok := e.last(); ok {
		e.lastTimestamp = b.timestamp
		return true
	}
	return false
}

// incrementSequence is the sequence delta after seq, wrapping past
// MaxInt32 to 0 as Kafka's DefaultRecordBatch.incrementSequence does.
func incrementSequence(seq, delta int32) int32 {
	if seq > math.MaxInt32-delta {
		return delta - (math.MaxInt32 - seq) - 1
	}
	return seq + delta
}

func decrementSequence(seq, delta int32) int32 {
	if seq < delta {
		return math.MaxInt32 - (delta - seq) + 1
	}
	return seq - delta
}

// inSequence: next follows last, 0 following MaxInt32.
func inSequence(last, next int32) bool {
	return int64(next) == int64(last)+1 || (next == 0 && last == math.MaxInt32)
}

// ProducerState is one producer's state in a partition, as Kafka's
// DescribeProducers reports it, plus the batches kept for duplicate
// detection.
type ProducerState struct {
	ProducerID       int64
	Epoch            int16
	LastSequence     int32 // -1 when no batch is held
	LastTimestamp    int64
	CoordinatorEpoch int32
	// CurrentTxnStartOffset is the first offset of the producer's ongoing
	// transaction, -1 when none.
	CurrentTxnStartOffset int64
	Batches               []ProducerBatch // oldest first, at most five
}

// ProducerBatch is one remembered batch of a producer.
type ProducerBatch struct {
	FirstSequence, LastSequence int32
	FirstOffset, LastOffset     int64
	Timestamp                   int64
}

// ProducerStates returns the state of every producer known to the
// partition, by producer id.
func (l *Log) ProducerStates() []ProducerState {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	return l.producers.export()
}

// producerMap is the partition's producer state.
type producerMap map[int64]*producerEntry

func (m producerMap) export() []ProducerState {
	out := make([]ProducerState, 0, len(m))
	for id, e := range m {
		s := ProducerState{ProducerID: id, Epoch: e.epoch, LastSequence: e.lastSeq(),
			LastTimestamp: e.lastTimestamp, CoordinatorEpoch: e.coordinatorEpoch, CurrentTxnStartOffset: e.txnFirst}
		for _, b := range e.held() {
			s.Batches = append(s.Batches, ProducerBatch{FirstSequence: b.firstSeq(), LastSequence: b.lastSeq,
				FirstOffset: b.firstOffset(), LastOffset: b.lastOffset, Timestamp: b.timestamp})
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b ProducerState) int { return cmpInt64(a.ProducerID, b.ProducerID) })
	return out
}

// entry returns the producer's entry, creating an empty one.
func (m producerMap) entry(id int64) *producerEntry {
	e, ok := m[id]
	if !ok {
		e = newProducerEntry()
		m[id] = e
	}
	return e
}

// batchOf is the producer batch a stored header describes.
func batchOf(h header) producerBatch {
	return producerBatch{
		lastSeq: incrementSequence(h.BaseSequence(), h.LastOffsetDelta()), lastOffset: h.LastOffset(),
		offsetDelta: h.LastOffsetDelta(), timestamp: h.MaxTimestamp(),
	}
}

// expire removes producers idle for expirationMs or more (Kafka's
// removeExpiredProducers: the age is measured from the last batch's
// timestamp; a producer in a transaction never expires) and returns how
// many went.
func (m producerMap) expire(now, expirationMs int64) int {
	n := 0
	for id, e := range m {
		if e.txnFirst < 0 && now-e.lastTimestamp >= expirationMs {
			delete(m, id)
			n++
		}
	}
	return n
}

// truncateTo makes the state describe the log below offset by forgetting
// later batches. It reports false when some producer would be left without
// any batch: its older batches are only in the log, so the caller rebuilds.
// A transactional producer (one in a transaction, or with a marker written)
// always asks for a rebuild: a cut marker reopens its transaction, a cut
// first batch ends one, and only the log knows.
func (m producerMap) truncateTo(offset int64) bool {
	for _, e := range m {
		if e.txnFirst >= 0 || e.coordinatorEpoch >= 0 {
			return false
		}
	}
	for _, e := range m {
		if b, ok := e.last(); ok && b.lastOffset >= offset && !e.dropFrom(offset) {
			return false
		}
	}
	return true
}
