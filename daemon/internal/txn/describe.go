package txn

import (
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// Description is one transactional id as DescribeTransactions shows it.
type Description struct {
	TransactionalID string
	Err             error // NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, TRANSACTIONAL_ID_NOT_FOUND, ...
	State           State
	TimeoutMs       int32
	StartMs         int64 // -1 outside a transaction
	ProducerID      int64
	ProducerEpoch   int16
	Partitions      []TopicPartition // sorted
}

// Describe returns a transactional id's state.
func (c *Coordinator) Describe(transactionalID string) Description {
	d := Description{TransactionalID: transactionalID}
	if transactionalID == "" {
		d.Err = kerr.InvalidRequest
		return d
	}
	s, err := c.lockShard(transactionalID)
	if err != nil {
		d.Err = err
		return d
	}
	defer s.mu.Unlock()
	m := s.txns[transactionalID]
	if m == nil || m.state == Dead {
		d.Err = kerr.TransactionalIDNotFound
		return d
	}
	d.State, d.TimeoutMs, d.StartMs = m.state, m.timeoutMs, m.start
	d.ProducerID, d.ProducerEpoch = m.producerID, m.epoch
	d.Partitions = sortedPartitions(m.partitions)
	return d
}

// ListFilter selects transactions for ListTransactions; empty fields
// select all.
type ListFilter struct {
	States      []string
	ProducerIDs []int64
	// MinDuration (ListTransactions v1) keeps transactions running longer
	// than it; negative for none.
	MinDuration time.Duration
}

// Listing is the coordinator's ListTransactions answer.
type Listing struct {
	Err           error // COORDINATOR_LOAD_IN_PROGRESS while a partition loads
	UnknownStates []string
	Transactions  []Listed
}

// Listed is one transaction of a Listing.
type Listed struct {
	TransactionalID string
	ProducerID      int64
	State           State
}

// List returns the transactions of every partition this broker
// coordinates, as Kafka's listTransactionStates.
func (c *Coordinator) List(f ListFilter) Listing {
	var out Listing
	states := map[State]bool{}
	for _, name := range f.States {
		if st, ok := StateNamed(name); ok {
			states[st] = true
		} else {
			out.UnknownStates = append(out.UnknownStates, name)
		}
	}
	pids := map[int64]bool{}
	for _, p := range f.ProducerIDs {
		pids[p] = true
	}
	now := c.nowMs()
	keep := func(m *txnMeta) bool {
		return m.state != Dead && (len(pids) == 0 || pids[m.producerID]) && (len(f.States) == 0 || states[m.state]) &&
			(f.MinDuration < 0 || now-m.start > f.MinDuration.Milliseconds())
	}
	for _, s := range c.shards {
		s.mu.Lock()
		if s.status == loading {
			out.Err = kerr.CoordinatorLoadInProgress
		}
		for _, m := range s.txns {
			if keep(m) {
				out.Transactions = append(out.Transactions, Listed{TransactionalID: m.id, ProducerID: m.producerID, State: m.state})
			}
		}
		s.mu.Unlock()
	}
	if out.Err != nil {
		return Listing{Err: out.Err}
	}
	return out
}
