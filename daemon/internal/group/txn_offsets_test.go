package group

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

var tp0 = TopicPartition{"t", 0}

func TestTxnOffsetsVisibleOnlyAfterCommitMarker(t *testing.T) {
	for _, commit := range []bool{true, false} {
		t.Run(map[bool]string{true: "commit", false: "abort"}[commit], func(t *testing.T) {
			h := newHarness(t, testConfig())
			commitOne(h, simpleCommit("g", "t", 0, 5))
			if errs := txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10)); errs[0] != nil {
				t.Fatalf("txn commit: %v", errs[0])
			}
			if f := fetchOne(t, h, "g", tp0, false); f.Offset != 5 || f.Err != nil {
				t.Fatalf("pending offset visible: %+v", f)
			}
			if f := fetchOne(t, h, "g", tp0, true); f.Err != kerr.UnstableOffsetCommit || f.Offset != -1 {
				t.Fatalf("require stable while pending: %+v", f)
			}
			h.appendMarker(h.c.PartitionFor("g"), 9, commit)
			want := map[bool]int64{true: 10, false: 5}[commit]
			if f := fetchOne(t, h, "g", tp0, true); f.Offset != want || f.Err != nil {
				t.Fatalf("after marker: %+v, want offset %d", f, want)
			}
		})
	}
}

func TestTxnOffsetsMarkerOfOtherProducerOrPartition(t *testing.T) {
	h := newHarness(t, testConfig())
	txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10))
	p := h.c.PartitionFor("g")
	h.appendMarker(p, 8, true)                      // another producer
	h.appendMarker((p+1)%h.c.Partitions(), 9, true) // another partition
	if f := fetchOne(t, h, "g", tp0, true); f.Err != kerr.UnstableOffsetCommit {
		t.Fatalf("completed by a foreign marker: %+v", f)
	}
}

// TestTxnCommitOrderingWithRegularCommit follows Kafka's
// completePendingTxnOffsetCommit: the record later in the log wins.
func TestTxnCommitOrderingWithRegularCommit(t *testing.T) {
	t.Run("regular commit after the txn commit wins", func(t *testing.T) {
		h := newHarness(t, testConfig())
		txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10))
		commitOne(h, simpleCommit("g", "t", 0, 20))
		h.appendMarker(h.c.PartitionFor("g"), 9, true)
		if f := fetchOne(t, h, "g", tp0, false); f.Offset != 20 {
			t.Fatalf("offset %d, want 20", f.Offset)
		}
		reloaded := newHarnessOn(t, testConfig(), h.log, h.clock)
		if f := fetchOne(t, reloaded, "g", tp0, false); f.Offset != 20 {
			t.Fatalf("after load offset %d, want 20", f.Offset)
		}
	})
	t.Run("txn commit after the regular commit wins", func(t *testing.T) {
		h := newHarness(t, testConfig())
		commitOne(h, simpleCommit("g", "t", 0, 20))
		txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10))
		h.appendMarker(h.c.PartitionFor("g"), 9, true)
		if f := fetchOne(t, h, "g", tp0, false); f.Offset != 10 {
			t.Fatalf("offset %d, want 10", f.Offset)
		}
	})
}

func TestTxnCommitValidation(t *testing.T) {
	h := newHarness(t, testConfig())
	inst := "i1"
	a := &consumer{client: "a", instance: &inst, protos: protos("range")}
	h.stableGroup("g", a)
	other := "i2"
	big := strings.Repeat("m", 4097)
	req := func(gen int32, member string, instance *string) TxnCommitRequest {
		r := simpleTxnCommit("g", 9, "t", 0, 1)
		r.Generation, r.MemberID, r.InstanceID = gen, member, instance
		return r
	}
	tests := []struct {
		name string
		req  TxnCommitRequest
		want error
	}{
		{"before KIP-447: no member to check", req(-1, "", nil), nil},
		{"current member and generation", req(1, a.id, &inst), nil},
		{"stale generation", req(0, a.id, &inst), kerr.IllegalGeneration},
		{"unknown member", req(1, "x", nil), kerr.UnknownMemberID},
		{"fenced static member", req(1, "x", &inst), kerr.FencedInstanceID},
		{"unknown instance id", req(1, a.id, &other), kerr.UnknownMemberID},
		{"unknown group without generation", func() TxnCommitRequest { r := req(-1, "", nil); r.Group = "new"; return r }(), nil},
		{"empty group id", func() TxnCommitRequest { r := req(-1, "", nil); r.Group = ""; return r }(), kerr.InvalidGroupID},
		{"metadata too large", func() TxnCommitRequest { r := req(-1, "", nil); r.Offsets[0].Metadata = &big; return r }(), kerr.OffsetMetadataTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, "txn commit", txnCommit(h, tt.req)[0], tt.want)
		})
	}
}

