package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// transactionalOpts are the kgo options of a transactional producer.
func (pc ProducerConfig) transactionalOpts() []kgo.Opt {
	if pc.TransactionalID == "" {
		return nil
	}
	opts := []kgo.Opt{kgo.TransactionalID(pc.TransactionalID)}
	if pc.TransactionTimeout > 0 {
		opts = append(opts, kgo.TransactionTimeout(pc.TransactionTimeout))
	}
	return opts
}

// MaxBlock is Kafka's max.block.ms default: it bounds BeginTransaction, as
// Kafka's producer bounds initTransactions.
const MaxBlock = time.Minute

// BeginTransaction starts a transaction of a transactional producer
// (ProducerConfig.TransactionalID): the records produced until
// CommitTransaction or AbortTransaction are in it. The first one
// initialises the producer id with the coordinator, fencing an older
// producer of the same transactional id; it gives up when ctx ends or
// after MaxBlock (kgo retries an unavailable coordinator without end).
func (p *Producer) BeginTransaction(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.maxBlock)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.cl.BeginTransaction() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("begin transaction: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("begin transaction: the transaction coordinator did not answer: %w", ctx.Err())
	}
}

// CommitTransaction waits for the transaction's records and commits it:
// read_committed consumers see them from then on. When it fails, call
// AbortTransaction.
func (p *Producer) CommitTransaction(ctx context.Context) error {
	if err := p.cl.Flush(ctx); err != nil {
		return fmt.Errorf("commit transaction: flush: %w", err)
	}
	if err := p.cl.EndTransaction(ctx, kgo.TryCommit); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}

// AbortTransaction drops the records not yet sent and aborts the
// transaction: read_committed consumers never see its records.
func (p *Producer) AbortTransaction(ctx context.Context) error {
	err := p.cl.AbortBufferedRecords(ctx)
	if endErr := p.cl.EndTransaction(ctx, kgo.TryAbort); endErr != nil {
		err = errors.Join(err, endErr)
	}
	if err != nil {
		return fmt.Errorf("abort transaction: %w", err)
	}
	return nil
}
