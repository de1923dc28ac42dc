package txn

import (
	"github.com/twmb/franz-go/pkg/kerr"
)

// AddPartitions adds partitions to the producer's transaction
// (AddPartitionsToTxn, and AddOffsetsToTxn with the group's
// __consumer_offsets partition): the first partitions start it (Ongoing).
// respond gets nil once the transaction's new state is written, or the
// error for the whole request. It is called exactly once, possibly under
// the coordinator's locks: it must not block.
func (c *Coordinator) AddPartitions(transactionalID string, producerID int64, epoch int16, parts []TopicPartition, respond func(error)) {
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
	switch {
	case m == nil, m.producerID != producerID:
		respond(kerr.InvalidProducerIDMapping)
		return
	case m.epoch != epoch:
		respond(kerr.ProducerFenced)
		return
	case m.hasPending, m.state == PrepareCommit, m.state == PrepareAbort:
		respond(kerr.ConcurrentTransactions)
		return
	case m.state == Ongoing && m.hasPartitions(parts):
		respond(nil) // already there: nothing to write
		return
	}
	s.persist(m, m.transitAdd(parts, c.now()), nil, respond)
}

// VerifyPartitions answers, without writing anything, whether each
// partition is in the producer's ongoing transaction (AddPartitionsToTxn
// v4+ with VerifyOnly, KIP-890 part 1), with the coordinator's answers as
// Kafka 3.9 puts them on the wire: nil for a partition in the
// transaction, TRANSACTION_ABORTABLE for one that is not, and for every
// partition alike NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
// INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED or CONCURRENT_TRANSACTIONS.
// The partition leader maps them to produce errors.
func (c *Coordinator) VerifyPartitions(transactionalID string, producerID int64, epoch int16, parts []TopicPartition) map[TopicPartition]error {
	out := make(map[TopicPartition]error, len(parts))
	all := func(err error) map[TopicPartition]error {
		for _, tp := range parts {
			out[tp] = err
		}
		return out
	}
	if transactionalID == "" {
		return all(kerr.InvalidRequest)
	}
	s, err := c.lockShard(transactionalID)
	if err != nil {
		return all(err)
	}
	defer s.mu.Unlock()
	m := s.txns[transactionalID]
	switch {
	case m == nil, m.producerID != producerID:
		return all(kerr.InvalidProducerIDMapping)
	case m.epoch != epoch:
		return all(kerr.ProducerFenced)
	case m.state == PrepareCommit, m.state == PrepareAbort:
		return all(kerr.ConcurrentTransactions)
	}
	for _, tp := range parts {
		out[tp] = nil
		if _, ok := m.partitions[tp]; !ok {
			out[tp] = kerr.TransactionAbortable
		}
	}
	return out
}
