package replica_test

import (
	"errors"
	"testing"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

// TestAppendValidatesOutsideThePartitionLock: a produce's validation runs
// without the partition's lock, and what changes while it runs (leadership,
// the leader epoch, the ISR) is judged again under the lock of the write.
func TestAppendValidatesOutsideThePartitionLock(t *testing.T) {
	leader := replica.State{Leader: self, LeaderEpoch: 3, Replicas: []int32{1, 2}, ISR: []int32{1, 2}}
	tests := []struct {
		name      string
		meanwhile replica.State // applied while the batch validates; zero: nothing changes
		want      error
		wantEpoch int32 // of the stored batch
	}{
		{name: "nothing changes", wantEpoch: 3},
		{name: "a newer epoch is stamped", meanwhile: replica.State{Leader: self, LeaderEpoch: 5, Replicas: []int32{1, 2}, ISR: []int32{1, 2}}, wantEpoch: 5},
		{name: "leadership lost", meanwhile: replica.State{Leader: 2, LeaderEpoch: 4, Replicas: []int32{1, 2}, ISR: []int32{2}}, want: replica.ErrNotLeaderOrFollower},
		{name: "ISR shrunk below min.insync.replicas", meanwhile: replica.State{Leader: self, LeaderEpoch: 4, Replicas: []int32{1, 2}, ISR: []int32{1}}, want: replica.ErrNotEnoughReplicas},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newManager(t)
			p := lead(t, m, leader)
			info, err := p.AppendPreparedBy(-1, 2, func(l *partitionlog.Log) (partitionlog.Prepared, error) {
				if p.Locked() {
					t.Error("validation runs under the partition's lock")
				}
				if tc.meanwhile.Leader != 0 {
					lead(t, m, tc.meanwhile)
				}
				return l.Prepare(records(3))
			})
			if !errors.Is(err, tc.want) {
				t.Fatalf("append: %v, want %v", err, tc.want)
			}
			_, _, leo := p.Offsets()
			if tc.want != nil {
				if leo != 0 {
					t.Fatalf("a refused append moved the log end to %d", leo)
				}
				return
			}
			if info.FirstOffset != 0 || info.LastOffset != 2 || leo != 3 {
				t.Fatalf("appended %d..%d, log end %d; want 0..2, 3", info.FirstOffset, info.LastOffset, leo)
			}
			if got := p.EpochForOffset(0); got != tc.wantEpoch {
				t.Fatalf("stored epoch %d, want %d", got, tc.wantEpoch)
			}
		})
	}
}
