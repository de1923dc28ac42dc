package partitionlog

import (
	"encoding/binary"
	"fmt"
)

// offProducerEpoch is the int16 producer epoch of a v2 batch header,
// between the producer id and the base sequence.
const offProducerEpoch = 51

func (h header) producerEpoch() int16 { return int16(binary.BigEndian.Uint16(h[offProducerEpoch:])) }

// idempotent reports whether the batch carries a producer id (Kafka's
// hasProducerId).
func (h header) idempotent() bool { return h.producerID() >= 0 }

// checkClient applies Kafka's rules for a client's idempotent batches
// (UnifiedLog.analyzeAndValidateProducerState with ProducerAppendInfo,
// origin CLIENT) to the batches of one append, in order, before anything is
// written. When a batch repeats one the producer already wrote, the append
// is a duplicate: dup is that batch and nothing must be written (Kafka
// answers the whole append with it). Otherwise err is nil or wraps
// ErrInvalidProducerEpoch or ErrOutOfOrderSequence.
func (m producerMap) checkClient(records []byte, infos []batchInfo) (dup producerBatch, isDup bool, err error) {
	var pending []pendingProducer // the request's own updates, for its later batches
	for _, b := range infos {
		h := header(records[b.pos:])
		if !h.idempotent() {
			continue
		}
		id, epoch, firstSeq := h.producerID(), h.producerEpoch(), h.baseSequence()
		lastSeq := incrementSequence(firstSeq, h.lastOffsetDelta())
		committed, known := m[id]
		if known {
			// Duplicates are looked up in the state before this append,
			// as Kafka does.
			if d, ok := committed.duplicateOf(epoch, firstSeq, lastSeq); ok {
				return d, true, nil
			}
		}
		w := workingEntry(&pending, id, committed)
		if err := checkProducerBatch(w, known && committed.epoch != noProducerEpoch, epoch, firstSeq); err != nil {
			return producerBatch{}, false, fmt.Errorf("producer %d epoch %d sequence %d: %w", id, epoch, firstSeq, err)
		}
		w.addBatch(epoch, producerBatch{lastSeq: lastSeq, offsetDelta: h.lastOffsetDelta()})
	}
	return producerBatch{}, false, nil
}

// pendingProducer is a producer's entry as the batches checked so far in
// one append leave it (Kafka's updatedEntry).
type pendingProducer struct {
	id    int64
	entry producerEntry
}

func workingEntry(pending *[]pendingProducer, id int64, committed *producerEntry) *producerEntry {
	for i := range *pending {
		if (*pending)[i].id == id {
			return &(*pending)[i].entry
		}
	}
	p := pendingProducer{id: id, entry: *newProducerEntry()}
	if committed != nil {
		p.entry = *committed
	}
	*pending = append(*pending, p)
	return &(*pending)[len(*pending)-1].entry
}

// checkProducerBatch is Kafka's checkProducerEpoch and checkSequence for a
// client batch against the producer's entry w. known says the partition
// knew the producer with an epoch before this append: since KIP-360 an
// unknown producer (never seen, expired, or whose batches retention
// removed) may start at any sequence, so no UNKNOWN_PRODUCER_ID is
// answered.
func checkProducerBatch(w *producerEntry, known bool, epoch int16, firstSeq int32) error {
	if epoch < w.epoch {
		return fmt.Errorf("epoch older than the last seen %d: %w", w.epoch, ErrInvalidProducerEpoch)
	}
	if epoch != w.epoch {
		if firstSeq != 0 && w.epoch != noProducerEpoch {
			return fmt.Errorf("a new epoch (current %d) must start at sequence 0: %w", w.epoch, ErrOutOfOrderSequence)
		}
		return nil
	}
	if known && !inSequence(w.lastSeq(), firstSeq) {
		return fmt.Errorf("expected sequence %d: %w", incrementSequence(w.lastSeq(), 1), ErrOutOfOrderSequence)
	}
	return nil
}

// recordAppend adds the batches of a written append to the state (both
// the leader's, already checked, and the follower's, never checked).
func (m producerMap) recordAppend(records []byte, infos []batchInfo) {
	for _, b := range infos {
		if h := header(records[b.pos:]); h.idempotent() {
			m.replay(h)
		}
	}
}
