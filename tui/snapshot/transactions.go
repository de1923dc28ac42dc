package snapshot

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
)

// TransactionSource is implemented by sources that know transactions
// (*admin.Client does): ListTransactions asks every broker for the
// transactional ids it coordinates, DescribeTransactions their state.
// Without it a snapshot has no transactions and TransactionsKnown is
// false.
type TransactionSource interface {
	ListTransactions(ctx context.Context, f admin.TransactionFilter) ([]admin.TransactionListing, error)
	DescribeTransactions(ctx context.Context, ids ...string) ([]admin.Transaction, error)
}

// Kafka's transaction states that matter to the view.
const (
	TxnOngoing      = "Ongoing"
	TxnPrepareAbort = "PrepareAbort"
)

// Transaction is a transactional id as its coordinator describes it.
type Transaction struct {
	ID            string
	State         string // Kafka's: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, Dead, PrepareEpochFence
	ProducerID    int64
	ProducerEpoch int16
	Timeout       time.Duration // transaction.timeout.ms of the producer
	// Start is when the open transaction began; zero when none is open
	// (or the id was listed but not described yet).
	Start time.Time
	// Partitions are the partitions the transaction wrote to, sorted.
	Partitions  []TopicPartition
	Coordinator int32
	// DescribedAt is when the description was read: older than
	// Snapshot.At when a refresh left the id for a later one (see
	// Options.TransactionBudget); zero when never described.
	DescribedAt time.Time
	Err         error // the last description failed; the values are older
}

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// Ongoing reports whether the transaction is open.
func (t Transaction) Ongoing() bool { return t.State == TxnOngoing }

// Age is how long the open transaction has run at at; false when none is
// open.
func (t Transaction) Age(at time.Time) (time.Duration, bool) {
	if t.Start.IsZero() {
		return 0, false
	}
	return max(at.Sub(t.Start), 0), true
}

// TimedOut reports whether the transaction is open past its timeout: its
// coordinator should have aborted it, and it holds the last stable offset
// of its partitions back meanwhile.
func (t Transaction) TimedOut(at time.Time) bool {
	age, ok := t.Age(at)
	return t.Ongoing() && ok && t.Timeout > 0 && age > t.Timeout
}

// Stale reports whether the transaction was described before the
// snapshot.
func (t Transaction) Stale(s *Snapshot) bool { return t.DescribedAt.Before(s.At) }

// Transaction returns the transactional id's transaction.
func (s *Snapshot) Transaction(id string) (Transaction, bool) {
	i, ok := slices.BinarySearchFunc(s.Transactions, id, func(t Transaction, id string) int { return strings.Compare(t.ID, id) })
	if !ok {
		return Transaction{}, false
	}
	return s.Transactions[i], true
}

// TimedOutTransactions counts the transactions open past their timeout.
func (s *Snapshot) TimedOutTransactions() int {
	n := 0
	for _, t := range s.Transactions {
		if t.TimedOut(s.At) {
			n++
		}
	}
	return n
}

// fromDescription is a transaction described in this refresh.
func fromDescription(d admin.Transaction, now time.Time) Transaction {
	t := Transaction{ID: d.TransactionalID, State: d.State, ProducerID: d.ProducerID, ProducerEpoch: d.ProducerEpoch,
		Timeout: time.Duration(d.TimeoutMs) * time.Millisecond, Coordinator: d.Coordinator, DescribedAt: now}
	if d.StartTimestamp >= 0 && d.State == TxnOngoing {
		t.Start = time.UnixMilli(d.StartTimestamp)
	}
	for _, tp := range d.Partitions {
		for _, p := range tp.Partitions {
			t.Partitions = append(t.Partitions, TopicPartition{tp.Topic, p})
		}
	}
	slices.SortFunc(t.Partitions, func(a, b TopicPartition) int {
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	return t
}
