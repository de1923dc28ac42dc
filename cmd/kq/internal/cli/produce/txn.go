package produce

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kqhq/kq/admin"
)

// transactional is a producer that runs transactions (*admin.Producer).
type transactional interface {
	BeginTransaction(ctx context.Context) error
	CommitTransaction(ctx context.Context) error
	AbortTransaction(ctx context.Context) error
	Flush(ctx context.Context) error
}

// errRecordFailed stops the feed of a transactional produce at the first
// failed record: its transaction is aborted, so nothing more is sent.
var errRecordFailed = errors.New("a record failed")

// txnFeed sits between the feed and a transactional producer: it begins a
// transaction at the first record, commits it every size records (0:
// never until finish) and, in finish, commits the open one or aborts it.
// Its methods may run concurrently: finish runs when Ctrl-C or a failure
// ends the feed while a record may still be on its way in.
type txnFeed struct {
	p    transactional
	send producer
	t    *tracker
	size int64

	mu               sync.Mutex
	open, done       bool
	inTxn            int64 // records produced in the open transaction
	commits, records int64 // committed transactions and their records
	aborted          int64 // records of the aborted transaction
}

func newTxnFeed(p any, send producer, t *tracker, size int64) (*txnFeed, error) {
	tx, ok := p.(transactional)
	if !ok {
		return nil, errors.New("this producer does not support transactions")
	}
	return &txnFeed{p: tx, send: send, t: t, size: size}, nil
}

// Produce sends rec in the open transaction, first committing a full one
// and beginning a new one as needed.
func (x *txnFeed) Produce(ctx context.Context, rec admin.Record, done func(admin.Record, error)) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.done {
		return // finish ran: the feed was stopped
	}
	if err := x.roll(ctx); err != nil {
		done(rec, err) // counted as a failure, which stops the feed
		return
	}
	x.inTxn++
	x.send.Produce(ctx, rec, done)
}

// roll commits a full transaction and begins one when none is open.
func (x *txnFeed) roll(ctx context.Context) error {
	if x.open && x.size > 0 && x.inTxn >= x.size {
		if err := x.commit(ctx); err != nil {
			return err
		}
	}
	if x.open {
		return nil
	}
	if err := x.p.BeginTransaction(ctx); err != nil {
		return err
	}
	x.open, x.inTxn = true, 0
	return nil
}

// commit waits for the transaction's records and commits it, unless one
// failed: a transaction is all or nothing, so then it is aborted.
func (x *txnFeed) commit(ctx context.Context) error {
	if err := x.p.Flush(ctx); err != nil {
		return x.abort(ctx, fmt.Errorf("flush: %w", err))
	}
	if x.t.failed.Load() > 0 {
		return x.abort(ctx, errRecordFailed)
	}
	if err := x.p.CommitTransaction(ctx); err != nil {
		return x.abort(ctx, err)
	}
	x.open = false
	x.commits++
	x.records += x.inTxn
	return nil
}

// abort aborts the open transaction because of cause, which it returns
// (joined with the abort's own error).
func (x *txnFeed) abort(ctx context.Context, cause error) error {
	if err := x.abortQuietly(ctx); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// finish ends the feed: the open transaction is committed after a clean
// end of input, aborted after Ctrl-C, a read error or a failed record. It
// returns the error to report (readErr when there is no other).
func (x *txnFeed) finish(ctx context.Context, interrupted bool, readErr error) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.done = true
	if !x.open {
		return readErr
	}
	switch {
	case interrupted:
		return errors.Join(readErr, x.abortQuietly(ctx))
	case readErr != nil:
		return errors.Join(readErr, x.abortQuietly(ctx))
	}
	if err := x.commit(ctx); err != nil && !errors.Is(err, errRecordFailed) {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil // a failed record is reported by the tracker
}

// abortQuietly aborts and returns only the abort's own error. The abort
// gets its own deadline: the feed's context may be what ended (Ctrl-C, a
// failed record), and the transaction must end all the same.
func (x *txnFeed) abortQuietly(ctx context.Context) error {
	x.open = false
	x.aborted = x.inTxn
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushGrace)
	defer cancel()
	return x.p.AbortTransaction(ctx)
}

// summary is the closing line of a transactional produce.
func (x *txnFeed) summary() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	s := fmt.Sprintf("Committed %d transactions (%d records)", x.commits, x.records)
	if x.aborted > 0 {
		s += fmt.Sprintf("; aborted the last one (%d records)", x.aborted)
	}
	return s
}
