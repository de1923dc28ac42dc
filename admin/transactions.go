package admin

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// TransactionFilter narrows ListTransactions; the zero value lists every
// transactional id.
type TransactionFilter struct {
	// States keeps transactions in one of these states (Kafka's names:
	// Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit,
	// CompleteAbort, Dead, PrepareEpochFence).
	States []string `json:"states,omitempty"`
	// ProducerIDs keeps transactions of these producer ids.
	ProducerIDs []int64 `json:"producer_ids,omitempty"`
	// DurationMs keeps transactions running longer than this many
	// milliseconds (KIP-994); 0 or less does not filter.
	DurationMs int64 `json:"duration_ms,omitempty"`
}

// TransactionListing is one transactional id as its coordinator lists it.
type TransactionListing struct {
	TransactionalID string `json:"transactional_id"`
	ProducerID      int64  `json:"producer_id"`
	State           string `json:"state"`
	Coordinator     int32  `json:"coordinator"`
}

// Transaction is a transactional id's state on its coordinator.
type Transaction struct {
	TransactionalID string `json:"transactional_id"`
	Coordinator     int32  `json:"coordinator"`
	State           string `json:"state"`
	ProducerID      int64  `json:"producer_id"`
	ProducerEpoch   int16  `json:"producer_epoch"`
	TimeoutMs       int32  `json:"timeout_ms"`
	// StartTimestamp is when the ongoing transaction started (ms since
	// the epoch), -1 when none is.
	StartTimestamp int64 `json:"start_timestamp"`
	// Partitions are the partitions in the transaction; while preparing
	// to commit or abort, only those still without a marker.
	Partitions []TopicPartitions `json:"partitions"`
	// Err is set when the id could not be described: it matches
	// ErrNotFound (and kerr.TransactionalIDNotFound) for an unknown id.
	Err error `json:"-"`
}

// ListTransactions lists the transactional ids of every coordinator (every
// broker is asked), sorted by id.
func (c *Client) ListTransactions(ctx context.Context, f TransactionFilter) ([]TransactionListing, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req := kmsg.NewPtrListTransactionsRequest()
	req.StateFilters = f.States
	req.ProducerIDFilters = f.ProducerIDs
	if f.DurationMs > 0 {
		req.DurationFilterMillis = f.DurationMs
	}
	out := []TransactionListing{}
	var errs []error
	for _, shard := range c.kgo.RequestSharded(ctx, req) {
		if shard.Err != nil {
			errs = append(errs, onBroker(shard.Meta.NodeID, shard.Err))
			continue
		}
		resp := shard.Resp.(*kmsg.ListTransactionsResponse)
		if err := kafkaError(resp.ErrorCode, nil); err != nil {
			errs = append(errs, onBroker(shard.Meta.NodeID, err))
			continue
		}
		for _, t := range resp.TransactionStates {
			out = append(out, TransactionListing{TransactionalID: t.TransactionalID, ProducerID: t.ProducerID,
				State: t.TransactionState, Coordinator: shard.Meta.NodeID})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TransactionalID < out[j].TransactionalID })
	if err := errors.Join(errs...); err != nil {
		return out, fmt.Errorf("list transactions: %w", err)
	}
	return out, nil
}

// onBroker says which broker an error came from, when known (a seed
// broker that could not be reached has a negative id).
func onBroker(id int32, err error) error {
	if id < 0 {
		return err
	}
	return fmt.Errorf("broker %d: %w", id, err)
}

// DescribeTransactions describes transactional ids on their coordinators,
// in the order asked; with no ids, every listed one. An id that could not
// be described comes back with Err set rather than failing the call.
func (c *Client) DescribeTransactions(ctx context.Context, ids ...string) ([]Transaction, error) {
	if len(ids) == 0 {
		listed, err := c.ListTransactions(ctx, TransactionFilter{})
		if err != nil {
			return nil, err
		}
		for _, l := range listed {
			ids = append(ids, l.TransactionalID)
		}
		if len(ids) == 0 {
			return []Transaction{}, nil
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	described, err := c.kadm.DescribeTransactions(ctx, ids...)
	if err != nil && len(described) == 0 {
		return nil, fmt.Errorf("describe transactions: %w", err)
	}
	out := make([]Transaction, 0, len(ids))
	for _, id := range ids {
		d, ok := described[id]
		if !ok {
			out = append(out, Transaction{TransactionalID: id, StartTimestamp: -1,
				Err: fmt.Errorf("describe transaction %s: no answer: %v", id, err)})
			continue
		}
		t := Transaction{TransactionalID: id, Coordinator: d.Coordinator, State: d.State,
			ProducerID: d.ProducerID, ProducerEpoch: d.ProducerEpoch, TimeoutMs: d.TimeoutMillis,
			StartTimestamp: d.StartTimestamp, Partitions: []TopicPartitions{}, Err: transactionError(id, d.Err)}
		for _, tp := range d.Topics.Sorted() {
			t.Partitions = append(t.Partitions, TopicPartitions{Topic: tp.Topic, Partitions: tp.Partitions})
		}
		out = append(out, t)
	}
	return out, nil
}

// transactionError turns a DescribeTransactions error into one that says
// which id, matching ErrNotFound for an unknown one.
func transactionError(id string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, kerr.TransactionalIDNotFound):
		return &txnNotFoundError{id: id}
	}
	return fmt.Errorf("describe transaction %s: %w", id, err)
}

// txnNotFoundError is an unknown transactional id: it matches both
// ErrNotFound and kerr.TransactionalIDNotFound.
type txnNotFoundError struct{ id string }

func (e *txnNotFoundError) Error() string {
	return fmt.Sprintf("transactional id '%s' does not exist", e.id)
}
func (e *txnNotFoundError) Unwrap() []error {
	return []error{ErrNotFound, kerr.TransactionalIDNotFound}
}

// TransactionalIDNotFound is the error for an unknown transactional id, as
// DescribeTransactions reports it; for fakes of the admin client.
func TransactionalIDNotFound(id string) error { return &txnNotFoundError{id: id} }