func TestTxnCommitNotCoordinator(t *testing.T) {
	h := newHarness(t, testConfig())
	h.c.BecameFollower(h.c.PartitionFor("g"))
	var errs []error
	h.c.CommitTxnOffsets(simpleTxnCommit("g", 9, "t", 0, 1), func(e []error) { errs = e })
	wantErr(t, "unowned partition", errs[0], kerr.NotCoordinator)
}

func TestTxnCommitWriteFailureLeavesNothingPending(t *testing.T) {
	h := newHarness(t, testConfig())
	h.log.failErr = kerr.NotEnoughReplicas
	wantErr(t, "failed write", txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 1))[0], kerr.CoordinatorNotAvailable)
	if f := fetchOne(t, h, "g", tp0, true); f.Err != nil || f.Offset != -1 {
		t.Fatalf("failed txn commit still pending: %+v", f)
	}
}

// TestTxnCommitBatchFormat checks the batch is the producer's
// transactional batch of Kafka's offset commit records.
func TestTxnCommitBatchFormat(t *testing.T) {
	h := newHarness(t, testConfig())
	req := simpleTxnCommit("g", 9, "t", 0, 10)
	req.ProducerEpoch = 4
	txnCommit(h, req)
	data, _ := h.log.Read(h.c.PartitionFor("g"), 0, 1<<20)
	var b kmsg.RecordBatch
	if err := b.ReadFrom(data); err != nil {
		t.Fatal(err)
	}
	if b.Attributes != recordbatch.AttrTransactional || b.ProducerID != 9 || b.ProducerEpoch != 4 || b.FirstSequence != recordbatch.NoSequence || b.NumRecords != 1 {
		t.Fatalf("batch header %+v", b)
	}
	recs, _, err := decodeBatches(data)
	if err != nil || len(recs) != 1 || !recs[0].transactional || string(recs[0].key) != string(offsetKey("g", tp0)) {
		t.Fatalf("records %+v %v", recs, err)
	}
}

func TestLoadTransactionalOffsets(t *testing.T) {
	tests := []struct {
		name       string
		marker     *bool
		wantOffset int64
		wantErr    error
	}{
		{"open transaction stays pending", nil, 5, kerr.UnstableOffsetCommit},
		{"committed", ptr(true), 10, nil},
		{"aborted", ptr(false), 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, testConfig())
			commitOne(h, simpleCommit("g", "t", 0, 5))
			txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10))
			txnCommit(h, simpleTxnCommit("only-txn", 9, "t", 0, 10))
			if tt.marker != nil {
				h.appendMarker(h.c.PartitionFor("g"), 9, *tt.marker)
				h.appendMarker(h.c.PartitionFor("only-txn"), 9, *tt.marker)
			}
			h2 := newHarnessOn(t, testConfig(), h.log, h.clock)
			if f := fetchOne(t, h2, "g", tp0, false); f.Offset != tt.wantOffset {
				t.Fatalf("offset after load %d, want %d", f.Offset, tt.wantOffset)
			}
			if f := fetchOne(t, h2, "g", tp0, true); f.Err != tt.wantErr {
				t.Fatalf("require stable after load: %v, want %v", f.Err, tt.wantErr)
			}
			if tt.marker == nil {
				h2.wantState("only-txn", Empty) // a group known only by pending offsets
				h2.appendMarker(h2.c.PartitionFor("g"), 9, true)
				if f := fetchOne(t, h2, "g", tp0, true); f.Offset != 10 || f.Err != nil {
					t.Fatalf("commit after load: %+v", f)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestMarkerWhileLoadingIsApplied: a marker written while the partition
// loads is applied once its groups are installed.
func TestMarkerWhileLoadingIsApplied(t *testing.T) {
	h := newHarness(t, testConfig())
	txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10))
	p := h.c.PartitionFor("g")
	s := h.c.shards[p]
	s.mu.Lock()
	s.status = loading // as if the load had not reached the end
	s.mu.Unlock()
	h.c.CompleteTxn(p, 9, true, 1<<40)
	s.mu.Lock()
	s.status = loaded
	s.replayTxnEnds()
	s.mu.Unlock()
	if f := fetchOne(t, h, "g", tp0, true); f.Offset != 10 || f.Err != nil {
		t.Fatalf("after load: %+v", f)
	}
}

