package handler_test

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/txn"
	"github.com/kqhq/kq/store/partitionlog"
)

// endTxn writes a marker through the replica layer (the WriteTxnMarkers
// handler is tested on its own).
func (f *fixture) endTxn(topic string, pid int64, commit bool) {
	f.t.Helper()
	m := partitionlog.TxnMarker{ProducerID: pid, Commit: commit}
	if _, err := mustPartition(f, topic, 0).AppendTxnMarker(m, 1); err != nil {
		f.t.Fatalf("marker of %d: %v", pid, err)
	}
}

// batchesIn returns the base offset and last offset of each batch of a
// fetch response's records.
func batchesIn(t *testing.T, data []byte) [][2]int64 {
	t.Helper()
	var out [][2]int64
	for len(data) > 0 {
		size := 12 + int(binary.BigEndian.Uint32(data[8:12]))
		var b kmsg.RecordBatch
		if err := b.ReadFrom(data[:size]); err != nil {
			t.Fatal(err)
		}
		out = append(out, [2]int64{b.FirstOffset, b.FirstOffset + int64(b.LastOffsetDelta)})
		data = data[size:]
	}
	return out
}

func abortedOf(p kmsg.FetchResponseTopicPartition) [][2]int64 {
	if p.AbortedTransactions == nil {
		return nil
	}
	out := [][2]int64{}
	for _, a := range p.AbortedTransactions {
		out = append(out, [2]int64{a.ProducerID, a.FirstOffset})
	}
	return out
}

// TestFetchReadCommitted: producer 7's aborted transaction, a plain batch,
// then producer 8's open transaction. read_committed reads below the last
// stable offset (8's first offset) and learns 7's abort; read_uncommitted
// reads everything and gets null.
func TestFetchReadCommitted(t *testing.T) {
	f := newFixture(t)
	// One segment: the markers' timestamps (now) are decades after the
	// batches', which segment.ms would roll on, and a read stops at a
	// segment's end.
	f.logCfg.set("t", func(c *partitionlog.Config) { c.SegmentMs = math.MaxInt64 })
	f.topic("t", ledHere(1)...)
	f.produce("t", 0, txnBatch(7, 0, 0, "a", "b")) // 0-1
	f.produce("t", 0, batch(1000, "c"))            // 2
	f.produce("t", 0, txnBatch(8, 0, 0, "d"))      // 3
	f.endTxn("t", 7, false)                        // 4: abort
	conn := f.dial()
	fetch := func(isolation int8, offset int64) kmsg.FetchResponseTopicPartition {
		req := fetchReq(0, 1, 1<<20, fetchPart{topic: "t", offset: offset, epoch: -1})
		req.IsolationLevel = isolation
		return conn.call(req).(*kmsg.FetchResponse).Topics[0].Partitions[0]
	}
	tests := []struct {
		name      string
		commit8   bool // producer 8 commits first
		isolation int8
		offset    int64
		batches   [][2]int64
		aborted   [][2]int64
		lso       int64
	}{
		{"read_committed stops at the open transaction", false, 1, 0, [][2]int64{{0, 1}, {2, 2}}, [][2]int64{{7, 0}}, 3},
		{"read_committed at the last stable offset: nothing, an empty list", false, 1, 3, nil, [][2]int64{}, 3},
		{"read_uncommitted reads all, aborted null", false, 0, 0, [][2]int64{{0, 1}, {2, 2}, {3, 3}, {4, 4}}, nil, 3},
		{"after the commit, all of it", true, 1, 3, [][2]int64{{3, 3}, {4, 4}, {5, 5}}, [][2]int64{{7, 0}}, 6},
		{"past the abort's marker, no aborted entry", true, 1, 5, [][2]int64{{5, 5}}, [][2]int64{}, 6},
	}
	for _, tt := range tests {
		if tt.commit8 && mustLog(f, "t", 0).LogEndOffset() == 5 {
			f.endTxn("t", 8, true) // 5
		}
		p := fetch(tt.isolation, tt.offset)
		if p.ErrorCode != 0 || p.LastStableOffset != tt.lso {
			t.Fatalf("%s: code %d last stable %d, want %d", tt.name, p.ErrorCode, p.LastStableOffset, tt.lso)
		}
		if got := batchesIn(t, p.RecordBatches); !slices.Equal(got, tt.batches) {
			t.Errorf("%s: batches %v, want %v", tt.name, got, tt.batches)
		}
		if got := abortedOf(p); !slices.Equal(got, tt.aborted) || (got == nil) != (tt.aborted == nil) {
			t.Errorf("%s: aborted %v, want %v", tt.name, got, tt.aborted)
		}
	}
}

// TestFetchReadCommittedLongPoll: records of an open transaction do not
// satisfy min_bytes for read_committed; its marker does.
func TestFetchReadCommittedLongPoll(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	req := fetchReq(int32(time.Hour.Milliseconds()), 1, 1<<20, fetchPart{topic: "t", epoch: -1})
	req.IsolationLevel = 1
	out, err := f.send(req)
	if err != nil {
		t.Fatal(err)
	}
	f.produce("t", 0, txnBatch(7, 0, 0, "a"))
	if isReady(out) {
		t.Fatal("an open transaction's records answered a read_committed long poll")
	}
	f.endTxn("t", 7, true)
	p := f.settle(req, out).(*kmsg.FetchResponse).Topics[0].Partitions[0]
	if p.ErrorCode != 0 || p.LastStableOffset != 2 || len(p.RecordBatches) == 0 {
		t.Fatalf("partition %+v", p)
	}
}

