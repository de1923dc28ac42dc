package txn

import (
	"github.com/twmb/franz-go/pkg/kerr"
)

// InitRequest is an InitProducerId with a transactional id.
type InitRequest struct {
	TransactionalID string
	TimeoutMs       int32
	// ProducerID and ProducerEpoch are the producer's current ones when it
	// re-initializes after an error (KIP-360), else -1 and -1.
	ProducerID    int64
	ProducerEpoch int16
}

// InitResult answers an InitProducerId. Err is nil or a *kerr.Error;
// PRODUCER_FENCED is for the handler to downgrade for old versions.
type InitResult struct {
	ProducerID    int64
	ProducerEpoch int16
	Err           error
}

func initError(err error) InitResult {
	return InitResult{ProducerID: noProducerID, ProducerEpoch: noEpoch, Err: err}
}

// InitProducerID gives a transactional producer its producer id and a new
// epoch, fencing older instances: an ongoing transaction is aborted first
// (the answer is then CONCURRENT_TRANSACTIONS and the client retries).
// respond is called exactly once, possibly under the coordinator's locks
// or from another goroutine (a new producer id is allocated off the
// caller's goroutine).
func (c *Coordinator) InitProducerID(req InitRequest, respond func(InitResult)) {
	switch {
	case req.TransactionalID == "":
		respond(initError(kerr.InvalidRequest))
		return
	case (req.ProducerID == noProducerID) != (req.ProducerEpoch == noEpoch):
		respond(initError(kerr.InvalidRequest))
		return
	case req.TimeoutMs <= 0 || int64(req.TimeoutMs) > c.cfg.MaxTimeout.Milliseconds():
		respond(initError(kerr.InvalidTransactionTimeout))
		return
	}
	if c.tryInit(req, noProducerID, respond) {
		return
	}
	go func() {
		pid, err := c.pids.NextProducerID(c.ctx)
		if err != nil {
			c.logger.Warn("allocate producer id", "transactional.id", req.TransactionalID, "err", err)
			respond(initError(kerr.CoordinatorNotAvailable))
			return
		}
		if !c.tryInit(req, pid, respond) {
			respond(initError(kerr.UnknownServerError)) // not reached: a given id is always taken
		}
	}()
}

// tryInit runs InitProducerId with newPID (a fresh producer id, or -1 for
// none yet). It returns false, having answered nothing, when it needs a
// fresh producer id and was given none.
func (c *Coordinator) tryInit(req InitRequest, newPID int64, respond func(InitResult)) bool {
	s, err := c.lockShard(req.TransactionalID)
	if err != nil {
		respond(initError(err))
		return true
	}
	defer s.mu.Unlock()
	m := s.txns[req.TransactionalID]
	if m == nil {
		if newPID == noProducerID {
			return false
		}
		m = &txnMeta{
			id: req.TransactionalID, producerID: newPID, lastProducerID: noProducerID, epoch: noEpoch, lastEpoch: noEpoch,
			timeoutMs: req.TimeoutMs, state: Empty, partitions: map[TopicPartition]struct{}{}, start: -1,
		}
		now := c.now()
		m.lastUpdate, m.updateMono = now.ms, now.mono
		s.txns[req.TransactionalID] = m
		newPID = noProducerID // used
	}
	return s.initLocked(m, req, newPID, respond)
}

// initLocked is Kafka's prepareInitProducerIdTransit and what follows it.
func (s *shard) initLocked(m *txnMeta, req InitRequest, newPID int64, respond func(InitResult)) bool {
	expected := req.ProducerID != noProducerID
	switch {
	case m.hasPending:
		respond(initError(kerr.ConcurrentTransactions))
		return true
	case expected && !validExpectedProducer(m, req):
		respond(initError(kerr.ProducerFenced))
		return true
	}
	now := s.c.now()
	var t transit
	switch m.state {
	case PrepareCommit, PrepareAbort:
		respond(initError(kerr.ConcurrentTransactions))
		return true
	case Ongoing:
		// Abort the ongoing transaction first, at a bumped epoch never
		// returned: the client retries and gets the epoch after it.
		s.fenceLocked(m, func(err error) {
			if err == nil {
				err = kerr.ConcurrentTransactions
			}
			respond(initError(err))
		})
		return true
	case Empty, CompleteCommit, CompleteAbort:
		if epochExhausted(m.epoch) && (!expected || req.ProducerEpoch == m.epoch) {
			if newPID == noProducerID {
				return false
			}
			lastEpoch := noEpoch
			if expected {
				lastEpoch = m.epoch
			}
			t = m.transitInit(newPID, 0, lastEpoch, req.TimeoutMs, now)
			break
		}
		epoch, lastEpoch, err := nextEpoch(m, req)
		if err != nil {
			respond(initError(err))
			return true
		}
		t = m.transitInit(m.producerID, epoch, lastEpoch, req.TimeoutMs, now)
	default:
		s.c.logger.Error("transactional id in a state it cannot be in", "transactional.id", m.id, "state", m.state)
		respond(initError(kerr.UnknownServerError))
		return true
	}
	s.persist(m, t, nil, func(err error) {
		if err != nil {
			respond(initError(err))
			return
		}
		respond(InitResult{ProducerID: t.producerID, ProducerEpoch: t.epoch})
	})
	return true
}

// validExpectedProducer: a producer re-initializing with its id and epoch
// (KIP-360) is fenced unless the id is new (no epoch yet), it is the
// current producer id (its epoch is checked next), or it is the previous
// producer id at an exhausted epoch (a retry of the rotation).
func validExpectedProducer(m *txnMeta, req InitRequest) bool {
	return m.epoch == noEpoch || req.ProducerID == m.producerID ||
		(req.ProducerID == m.lastProducerID && epochExhausted(req.ProducerEpoch))
}

// nextEpoch is Kafka's prepareIncrementProducerEpoch: the epoch the
// producer gets and the previous one to remember.
func nextEpoch(m *txnMeta, req InitRequest) (epoch, lastEpoch int16, err error) {
	bumped := m.epoch + 1
	switch {
	case req.ProducerID == noProducerID:
		return bumped, noEpoch, nil
	case m.epoch == noEpoch || req.ProducerEpoch == m.epoch:
		return bumped, m.epoch, nil
	case req.ProducerEpoch == m.lastEpoch:
		// A retry of a bump whose answer was lost: the same epoch again.
		return m.epoch, m.lastEpoch, nil
	}
	return 0, 0, kerr.ProducerFenced
}