func TestExpiryKeepsPendingTxnOffsets(t *testing.T) {
	cfg := testConfig()
	h := newHarness(t, cfg)
	commitOne(h, simpleCommit("g", "t", 1, 5))
	txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10))
	h.clock.Advance(cfg.OffsetsRetention + time.Minute)
	if n := h.c.ExpireOffsets(); n != 1 {
		t.Fatalf("%d offsets expired, want 1", n)
	}
	h.log.settle()
	h.wantState("g", Empty) // kept: offsets wait for the transaction
	h.appendMarker(h.c.PartitionFor("g"), 9, true)
	if f := fetchOne(t, h, "g", tp0, true); f.Offset != 10 {
		t.Fatalf("after expiry and commit: %+v", f)
	}
}

func TestDeleteOffsetsDropsPendingTxnOffsets(t *testing.T) {
	h := newHarness(t, testConfig())
	txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10))
	if _, err := h.c.DeleteOffsets("g", []TopicPartition{tp0}); err != nil {
		t.Fatal(err)
	}
	if f := fetchOne(t, h, "g", tp0, true); f.Err != nil {
		t.Fatalf("deleted partition still pending: %+v", f)
	}
	h.appendMarker(h.c.PartitionFor("g"), 9, true)
	if f := fetchOne(t, h, "g", tp0, true); f.Offset != -1 {
		t.Fatalf("deleted offset came back: %+v", f)
	}
}

// TestRequireStableWhileRegularCommitInFlight: Kafka's pending offset
// commits (written, not yet replicated) are unstable too.
func TestRequireStableWhileRegularCommitInFlight(t *testing.T) {
	h := newHarness(t, testConfig())
	h.c.CommitOffsets(simpleCommit("g", "t", 0, 42), func([]error) {})
	if f := fetchOne(t, h, "g", tp0, true); f.Err != kerr.UnstableOffsetCommit {
		t.Fatalf("in-flight commit: %+v", f)
	}
	h.log.settle()
	if f := fetchOne(t, h, "g", tp0, true); f.Offset != 42 || f.Err != nil {
		t.Fatalf("settled commit: %+v", f)
	}
}

func TestDecodeMarkerOfUnknownControlType(t *testing.T) {
	b := markerBatch(3, 0, true)
	// Make the key type 5 (KRAFT_VERSION): not a commit, so it drops.
	recStart := recordbatch.HeaderSize
	keyTypeAt := recStart + 1 + 1 + 1 + 1 + 1 + 2 // length, attrs, ts delta, offset delta, key length, key version
	binary.BigEndian.PutUint16(b[keyTypeAt:], 5)
	binary.BigEndian.PutUint32(b[17:21], crcOf(b))
	recs, _, err := decodeBatches(b)
	if err != nil || len(recs) != 1 || recs[0].marker == nil || recs[0].marker.commit {
		t.Fatalf("%+v %v", recs, err)
	}
}

// TestLateMarkerLeavesNextTransactionPending: a marker answered late (a
// resent one) ends only the offsets written before it.
func TestLateMarkerLeavesNextTransactionPending(t *testing.T) {
	h := newHarness(t, testConfig())
	p := h.c.PartitionFor("g")
	txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 10))
	marker, _ := h.log.Append(p, 0, markerBatch(9, 0, true), func(error) {})
	h.log.settle()
	h.c.CompleteTxn(p, 9, true, marker)
	txnCommit(h, simpleTxnCommit("g", 9, "t", 0, 20)) // the next transaction
	h.c.CompleteTxn(p, 9, true, marker)               // the first marker again
	if f := fetchOne(t, h, "g", tp0, true); f.Err != kerr.UnstableOffsetCommit {
		t.Fatalf("next transaction's offset ended by an earlier marker: %+v", f)
	}
	if f := fetchOne(t, h, "g", tp0, false); f.Offset != 10 {
		t.Fatalf("committed offset %d, want 10", f.Offset)
	}
}