func TestListOffsetsReadCommitted(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.produce("t", 0, batch(1000, "a"))       // 0, timestamp 1000
	f.produce("t", 0, txnBatch(7, 0, 0, "b")) // 1, timestamp 1000
	f.produce("t", 0, batch(5000, "c"))       // 2, timestamp 5000
	tests := []struct {
		name      string
		isolation int8
		timestamp int64
		want      int64
	}{
		{"latest, read_uncommitted: the high watermark", 0, -1, 3},
		{"latest, read_committed: the last stable offset", 1, -1, 1},
		{"a timestamp below the last stable offset", 1, 1000, 0},
		{"a timestamp past the last stable offset finds nothing", 1, 4000, -1},
		{"the same, read_uncommitted", 0, 4000, 2},
	}
	for _, tt := range tests {
		req := listOffsetsReq(7, "t", 0, tt.timestamp)
		req.IsolationLevel = tt.isolation
		p := f.call(req).(*kmsg.ListOffsetsResponse).Topics[0].Partitions[0]
		if p.ErrorCode != 0 || p.Offset != tt.want {
			t.Errorf("%s: code %d offset %d, want %d", tt.name, p.ErrorCode, p.Offset, tt.want)
		}
	}
}

func TestProduceTransactionalRules(t *testing.T) {
	control := txnBatch(9, 0, 0, "x")
	control[22] |= 0x20
	binary.BigEndian.PutUint32(control[17:21], crc32.Checksum(control[crcStart:], castagnoli))
	tests := []struct {
		name  string
		batch []byte
		code  int16
	}{
		{"a transactional batch opens a transaction", txnBatch(7, 0, 0, "a"), 0},
		{"a forged control batch is INVALID_RECORD", control, kerr.InvalidRecord.Code},
		{"a plain batch of the producer in its transaction", idempotentBatch(7, 0, 1, "b"), kerr.InvalidTxnState.Code},
		{"another producer is unaffected", idempotentBatch(8, 0, 0, "c"), 0},
	}
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	for _, tt := range tests {
		p := f.call(produceReq(1, "t", 0, tt.batch)).(*kmsg.ProduceResponse).Topics[0].Partitions[0]
		if p.ErrorCode != tt.code {
			t.Errorf("%s: code %d (%v), want %d", tt.name, p.ErrorCode, kerr.ErrorForCode(p.ErrorCode), tt.code)
		}
	}
}

// TestProduceVerifiesTransactions (KIP-890): the first transactional write
// to a partition is checked with the coordinator, later ones are not.
func TestProduceVerifiesTransactions(t *testing.T) {
	tests := []struct {
		name    string
		answer  error
		code    int16
		written bool
	}{
		{"added to the transaction", nil, 0, true},
		{"not added", kerr.InvalidTxnState, kerr.InvalidTxnState.Code, false},
		{"not added, as the coordinator says it", kerr.TransactionAbortable, kerr.InvalidTxnState.Code, false},
		{"fenced", kerr.InvalidProducerEpoch, kerr.InvalidProducerEpoch.Code, false},
		{"fenced, as the coordinator says it", kerr.ProducerFenced, kerr.InvalidProducerEpoch.Code, false},
		{"coordinator unreachable: retriable", kerr.NetworkException, kerr.NotEnoughReplicas.Code, false},
		{"coordinator moving: retriable", kerr.NotCoordinator, kerr.NotEnoughReplicas.Code, false},
		{"concurrent transactions: retriable", kerr.ConcurrentTransactions, kerr.NotEnoughReplicas.Code, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(1)...)
			v := &fakeVerifier{err: tt.answer}
			f.withVerifier(v)
			txnID := "tx"
			req := produceReq(1, "t", 0, txnBatch(7, 0, 0, "a"))
			req.TransactionID = &txnID
			p := f.call(req).(*kmsg.ProduceResponse).Topics[0].Partitions[0]
			leo := mustLog(f, "t", 0).LogEndOffset()
			if p.ErrorCode != tt.code || (leo == 1) != tt.written {
				t.Fatalf("code %d (%v) log end %d, want %d written %v", p.ErrorCode, kerr.ErrorForCode(p.ErrorCode), leo, tt.code, tt.written)
			}
			if want := []txn.TopicPartition{{Topic: "t", Partition: 0}}; !slices.Equal(v.asked, want) {
				t.Fatalf("asked %v, want %v", v.asked, want)
			}
			if !tt.written {
				return
			}
			req = produceReq(1, "t", 0, txnBatch(7, 0, 1, "b"))
			req.TransactionID = &txnID
			if p := f.call(req).(*kmsg.ProduceResponse).Topics[0].Partitions[0]; p.ErrorCode != 0 || len(v.asked) != 1 {
				t.Fatalf("inside the open transaction: code %d, asked %v", p.ErrorCode, v.asked)
			}
		})
	}
}

// TestProduceWithoutVerification: a plain produce, or verification off,
// never asks the coordinator.
func TestProduceWithoutVerification(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	v := &fakeVerifier{err: errors.New("must not be asked")}
	f.withVerifier(v)
	f.produce("t", 0, idempotentBatch(7, 0, 0, "a"))
	f.produce("t", 0, txnBatch(8, 0, 0, "b")) // no transactional id in the request
	if len(v.asked) != 0 {
		t.Fatalf("asked %v", v.asked)
	}
}
