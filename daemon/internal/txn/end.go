package txn

import (
	"errors"
	"math"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// completeRetryBackoff spaces the retries of a transaction's completion
// write that failed with COORDINATOR_NOT_AVAILABLE (Kafka queues them for
// the marker sender's next round).
const completeRetryBackoff = 100 * time.Millisecond

// EndTxn commits or aborts a transaction (EndTxn): once PrepareCommit or
// PrepareAbort is written, respond gets nil and the markers go out; when
// every partition wrote its marker, CompleteCommit or CompleteAbort is
// written. respond is called exactly once, possibly under the
// coordinator's locks: it must not block.
func (c *Coordinator) EndTxn(transactionalID string, producerID int64, epoch int16, commit bool, respond func(error)) {
	if transactionalID == "" {
		respond(kerr.InvalidRequest)
		return
	}
	s, err := c.lockShard(transactionalID)
	if err != nil {
		respond(err)
		return
	}
	defer s.mu.Unlock()
	m := s.txns[transactionalID]
	if m == nil {
		respond(kerr.InvalidProducerIDMapping)
		return
	}
	s.endLocked(m, producerID, epoch, commit, true, respond)
}

// endLocked is Kafka's endTransaction: from a client (the epoch must be
// the current one) or from the coordinator itself fencing the producer
// (a higher epoch, pending PrepareEpochFence).
func (s *shard) endLocked(m *txnMeta, producerID int64, epoch int16, commit, fromClient bool, respond func(error)) {
	switch {
	case m.producerID != producerID:
		respond(kerr.InvalidProducerIDMapping)
		return
	case (fromClient && epoch != m.epoch) || epoch < m.epoch:
		respond(kerr.ProducerFenced)
		return
	case m.hasPending && m.pending != PrepareEpochFence:
		respond(kerr.ConcurrentTransactions)
		return
	}
	if err := endStateError(m.state, commit); err != nil || m.state != Ongoing {
		respond(err)
		return
	}
	next, fence := PrepareAbort, false
	if commit {
		next = PrepareCommit
	}
	if next == PrepareAbort && m.hasPending && m.pending == PrepareEpochFence {
		// The fence's epoch takes effect now, with the abort it writes.
		fence = true
		m.hasPending, m.epoch, m.lastEpoch = false, epoch, noEpoch
	}
	t := m.transitEnd(next, s.c.now())
	s.persist(m, t, nil, func(err error) {
		if err != nil {
			if fence {
				m.failedFence = true
			}
			respond(err)
			return
		}
		respond(nil)
		s.sendMarkers(m)
	})
}

// endStateError is Kafka's answer to an EndTxn by state, for a
// transaction that is not Ongoing: a retry of what already happened is
// NONE, of what is happening CONCURRENT_TRANSACTIONS, anything else
// INVALID_TXN_STATE.
func endStateError(st State, commit bool) error {
	switch st {
	case Ongoing:
		return nil
	case CompleteCommit, CompleteAbort:
		if commit == (st == CompleteCommit) {
			return nil
		}
	case PrepareCommit, PrepareAbort:
		if commit == (st == PrepareCommit) {
			return kerr.ConcurrentTransactions
		}
	case Empty:
	default:
		return kerr.UnknownServerError // Dead or PrepareEpochFence: never a current state
	}
	return kerr.InvalidTxnState
}

// fenceLocked bumps the producer's epoch and aborts its ongoing
// transaction (Kafka's prepareFenceProducerEpoch then endTransaction):
// InitProducerId of a new producer instance, or a transaction timeout.
// The bumped epoch is never given to a client; a failed fencing write
// keeps it for the next attempt instead of bumping again.
func (s *shard) fenceLocked(m *txnMeta, respond func(error)) {
	if m.epoch == math.MaxInt16 {
		s.c.logger.Error("cannot fence a producer at the highest epoch", "transactional.id", m.id)
		respond(kerr.UnknownServerError)
		return
	}
	epoch := m.epoch + 1
	if m.failedFence {
		epoch = m.epoch
	}
	m.pending, m.hasPending = PrepareEpochFence, true
	s.endLocked(m, m.producerID, epoch, false, false, respond)
}

// sendMarkers moves a prepared transaction on: pending CompleteCommit or
// CompleteAbort while the markers are written, then that state persisted.
// A transaction without partitions completes at once.
func (s *shard) sendMarkers(m *txnMeta) {
	t := m.transitComplete(s.c.now())
	if len(m.partitions) == 0 {
		s.writeComplete(m, t)
		return
	}
	job := Markers{
		TransactionalID: m.id, ProducerID: m.producerID, ProducerEpoch: m.epoch,
		CoordinatorEpoch: s.epoch, Commit: m.state == PrepareCommit, Partitions: sortedPartitions(m.partitions),
	}
	inc, ctx := s.incarnation, s.ctx
	s.c.markers.WriteMarkers(ctx, job, func(err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.current(inc) || s.txns[m.id] != m {
			return
		}
		if err != nil {
			s.c.logger.Warn("transaction markers abandoned", "transactional.id", m.id, "err", err)
			return
		}
		s.writeComplete(m, t)
	})
}

// writeComplete persists the end of a transaction whose markers are
// written, retrying while the log is not available.
func (s *shard) writeComplete(m *txnMeta, t transit) {
	retry := func(err error) bool { return errors.Is(err, kerr.CoordinatorNotAvailable) }
	inc := s.incarnation
	s.persist(m, t, retry, func(err error) {
		switch {
		case err == nil:
		case retry(err):
			s.c.clock.AfterFunc(completeRetryBackoff, func() {
				s.mu.Lock()
				defer s.mu.Unlock()
				if s.current(inc) && s.txns[m.id] == m && m.hasPending {
					s.writeComplete(m, t)
				}
			})
		default:
			s.c.logger.Warn("cannot write the end of a transaction", "transactional.id", m.id, "state", t.state, "err", err)
		}
	})
}
