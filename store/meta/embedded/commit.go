package embedded

import (
	"fmt"
	"time"

	"github.com/kqhq/kq/store/meta"
)

// maxBatch bounds how many write calls share one journal write and fsync.
const maxBatch = 256

// writeReq is one write call waiting for the committer.
type writeReq struct {
	sess    *session
	ops     []meta.Op
	results []meta.OpResult
	err     error
	done    chan struct{}
}

// submit hands ops to the committer and waits until they are durable and
// applied, or refused.
func (s *Server) submit(c *session, ops []meta.Op) ([]meta.OpResult, error) {
	req := &writeReq{sess: c, ops: ops, done: make(chan struct{})}
	select {
	case s.writes <- req:
	case <-s.stop:
		return nil, &meta.MultiError{Index: -1, Err: meta.ErrClosed}
	}
	<-req.done
	return req.results, req.err
}

// committer is the goroutine all write calls go through. While it waits
// for one batch's fsync, the next callers queue up on s.writes; it then
// takes them all at once, so concurrent writers share fsyncs.
func (s *Server) committer() {
	defer close(s.committerDone)
	for {
		select {
		case req := <-s.writes:
			s.commitBatch(s.drain(req))
		case <-s.stop:
			return
		}
	}
}

// drain collects the write calls already waiting behind first.
func (s *Server) drain(first *writeReq) []*writeReq {
	batch := []*writeReq{first}
	for len(batch) < maxBatch {
		select {
		case req := <-s.writes:
			batch = append(batch, req)
		default:
			return batch
		}
	}
	return batch
}

// commitBatch checks each call in order against the tree as the calls
// before it leave it, commits the passing ones as one transaction each
// under one fsync, and answers every call.
func (s *Server) commitBatch(batch []*writeReq) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	defer func() {
		for _, req := range batch {
			close(req.done)
		}
	}()
	if err := s.writable(); err != nil {
		for _, req := range batch {
			req.err = &meta.MultiError{Index: -1, Err: err}
		}
		return
	}
	txns, plans, owners := s.plan(batch)
	stats, err := s.commitTxns(txns)
	for i, req := range owners {
		if err != nil {
			req.err = &meta.MultiError{Index: -1, Err: err}
			continue
		}
		req.results = plans[i].fill(stats[i])
	}
}

// plan prepares each call on a child of one batch draft; a call that fails
// leaves no trace for those after it. It returns the mutations of each
// passing call that changes something, with its plan and call.
func (s *Server) plan(batch []*writeReq) ([][]mutation, []plan, []*writeReq) {
	base := newDraft(s.tree, 0)
	var txns [][]mutation
	var plans []plan
	var owners []*writeReq
	for _, req := range batch {
		if err := req.sess.alive(); err != nil {
			req.err = &meta.MultiError{Index: -1, Err: err}
			continue
		}
		d := base.child(req.sess.id)
		p, err := prepare(d, req.ops)
		if err != nil || len(p.muts) == 0 {
			req.results, req.err = p.results, err
			continue
		}
		d.merge()
		txns, plans, owners = append(txns, p.muts), append(plans, p), append(owners, req)
	}
	return txns, plans, owners
}

// commitTxns makes the transactions durable with one journal write and
// fsync, then applies them in order and fires their watches. It runs with
// wmu held and returns each mutation's resulting Stat, per transaction.
func (s *Server) commitTxns(muts [][]mutation) ([][]meta.Stat, error) {
	if len(muts) == 0 {
		return nil, nil
	}
	ms := time.Now().UnixMilli()
	txns := make([]txn, len(muts))
	for i, m := range muts {
		txns[i] = txn{zxid: s.lastZxid + 1 + int64(i), ms: ms, muts: m}
	}
	if s.journal != nil {
		if err := s.journal.append(txns...); err != nil {
			s.mu.Lock()
			s.broken = err
			s.mu.Unlock()
			return nil, err
		}
	}
	stats, err := s.apply(txns)
	if err != nil {
		return nil, err
	}
	s.maybeCompact()
	return stats, nil
}

func (s *Server) apply(txns []txn) ([][]meta.Stat, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]meta.Stat, len(txns))
	for i, t := range txns {
		out[i] = make([]meta.Stat, len(t.muts))
		for j, m := range t.muts {
			st, err := s.tree.apply(m, t.zxid, t.ms)
			if err != nil {
				// plan checked every mutation against this very tree
				s.broken = fmt.Errorf("%w: applying checked transaction: %v", ErrCorrupt, err)
				return nil, s.broken
			}
			out[i][j] = st
			s.watches.fire(m)
		}
		s.lastZxid = t.zxid
	}
	return out, nil
}
