package partitionlog

import (
	"fmt"
	"math"
	"slices"
)

// Transactions (KIP-98) in the log: a producer's transactional batches
// open a transaction at the first one's offset, a marker written by the
// transaction coordinator (through WriteTxnMarkers) ends it. Until then
// read_committed consumers stop at the transaction's first offset (the last
// stable offset); an ABORT marker adds the transaction to the aborted
// transaction index of the segment holding the marker, which tells those
// consumers which records to drop.

// OngoingTxn is an open transaction of one producer, as find-hanging
// (DescribeProducers) reports it.
type OngoingTxn struct {
	ProducerID    int64
	ProducerEpoch int16
	FirstOffset   int64
	LastTimestamp int64
}

// AppendTxnMarker writes a transaction marker for the producer (the leader
// path of WriteTxnMarkers). A marker with an epoch older than the
// producer's is ErrInvalidProducerEpoch; one whose coordinator epoch is
// older than the producer's last marker's is ErrTransactionCoordinatorFenced.
// A marker for a producer without an ongoing transaction is written all the
// same (a retried marker): it ends nothing.
func (l *Log) AppendTxnMarker(m TxnMarker, leaderEpoch int32) (AppendInfo, error) {
	if err := l.usable(); err != nil {
		return AppendInfo{}, err
	}
	cfg, now := l.Config(), nowMs(l.clock)
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if err := l.usable(); err != nil {
		return AppendInfo{}, err
	}
	if err := l.producers.checkMarker(m); err != nil {
		return AppendInfo{}, fmt.Errorf("%s: marker of producer %d epoch %d: %w", l.tp, m.ProducerID, m.ProducerEpoch, err)
	}
	buf := encodeMarker(m, leaderEpoch, now)
	h := header(buf)
	h.Restamp(cfg.TimestampType == LogAppendTime, now)
	base := l.leo.Load()
	h.SetBaseOffset(base)
	infos := []batchInfo{{size: len(buf), baseOffset: base, records: 1, leaderEpoch: leaderEpoch, maxTimestamp: now}}
	if err := l.appendLocked(buf, infos, cfg, now); err != nil {
		return AppendInfo{}, err
	}
	info := l.appendInfo(infos, len(buf))
	if cfg.TimestampType == LogAppendTime {
		info.LogAppendTime = now
	}
	return info, nil
}

// checkMarker is Kafka's checkProducerEpoch and checkCoordinatorEpoch for a
// marker from the coordinator.
func (m producerMap) checkMarker(marker TxnMarker) error {
	e, ok := m[marker.ProducerID]
	if !ok {
		return nil
	}
	if marker.ProducerEpoch < e.epoch {
		return fmt.Errorf("epoch older than the last seen %d: %w", e.epoch, ErrInvalidProducerEpoch)
	}
	if marker.CoordinatorEpoch < e.coordinatorEpoch {
		return fmt.Errorf("coordinator epoch %d older than the last marker's %d: %w",
			marker.CoordinatorEpoch, e.coordinatorEpoch, ErrTransactionCoordinatorFenced)
	}
	return nil
}

// recordAppend adds the batches of a written append to the producer state
// (the leader's, already checked, and the follower's, never checked);
// aborts go to seg's transaction index.
func (l *Log) recordAppend(records []byte, infos []batchInfo, seg *segment) error {
	for _, b := range infos {
		h := header(records[b.pos : b.pos+b.size])
		if !idempotent(h) {
			continue
		}
		if err := l.replayBatch(h, func() (header, error) { return h, nil }, seg); err != nil {
			return err
		}
	}
	return nil
}

// replayBatch adds one batch of a producer to the state without checking
// any rule (Kafka's REPLICATION origin, and recovery). whole returns the
// entire batch, which only a control batch needs. index, when not nil, is
// the segment holding the batch, whose transaction index takes an abort.
func (l *Log) replayBatch(h header, whole func() (header, error), index *segment) error {
	id := h.ProducerID()
	e := l.producers.entry(id)
	if !h.Control() {
		e.addBatch(h.ProducerEpoch(), batchOf(h))
		if h.Transactional() && e.txnFirst < 0 {
			e.txnFirst = h.BaseOffset()
			l.txns.start(id, e.txnFirst)
		}
		return nil
	}
	e.setEpoch(h.ProducerEpoch())
	e.lastTimestamp = h.MaxTimestamp()
	batch, err := whole()
	if err != nil {
		return err
	}
	m, ok := markerOf(batch)
	if !ok {
		return nil // another control type: nothing Kafka tracks
	}
	return l.endTxn(e, m, h.BaseOffset(), index)
}

// endTxn applies a marker at offset to its producer's entry (Kafka's
// appendEndTxnMarker and completeTxn).
func (l *Log) endTxn(e *producerEntry, m TxnMarker, offset int64, index *segment) error {
	e.coordinatorEpoch = m.CoordinatorEpoch
	if e.txnFirst < 0 {
		return nil
	}
	first := e.txnFirst
	e.txnFirst = -1
	lso := l.txns.complete(m.ProducerID, first, offset, l.hw.Load())
	if m.Commit || index == nil {
		return nil
	}
	return index.appendAborted(AbortedTxn{ProducerID: m.ProducerID, FirstOffset: first, LastOffset: offset, LastStableOffset: lso})
}

// resetTxns rebuilds the transaction tracker from the producers' ongoing
// transactions (after a snapshot was loaded).
func (l *Log) resetTxns() {
	l.txns.reset()
	for id, e := range l.producers {
		if e.txnFirst >= 0 {
			l.txns.start(id, e.txnFirst)
		}
	}
}

// LastStableOffset is the offset below which every transaction is decided
// and its marker replicated: the smaller of the first offset of the oldest
// ongoing transaction (or completed one whose marker is not yet below the
// high watermark) and the high watermark. read_committed consumers read
// below it.
func (l *Log) LastStableOffset() int64 {
	hw := l.hw.Load()
	first := l.txns.firstUnstable.Load()
	if first == math.MaxInt64 {
		return hw
	}
	return min(max(first, l.logStart.Load()), hw)
}

// AbortedTransactions returns the aborted transactions overlapping [from,
// upTo): last offset >= from and first offset < upTo, as Kafka's
// collectAbortedTransactions finds them, from the segment holding from
// onwards (an entry lives in the segment of its marker, so earlier
// segments only hold transactions that ended before from) until an entry
// whose last stable offset reaches upTo proves later ones start after.
func (l *Log) AbortedTransactions(from, upTo int64) []AbortedTxn {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []AbortedTxn
	for _, seg := range l.segs[max(l.floorSegment(from), 0):] {
		var done bool
		if out, done = seg.collectAborted(out, from, upTo); done {
			break
		}
	}
	return out
}

// OngoingTransactions returns the open transactions by first offset.
func (l *Log) OngoingTransactions() []OngoingTxn {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	var out []OngoingTxn
	for id, e := range l.producers {
		if e.txnFirst >= 0 {
			out = append(out, OngoingTxn{ProducerID: id, ProducerEpoch: e.epoch, FirstOffset: e.txnFirst, LastTimestamp: e.lastTimestamp})
		}
	}
	slices.SortFunc(out, func(a, b OngoingTxn) int { return cmpInt64(a.FirstOffset, b.FirstOffset) })
	return out
}

// HasOngoingTransaction reports whether the producer has a transaction
// open in this partition (Kafka's hasOngoingTransaction): its produce needs
// no verification with the coordinator then (KIP-890).
func (l *Log) HasOngoingTransaction(producerID int64) bool { return l.txns.has(producerID) }
