package group

import (
	"encoding/binary"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// markerBatch is a transaction marker as Kafka's
// MemoryRecords.withEndTransactionMarker writes it: a control and
// transactional batch of one record (ControlRecordKey, EndTxnMarker).
func markerBatch(pid int64, epoch int16, commit bool) []byte {
	typ := kmsg.ControlRecordKeyType(0)
	if commit {
		typ = controlCommit
	}
	key := (&kmsg.ControlRecordKey{Type: typ}).AppendTo(nil)
	value := (&kmsg.EndTxnMarker{CoordinatorEpoch: 3}).AppendTo(nil)
	rec := kmsg.Record{Key: key, Value: value}
	rec.Length = int32(len(rec.AppendTo(nil)) - 1)
	b := kmsg.RecordBatch{
		PartitionLeaderEpoch: -1, Magic: 2, Attributes: recordbatch.AttrControl | recordbatch.AttrTransactional,
		ProducerID: pid, ProducerEpoch: epoch, FirstSequence: -1, NumRecords: 1, Records: rec.AppendTo(nil),
	}
	out := b.AppendTo(nil)
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)-12))
	binary.BigEndian.PutUint32(out[17:21], recordbatch.Header(out).ComputeCRC())
	return out
}

// appendMarker writes a marker to the fake log, as the partition leader
// does for WriteTxnMarkers, and tells the coordinator, as the handler
// does once it is committed.
func (h *harness) appendMarker(partition int32, pid int64, commit bool) {
	h.t.Helper()
	off, err := h.log.Append(partition, 0, markerBatch(pid, 0, commit), func(error) {})
	if err != nil {
		h.t.Fatal(err)
	}
	h.log.settle()
	h.c.CompleteTxn(partition, pid, commit, off)
}

// txnCommit commits one offset transactionally and returns the answer
// once the write settled.
func txnCommit(h *harness, req TxnCommitRequest) []error {
	h.t.Helper()
	var errs []error
	h.c.CommitTxnOffsets(req, func(e []error) { errs = e })
	h.log.settle()
	if errs == nil {
		h.t.Fatal("TxnOffsetCommit not answered")
	}
	return errs
}

func simpleTxnCommit(group string, pid int64, topic string, partition int32, offset int64) TxnCommitRequest {
	return TxnCommitRequest{TransactionalID: "tx", Group: group, ProducerID: pid, ProducerEpoch: 0, Generation: -1,
		Offsets: []CommitOffset{{TopicPartition: TopicPartition{topic, partition}, Offset: offset, LeaderEpoch: 1, Timestamp: -1}}}
}

// fetchOne returns one partition's offset and error.
func fetchOne(t *testing.T, h *harness, group string, tp TopicPartition, requireStable bool) FetchedOffset {
	t.Helper()
	got, err := h.c.FetchStableOffsets(group, []TopicPartition{tp}, requireStable)
	if err != nil || len(got) != 1 {
		t.Fatalf("fetch %s %v: %+v %v", group, tp, got, err)
	}
	return got[0]
}

func crcOf(batch []byte) uint32 { return recordbatch.Header(batch).ComputeCRC() }
