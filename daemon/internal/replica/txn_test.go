package replica_test

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

// txnRecords is records(n) of a transactional producer at sequence 0.
func txnRecords(pid int64, n int) []byte {
	b := records(n)
	binary.BigEndian.PutUint64(b[43:], uint64(pid))
	binary.BigEndian.PutUint16(b[51:], 0)
	binary.BigEndian.PutUint32(b[53:], 0)
	binary.BigEndian.PutUint16(b[21:], 0x10)
	binary.BigEndian.PutUint32(b[17:21], crc32.Checksum(b[21:], crc32.MakeTable(crc32.Castagnoli)))
	return b
}

func TestAppendTxnMarkerChecks(t *testing.T) {
	tests := []struct {
		name      string
		state     replica.State
		minInsync int
		err       error
	}{
		{"leader", replica.State{Leader: self, Replicas: []int32{1}, ISR: []int32{1}}, 1, nil},
		{"follower", replica.State{Leader: 2, Replicas: []int32{1, 2}, ISR: []int32{1, 2}}, 1, replica.ErrNotLeaderOrFollower},
		{"ISR below min.insync.replicas", replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1}}, 2, replica.ErrNotEnoughReplicas},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t)
			p := lead(t, m, tt.state)
			changed := p.Changed()
			info, err := p.AppendTxnMarker(partitionlog.TxnMarker{ProducerID: 7, Commit: true}, tt.minInsync)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if _, hw, leo := p.Offsets(); err != nil && leo != 0 {
				t.Fatalf("a refused marker was written: log end %d", leo)
			} else if err == nil && (info.FirstOffset != 0 || hw != 1) {
				t.Fatalf("marker at %d, high watermark %d; want 0 and 1", info.FirstOffset, hw)
			}
			if err == nil {
				select {
				case <-changed:
				default:
					t.Fatal("no wake-up after the marker")
				}
			}
		})
	}
}

// TestReadCommittedWaitsForTheMarkerToReplicate: a committed transaction
// becomes readable to read_committed only once the follower has its
// marker (the high watermark passed it).
func TestReadCommittedWaitsForTheMarkerToReplicate(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	if _, err := p.AppendAsLeader(txnRecords(7, 3), 1, 1); err != nil { // 0..2
		t.Fatal(err)
	}
	if _, err := p.AppendTxnMarker(partitionlog.TxnMarker{ProducerID: 7, Commit: true}, 1); err != nil { // 3
		t.Fatal(err)
	}
	for _, step := range []struct {
		follower int64 // the follower's fetch offset
		lso      int64
	}{{0, 0}, {3, 0}, {4, 4}} {
		if _, err := p.Read(replica.FetchParams{Offset: step.follower, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: 2}); err != nil {
			t.Fatal(err)
		}
		res, err := p.Read(replica.FetchParams{MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: -1, IsolationLevel: replica.ReadCommitted})
		if err != nil {
			t.Fatal(err)
		}
		if res.LastStableOffset != step.lso || p.LastStableOffset() != step.lso || (res.Data.Len > 0) != (step.lso > 0) {
			t.Fatalf("follower at %d: last stable %d, %d bytes; want %d", step.follower, res.LastStableOffset, res.Data.Len, step.lso)
		}
		if res.AbortedTransactions == nil {
			t.Fatal("read_committed got a nil aborted list")
		}
	}
}
