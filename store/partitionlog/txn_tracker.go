package partitionlog

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// txnTracker is what the last stable offset is computed from (Kafka's
// ProducerStateManager ongoingTxns and unreplicatedTxns): the ongoing
// transactions by first offset, and the transactions whose marker is
// written but not yet below the high watermark. The writer (holding the
// log's writeMu) changes both; SetHighWatermark, which runs without
// writeMu, drops replicated ones, hence the own mutex. firstUnstable is
// published for readers, so a fetch learns the LSO with two atomic loads.
type txnTracker struct {
	mu           sync.Mutex
	ongoing      []txnSpan // by first offset
	unreplicated []txnSpan // completed, by marker offset (markers come in order)
	// firstUnstable is the smallest first offset of the two lists,
	// math.MaxInt64 when both are empty.
	firstUnstable atomic.Int64
}

// txnSpan is one transaction of one producer: its first offset and, once
// completed, its marker's offset (last).
type txnSpan struct {
	pid         int64
	first, last int64
}

func (t *txnTracker) init() { t.firstUnstable.Store(math.MaxInt64) }

// reset forgets everything (the producer state is being rebuilt).
func (t *txnTracker) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ongoing, t.unreplicated = nil, nil
	t.firstUnstable.Store(math.MaxInt64)
}

// start records a transaction beginning at first.
func (t *txnTracker) start(pid, first int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, _ := slices.BinarySearchFunc(t.ongoing, first, func(s txnSpan, o int64) int { return cmpInt64(s.first, o) })
	t.ongoing = slices.Insert(t.ongoing, i, txnSpan{pid: pid, first: first, last: -1})
	t.publishLocked()
}

// complete ends the producer's transaction that began at first with the
// marker at last, and returns the entry's last stable offset for the
// aborted transaction index (Kafka's lastStableOffset(completedTxn)): the
// first offset of the oldest other ongoing transaction, else last+1.
func (t *txnTracker) complete(pid, first, last, hw int64) (lso int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	lso = last + 1
	for _, s := range t.ongoing {
		if s.pid != pid {
			lso = s.first
			break
		}
	}
	t.ongoing = slices.DeleteFunc(t.ongoing, func(s txnSpan) bool { return s.pid == pid && s.first == first })
	if last >= hw {
		t.unreplicated = append(t.unreplicated, txnSpan{pid: pid, first: first, last: last})
	}
	t.publishLocked()
	return lso
}

// replicated drops the completed transactions whose marker is below hw.
func (t *txnTracker) replicated(hw int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for n < len(t.unreplicated) && t.unreplicated[n].last < hw {
		n++
	}
	if n == 0 {
		return
	}
	t.unreplicated = slices.Delete(t.unreplicated, 0, n)
	t.publishLocked()
}

func (t *txnTracker) publishLocked() {
	first := int64(math.MaxInt64)
	if len(t.ongoing) > 0 {
		first = t.ongoing[0].first
	}
	for _, s := range t.unreplicated {
		first = min(first, s.first)
	}
	t.firstUnstable.Store(first)
}

// has reports whether pid has an ongoing transaction.
func (t *txnTracker) has(pid int64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.ongoing {
		if s.pid == pid {
			return true
		}
	}
	return false
}
