package txn

import (
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// abortTimedOut aborts, as the coordinator, every ongoing transaction
// open longer than its timeout (Kafka's abortTimedOutTransactions): the
// producer's epoch is bumped, so it is fenced (PRODUCER_FENCED or
// INVALID_PRODUCER_EPOCH) when it carries on.
func (c *Coordinator) abortTimedOut() {
	now := c.clock.Monotonic()
	for _, s := range c.shards {
		s.mu.Lock()
		if s.status == loaded {
			for _, m := range s.txns {
				if !m.hasPending && m.state == Ongoing && now-m.startMono > time.Duration(m.timeoutMs)*time.Millisecond {
					c.logger.Info("aborting a transaction past its timeout", "transactional.id", m.id, "producer.id", m.producerID, "epoch", m.epoch)
					s.fenceLocked(m, func(err error) { c.logTimeoutAbort(m.id, err) })
				}
			}
		}
		s.mu.Unlock()
	}
}

func (c *Coordinator) logTimeoutAbort(id string, err error) {
	switch err {
	case nil:
	case kerr.InvalidProducerIDMapping, kerr.ProducerFenced, kerr.ConcurrentTransactions:
		c.logger.Debug("abort of a timed-out transaction cancelled", "transactional.id", id, "err", err)
	default:
		c.logger.Warn("abort of a timed-out transaction failed", "transactional.id", id, "err", err)
	}
}

// expireIDs forgets transactional ids idle (Empty, CompleteCommit,
// CompleteAbort) for longer than transactional.id.expiration.ms: a
// tombstone per id, one batch per partition; they are removed once it is
// written (Kafka's removeExpiredTransactionalIds).
func (c *Coordinator) expireIDs() {
	now := c.clock.Monotonic()
	for _, s := range c.shards {
		s.mu.Lock()
		if s.status == loaded {
			s.expireLocked(now - c.cfg.IDExpiration)
		}
		s.mu.Unlock()
	}
}

// expireLocked expires the ids last updated at or before before, on the
// monotonic clock.
func (s *shard) expireLocked(before time.Duration) {
	var expired []*txnMeta
	var recs []record
	for _, m := range s.txns {
		if !m.hasPending && m.state.expirable() && m.updateMono <= before {
			m.transitDead()
			expired = append(expired, m)
			recs = append(recs, record{key: txnKey(m.id)})
		}
	}
	if len(expired) == 0 {
		return
	}
	s.append(recs, func(err error) {
		for _, m := range expired {
			if err == nil && s.txns[m.id] == m && m.hasPending && m.pending == Dead {
				delete(s.txns, m.id)
				continue
			}
			m.hasPending = false
		}
		if err != nil {
			s.c.logger.Warn("cannot expire transactional ids", "partition", s.partition, "ids", len(expired), "err", err)
			return
		}
		s.c.logger.Info("expired idle transactional ids", "partition", s.partition, "ids", len(expired))
	})
}
