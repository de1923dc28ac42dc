package txn

import (
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"
)

// persist writes a transit to the partition and applies it once the
// write is committed (acks=all). done then runs under the lock with nil,
// or with the error the client hears (the pending state is dropped first,
// unless keepPending says the caller retries). After the shard was
// unloaded or reloaded, done gets NOT_COORDINATOR and nothing is applied.
func (s *shard) persist(m *txnMeta, t transit, keepPending func(error) bool, done func(error)) {
	if !canTransition(m.state, t.state) {
		s.c.badTransitions.Add(1)
		s.c.logger.Error("transaction state transition Kafka does not allow", "transactional.id", m.id, "from", m.state, "to", t.state)
	}
	var value []byte
	if t.state != Dead {
		value = txnValue(t)
	}
	s.append([]record{{key: txnKey(m.id), value: value}}, func(err error) {
		switch {
		case err == nil:
			if t.state == Dead {
				delete(s.txns, m.id)
			} else {
				m.complete(t)
			}
		case keepPending == nil || !keepPending(err):
			m.hasPending = false
		}
		done(err)
	})
}

// append writes records to the shard's partition; done runs under the
// lock with nil or the mapped error once the batch is committed. It gets
// NOT_COORDINATOR when the shard was unloaded meanwhile.
func (s *shard) append(recs []record, done func(error)) {
	inc := s.incarnation
	batch := encodeBatch(recs, s.c.nowMs())
	_, err := s.c.log.Append(s.partition, s.epoch, batch, func(err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.current(inc) {
			done(kerr.NotCoordinator)
			return
		}
		done(writeError(err))
	})
	if err != nil {
		done(writeError(err))
	}
}

// writeError maps a failed __transaction_state write to the error the
// client hears, as Kafka's TransactionStateManager.appendTransactionToLog.
func writeError(err error) error {
	switch {
	case err == nil:
		return nil
	case isAny(err, kerr.UnknownTopicOrPartition, kerr.NotEnoughReplicas, kerr.NotEnoughReplicasAfterAppend, kerr.RequestTimedOut):
		return kerr.CoordinatorNotAvailable
	case isAny(err, kerr.NotLeaderForPartition, kerr.KafkaStorageError, kerr.FencedLeaderEpoch, kerr.NotCoordinator):
		return kerr.NotCoordinator
	case isAny(err, kerr.MessageTooLarge, kerr.RecordListTooLarge):
		return kerr.UnknownServerError
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke
	}
	return kerr.UnknownServerError
}

func isAny(err error, targets ...*kerr.Error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
