package replica

import (
	"github.com/kqhq/kq/store/partitionlog"
)

// Isolation levels of a Fetch or ListOffsets request (Kafka's
// IsolationLevel).
const (
	ReadUncommitted int8 = 0
	ReadCommitted   int8 = 1
)

// AppendTxnMarker writes a transaction marker on the leader (the
// WriteTxnMarkers path). Kafka writes markers with acks=all, so an ISR
// smaller than minInsync refuses it before anything is written; the caller
// then waits with Replicated(info.LastOffset+1, minInsync).
func (p *Partition) AppendTxnMarker(m partitionlog.TxnMarker, minInsync int) (partitionlog.AppendInfo, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkAppendLocked(-1, minInsync); err != nil {
		return partitionlog.AppendInfo{}, err
	}
	info, err := p.log.AppendTxnMarker(m, p.state.LeaderEpoch)
	if err != nil {
		return info, err
	}
	p.maybeAdvanceHWLocked()
	p.notifyLocked()
	return info, nil
}

// HasOngoingTransaction reports whether the producer has a transaction
// open in this partition: its transactional produce needs no verification
// with the coordinator then (KIP-890).
func (p *Partition) HasOngoingTransaction(producerID int64) bool {
	return p.log.HasOngoingTransaction(producerID)
}

// ProducerStates returns the state of every producer the partition knows
// (DescribeProducers).
func (p *Partition) ProducerStates() []partitionlog.ProducerState { return p.log.ProducerStates() }

// LastStableOffset is the offset read_committed consumers read below
// (ListOffsets LATEST with isolation level 1).
func (p *Partition) LastStableOffset() int64 { return p.log.LastStableOffset() }

// readLimit is where a consumer's read stops: the high watermark, or the
// last stable offset for read_committed.
func (p *Partition) readLimit(isolation int8) int64 {
	if isolation == ReadCommitted {
		return p.log.LastStableOffset()
	}
	return p.log.HighWatermark()
}

// abortedIn returns the aborted transactions a read_committed consumer
// needs for the records read: those overlapping [from, the offset after
// the data). Never nil: Kafka answers an empty list, not null, to
// read_committed.
func (p *Partition) abortedIn(from int64, data partitionlog.ReadResult) []partitionlog.AbortedTxn {
	if data.Len == 0 {
		return []partitionlog.AbortedTxn{}
	}
	out := p.log.AbortedTransactions(from, data.NextOffset)
	if out == nil {
		out = []partitionlog.AbortedTxn{}
	}
	return out
}
