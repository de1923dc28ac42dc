package partitionlog

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// A transaction marker is a control batch as Kafka's
// MemoryRecords.withEndTransactionMarker writes it: magic 2, attributes
// control|transactional, the producer's id and epoch, base sequence -1 and
// one record whose key is a ControlRecordKey (version 0, type 0 abort or
// 1 commit) and whose value is an EndTxnMarker (version 0, coordinator
// epoch).

// TxnMarker is the end of one producer's transaction on a partition, as a
// WriteTxnMarkers request carries it.
type TxnMarker struct {
	ProducerID       int64
	ProducerEpoch    int16
	CoordinatorEpoch int32
	Commit           bool
}

const (
	controlTypeAbort  kmsg.ControlRecordKeyType = 0
	controlTypeCommit kmsg.ControlRecordKeyType = 1
)

// encodeMarker returns the marker batch at base offset 0, stamped with now
// and the leader epoch, its CRC set.
func encodeMarker(m TxnMarker, leaderEpoch int32, now int64) []byte {
	typ := controlTypeAbort
	if m.Commit {
		typ = controlTypeCommit
	}
	key := (&kmsg.ControlRecordKey{Version: 0, Type: typ}).AppendTo(nil)
	value := (&kmsg.EndTxnMarker{Version: 0, CoordinatorEpoch: m.CoordinatorEpoch}).AppendTo(nil)
	records := recordbatch.AppendRecord(nil, &kmsg.Record{Key: key, Value: value})
	return recordbatch.AppendBatch(make([]byte, 0, recordbatch.HeaderSize+len(records)), recordbatch.Fields{
		LeaderEpoch: leaderEpoch, Attributes: recordbatch.AttrControl | recordbatch.AttrTransactional,
		BaseTimestamp: now, MaxTimestamp: now, ProducerID: m.ProducerID, ProducerEpoch: m.ProducerEpoch,
		BaseSequence: recordbatch.NoSequence, RecordCount: 1,
	}, records)
}

// markerOf decodes the control record of a whole control batch. ok is false
// for a control batch that is no transaction marker (another control type,
// or one that does not decode): Kafka ignores those in producer state.
func markerOf(batch header) (m TxnMarker, ok bool) {
	it, err := openRecords(batch, recordbatch.StoredLimit)
	if err != nil {
		return TxnMarker{}, false
	}
	defer it.close()
	r, err := it.next()
	if err != nil {
		return TxnMarker{}, false
	}
	var key kmsg.ControlRecordKey
	if key.ReadFrom(r.Key) != nil || (key.Type != controlTypeAbort && key.Type != controlTypeCommit) {
		return TxnMarker{}, false
	}
	var value kmsg.EndTxnMarker
	if value.ReadFrom(r.Value) != nil {
		return TxnMarker{}, false
	}
	return TxnMarker{ProducerID: batch.ProducerID(), ProducerEpoch: batch.ProducerEpoch(),
		CoordinatorEpoch: value.CoordinatorEpoch, Commit: key.Type == controlTypeCommit}, true
}

// readBatchAt reads the whole batch at pos of f (control batches are a few
// dozen bytes: replay reads them, never data batches).
func (s *segment) readBatchAt(pos, size int64) (header, error) {
	b := make([]byte, size)
	if _, err := s.log.ReadAt(b, pos); err != nil {
		return nil, fmt.Errorf("read control batch at byte %d of %s: %w", pos, s.log.Name(), err)
	}
	return header(b), nil
}
