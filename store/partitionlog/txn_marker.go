package partitionlog

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"
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
	rec := kmsg.Record{Key: key, Value: value}
	rec.Length = int32(encodedRecordLen(&rec) - 1) // the length varint of a small record is one byte
	records := rec.AppendTo(nil)
	b := kmsg.RecordBatch{
		PartitionLeaderEpoch: leaderEpoch, Magic: currentMagic,
		Attributes:     attrControl | attrTransactional,
		FirstTimestamp: now, MaxTimestamp: now,
		ProducerID: m.ProducerID, ProducerEpoch: m.ProducerEpoch, FirstSequence: -1,
		NumRecords: 1, Records: records,
	}
	b.Length = int32(batchHeaderSize - logOverhead + len(records))
	h := header(b.AppendTo(make([]byte, 0, batchHeaderSize+len(records))))
	h.setCRC(h.computeCRC())
	return h
}

// isControl reports whether the batch is a control batch.
func (h header) isControl() bool { return h.attributes()&attrControl != 0 }

// isTransactional reports whether the batch belongs to a transaction.
func (h header) isTransactional() bool { return h.attributes()&attrTransactional != 0 }

// markerOf decodes the control record of a whole control batch. ok is false
// for a control batch that is no transaction marker (another control type,
// or one that does not decode): Kafka ignores those in producer state.
func markerOf(batch header) (m TxnMarker, ok bool) {
	it, err := openRecords(batch, readDecompressedLimit)
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
	return TxnMarker{ProducerID: batch.producerID(), ProducerEpoch: batch.producerEpoch(),
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
