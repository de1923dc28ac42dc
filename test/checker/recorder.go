package checker

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// Recorder builds a History while a workload runs: producers' callbacks
// and consumers' polls arrive from many goroutines at once. The fault
// suites share it, so each keeps only its own clients and faults.
type Recorder struct {
	mu    sync.Mutex
	h     History
	acked map[int32]int // acknowledgements per partition so far
}

// NewRecorder starts an empty history; idempotent is History.Idempotent.
func NewRecorder(idempotent bool) *Recorder {
	return &Recorder{h: History{Idempotent: idempotent, Txns: map[int]Outcome{}}, acked: map[int32]int{}}
}

// Ack records how the send of value to partition ended: at offset, or
// with err. It has the shape of a franz-go produce promise's body:
//
//	cl.Produce(ctx, r, func(r *kgo.Record, err error) { rec.Ack(string(r.Value), r.Partition, r.Offset, err) })
func (r *Recorder) Ack(value string, partition int32, offset int64, err error) {
	r.AckTxn(value, partition, offset, err, 0)
}

// AckTxn is Ack for a send inside transaction txn (Send.Txn).
func (r *Recorder) AckTxn(value string, partition int32, offset int64, err error, txn int) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.h.Sends = append(r.h.Sends, Send{Value: value, Partition: partition, Offset: offset, Err: err, At: now, Txn: txn})
	if err == nil {
		r.acked[partition]++
	}
}

// Ended records how transaction txn ended; one never ended stays Unknown.
func (r *Recorder) Ended(txn int, o Outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.h.Txns[txn] = o
}

// Committed is how many transactions are known committed so far.
func (r *Recorder) Committed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, o := range r.h.Txns {
		if o == Committed {
			n++
		}
	}
	return n
}

// Polled records what one consumer poll returned, in its order.
func (r *Recorder) Polled(polls ...Poll) {
	if len(polls) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.h.Polls = append(r.h.Polls, polls...)
}

// Acked is how many sends to partition were acknowledged so far.
func (r *Recorder) Acked(partition int32) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.acked[partition]
}

// WaitAcked waits until each of parts has n more acknowledgements than
// when it was called, or within has passed.
func (r *Recorder) WaitAcked(parts []int32, n int, within time.Duration) error {
	start := map[int32]int{}
	for _, p := range parts {
		start[p] = r.Acked(p)
	}
	deadline := time.Now().Add(within)
	for {
		behind := int32(-1)
		for _, p := range parts {
			if r.Acked(p) < start[p]+n {
				behind = p
			}
		}
		if behind < 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("partition %d: fewer than %d new acknowledgements within %v", behind, n, within)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition
	}
}

// Unavailable is UnavailableBetween on the history so far.
func (r *Recorder) Unavailable(partition int32, from, to time.Time) time.Duration {
	return UnavailableBetween(r.History(), partition, from, to)
}

// History is a copy of the history so far; Final, ReadCommitted and
// Txns are the caller's to set on it.
func (r *Recorder) History() History {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.h
	h.Sends, h.Polls = slices.Clone(h.Sends), slices.Clone(h.Polls)
	h.Txns = maps.Clone(h.Txns)
	return h
}
