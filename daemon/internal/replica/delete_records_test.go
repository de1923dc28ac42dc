package replica_test

import (
	"errors"
	"testing"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

func TestDeleteRecordsBefore(t *testing.T) {
	// Five records, three of them replicated to the follower: the high
	// watermark is 3, the log end 5. Two were deleted earlier: the log
	// start is 2.
	leader := replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}}
	tests := []struct {
		name  string
		state replica.State
		// noDelete: the topic's cleanup.policy lacks "delete".
		noDelete bool
		offset   int64
		want     int64
		wantErr  error
	}{
		{name: "up to an offset", state: leader, offset: 3, want: 3},
		{name: "the high watermark", state: leader, offset: replica.DeleteToHighWatermark, want: 3},
		{name: "below the log start changes nothing", state: leader, offset: 1, want: 2},
		{name: "past the high watermark", state: leader, offset: 4, want: -1, wantErr: partitionlog.ErrOffsetOutOfRange},
		{name: "negative", state: leader, offset: -2, want: -1, wantErr: partitionlog.ErrOffsetOutOfRange},
		{name: "cleanup.policy without delete", state: leader, noDelete: true, offset: 3, want: -1, wantErr: replica.ErrDeleteRecordsRefused},
		{name: "on a follower", state: replica.State{Leader: 2, LeaderEpoch: 1, Replicas: []int32{1, 2}, ISR: []int32{1, 2}},
			offset: 3, want: -1, wantErr: replica.ErrNotLeaderOrFollower},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, logs := newManager(t)
			p := lead(t, m, leader)
			mustAppend(t, p, 5)
			if _, err := p.Read(replica.FetchParams{Offset: 3, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: 2}); err != nil {
				t.Fatal(err)
			}
			if _, err := p.DeleteRecordsBefore(2); err != nil {
				t.Fatal(err)
			}
			if tc.state.Leader != self {
				lead(t, m, tc.state)
			}
			if tc.noDelete {
				cfg := partitionlog.DefaultConfig()
				cfg.NoDeletePolicy = true
				logs.SetConfig(partitionlog.TopicPartition{Topic: "t"}, cfg)
			}
			got, err := p.DeleteRecordsBefore(tc.offset)
			if got != tc.want || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("DeleteRecordsBefore(%d) = %d, %v; want %d, %v", tc.offset, got, err, tc.want, tc.wantErr)
			}
			wantStart := max(tc.want, 2)
			if logStart, _, _ := p.Offsets(); logStart != wantStart {
				t.Fatalf("log start %d, want %d", logStart, wantStart)
			}
		})
	}
}
