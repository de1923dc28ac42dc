package admintest

import (
	"context"
	"errors"

	"github.com/kqhq/kq/admin"
)

// producerTxn is a transactional producer's state: counts for assertions
// and the partitions of the open transaction, which get a marker when it
// ends.
type producerTxn struct {
	open             bool
	partitions       map[string]map[int32]bool
	commits, aborts  int
	committedRecords int
	records          int
}

// errNoTransaction is ending a transaction that was not begun.
var errNoTransaction = errors.New("no transaction is open")

// BeginTransaction opens a transaction (fails when one is open or with
// Fail("BeginTransaction", err)).
func (p *Producer) BeginTransaction(ctx context.Context) error {
	if err := p.c.failure("BeginTransaction"); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.txn.open {
		return errors.New("a transaction is already open")
	}
	p.txn.open, p.txn.partitions, p.txn.records = true, map[string]map[int32]bool{}, 0
	return nil
}

// CommitTransaction ends the open transaction with commit markers (fails
// with Fail("CommitTransaction", err), leaving it open).
func (p *Producer) CommitTransaction(ctx context.Context) error {
	if err := p.c.failure("CommitTransaction"); err != nil {
		return err
	}
	return p.end(true)
}

// AbortTransaction ends the open transaction with abort markers.
func (p *Producer) AbortTransaction(ctx context.Context) error {
	if err := p.c.failure("AbortTransaction"); err != nil {
		return err
	}
	return p.end(false)
}

func (p *Producer) end(commit bool) error {
	p.mu.Lock()
	if !p.txn.open {
		p.mu.Unlock()
		return errNoTransaction
	}
	touched := p.txn.partitions
	p.txn.open = false
	if commit {
		p.txn.commits++
		p.txn.committedRecords += p.txn.records
	} else {
		p.txn.aborts++
	}
	p.mu.Unlock()
	// The cluster's lock is taken after the producer's is released: Produce
	// takes them in the other order.
	p.c.mu.Lock()
	defer p.c.mu.Unlock()
	for name, parts := range touched {
		for part := range parts {
			p.c.appendMarker(p.c.topics[name], part)
		}
	}
	return nil
}

// inTransaction notes a written record's partition in the open
// transaction, if any.
func (p *Producer) inTransaction(rec admin.Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.txn.open {
		return
	}
	if p.txn.partitions[rec.Topic] == nil {
		p.txn.partitions[rec.Topic] = map[int32]bool{}
	}
	p.txn.partitions[rec.Topic][rec.Partition] = true
	p.txn.records++
}

// Transactions reports the transactions the producer committed and
// aborted, the records committed, and whether one is still open.
func (p *Producer) Transactions() (commits, aborts, committedRecords int, open bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.txn.commits, p.txn.aborts, p.txn.committedRecords, p.txn.open
}
