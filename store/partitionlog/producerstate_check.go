package partitionlog

import (
	"fmt"
)

// idempotent reports whether the batch carries a producer id (Kafka's
// hasProducerId).
func idempotent(h header) bool { return h.ProducerID() >= 0 }

// checkClient applies Kafka's rules for a client's idempotent batches
// (UnifiedLog.analyzeAndValidateProducerState with ProducerAppendInfo,
// origin CLIENT) to the batches of one append, in order, before anything is
// written. When a batch repeats one the producer already wrote, the append
// is a duplicate: dup is that batch and nothing must be written (Kafka
// answers the whole append with it). Otherwise err is nil or wraps
// ErrInvalidProducerEpoch or ErrOutOfOrderSequence.
func (m producerMap) checkClient(records []byte, infos []batchInfo) (dup producerBatch, isDup bool, err error) {
	var buf [4]producerCursor // a request rarely carries more producers than this: no allocation
	cursors := buf[:0]
	for _, b := range infos {
		h := header(records[b.pos:])
		if !idempotent(h) {
			continue
		}
		id, epoch, firstSeq := h.ProducerID(), h.ProducerEpoch(), h.BaseSequence()
		lastSeq := incrementSequence(firstSeq, h.LastOffsetDelta())
		committed, known := m[id]
		var c *producerCursor
		if firstSeq == noSequence && h.Transactional() {
			// The group coordinator's transactional offset commit
			// (Kafka's origin COORDINATOR): the epoch and transaction
			// are checked, sequences and duplicates are not.
			cursors, c = cursorOf(cursors, id, committed)
			if err := checkCoordinatorBatch(c, epoch); err != nil {
				return producerBatch{}, false, fmt.Errorf("producer %d epoch %d: %w", id, epoch, err)
			}
			continue
		}
		if known {
			// Duplicates are looked up in the state before this append,
			// as Kafka does.
			if d, ok := committed.duplicateOf(epoch, firstSeq, lastSeq); ok {
				return d, true, nil
			}
		}
		cursors, c = cursorOf(cursors, id, committed)
		if err := checkProducerBatch(c, known && committed.epoch != noProducerEpoch, epoch, firstSeq); err != nil {
			return producerBatch{}, false, fmt.Errorf("producer %d epoch %d sequence %d: %w", id, epoch, firstSeq, err)
		}
		if err := checkTxnState(c, h.Transactional()); err != nil {
			return producerBatch{}, false, fmt.Errorf("producer %d epoch %d sequence %d: %w", id, epoch, firstSeq, err)
		}
		c.epoch, c.lastSeq = epoch, lastSeq
	}
	return producerBatch{}, false, nil
}

// checkCoordinatorBatch checks a coordinator-written batch of a
// transactional producer (base sequence -1): an older epoch is fenced,
// and the batch is part of the producer's transaction.
func checkCoordinatorBatch(c *producerCursor, epoch int16) error {
	if epoch < c.epoch {
		return fmt.Errorf("epoch older than the last seen %d: %w", c.epoch, ErrInvalidProducerEpoch)
	}
	if epoch != c.epoch {
		c.epoch, c.lastSeq = epoch, noSequence
	}
	return checkTxnState(c, true)
}

// producerCursor is where a producer stands after the batches of one
// append checked so far (what Kafka's updatedEntry says of its epoch and
// last sequence).
type producerCursor struct {
	id      int64
	epoch   int16
	lastSeq int32
	inTxn   bool // a transaction is ongoing (or begins in this append)
}

// cursorOf returns the producer's cursor, starting one from its entry
// (nil: unknown) at its first batch in the append.
func cursorOf(cursors []producerCursor, id int64, committed *producerEntry) ([]producerCursor, *producerCursor) {
	for i := range cursors {
		if cursors[i].id == id {
			return cursors, &cursors[i]
		}
	}
	c := producerCursor{id: id, epoch: noProducerEpoch, lastSeq: noSequence}
	if committed != nil {
		c.epoch, c.lastSeq, c.inTxn = committed.epoch, committed.lastSeq(), committed.txnFirst >= 0
	}
	cursors = append(cursors, c)
	return cursors, &cursors[len(cursors)-1]
}

// checkProducerBatch is Kafka's checkProducerEpoch and checkSequence for a
// client batch against where its producer stands. known says the
// partition knew the producer with an epoch before this append: since
// KIP-360 an unknown producer (never seen, expired, or whose batches
// retention removed) may start at any sequence, so no UNKNOWN_PRODUCER_ID
// is answered.
func checkProducerBatch(c *producerCursor, known bool, epoch int16, firstSeq int32) error {
	if epoch < c.epoch {
		return fmt.Errorf("epoch older than the last seen %d: %w", c.epoch, ErrInvalidProducerEpoch)
	}
	if epoch != c.epoch {
		if firstSeq != 0 && c.epoch != noProducerEpoch {
			return fmt.Errorf("a new epoch (current %d) must start at sequence 0: %w", c.epoch, ErrOutOfOrderSequence)
		}
		return nil
	}
	if known && !inSequence(c.lastSeq, firstSeq) {
		return fmt.Errorf("expected sequence %d: %w", incrementSequence(c.lastSeq, 1), ErrOutOfOrderSequence)
	}
	return nil
}

// checkTxnState is Kafka's rule for a producer's data batch against its
// transaction: a transactional batch begins a transaction when none is
// ongoing; a non-transactional one while a transaction is ongoing is
// refused.
func checkTxnState(c *producerCursor, transactional bool) error {
	if !transactional && c.inTxn {
		return fmt.Errorf("a non-transactional write during an ongoing transaction: %w", ErrInvalidTxnState)
	}
	c.inTxn = c.inTxn || transactional
	return nil
}
