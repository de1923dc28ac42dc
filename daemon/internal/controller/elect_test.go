package controller

import (
	"errors"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

func liveSet(ids ...int32) func(int32) bool {
	return func(id int32) bool { return slices.Contains(ids, id) }
}

func TestDecisions(t *testing.T) {
	tests := []struct {
		name       string
		decide     decideFunc
		cur        PartitionState
		wantErr    error
		wantLeader int32
		wantISR    []int32
	}{
		{"preferred already leads", preferredElection([]int32{1, 2}, liveSet(1, 2)),
			PartitionState{Leader: 1, ISR: []int32{1, 2}}, kerr.ElectionNotNeeded, 1, []int32{1, 2}},
		{"preferred in ISR takes over", preferredElection([]int32{1, 2}, liveSet(1, 2)),
			PartitionState{Leader: 2, ISR: []int32{2, 1}}, nil, 1, []int32{2, 1}},
		{"preferred not in ISR", preferredElection([]int32{1, 2}, liveSet(1, 2)),
			PartitionState{Leader: 2, ISR: []int32{2}}, kerr.PreferredLeaderNotAvailable, 2, []int32{2}},
		{"preferred dead", preferredElection([]int32{1, 2}, liveSet(2)),
			PartitionState{Leader: 2, ISR: []int32{2, 1}}, kerr.PreferredLeaderNotAvailable, 2, []int32{2, 1}},
		{"unclean, leader live", uncleanElection([]int32{1, 2}, liveSet(1, 2)),
			PartitionState{Leader: 2, ISR: []int32{2}}, kerr.ElectionNotNeeded, 2, []int32{2}},
		{"unclean, live ISR member first", uncleanElection([]int32{1, 2, 3}, liveSet(2, 3)),
			PartitionState{Leader: -1, ISR: []int32{3}}, nil, 3, []int32{3}},
		{"unclean, outside the ISR", uncleanElection([]int32{1, 2}, liveSet(2)),
			PartitionState{Leader: -1, ISR: []int32{1}}, nil, 2, []int32{2}},
		{"unclean, nobody live", uncleanElection([]int32{1, 2}, liveSet()),
			PartitionState{Leader: -1, ISR: []int32{1}}, kerr.EligibleLeadersNotAvailable, -1, []int32{1}},
		{"shutdown: next in assignment order", moveLeader([]int32{1, 2, 3}, liveSet(1, 2, 3), liveSet(1)),
			PartitionState{Leader: 1, ISR: []int32{3, 1, 2}}, nil, 2, []int32{3, 2}},
		{"shutdown: no other ISR member", moveLeader([]int32{1, 2}, liveSet(1, 2), liveSet(1)),
			PartitionState{Leader: 1, ISR: []int32{1}}, kerr.EligibleLeadersNotAvailable, 1, []int32{1}},
		{"shutdown: other ISR member dead", moveLeader([]int32{1, 2, 3}, liveSet(1, 3), liveSet(1)),
			PartitionState{Leader: 1, ISR: []int32{1, 2}}, kerr.EligibleLeadersNotAvailable, 1, []int32{1, 2}},
		{"shutdown: other ISR member also shutting down", moveLeader([]int32{1, 2}, liveSet(1, 2), liveSet(1, 2)),
			PartitionState{Leader: 1, ISR: []int32{1, 2}}, kerr.EligibleLeadersNotAvailable, 1, []int32{1, 2}},
		{"follower leaves the ISR", shrinkIsr(2),
			PartitionState{Leader: 1, ISR: []int32{1, 2, 3}}, nil, 1, []int32{1, 3}},
		{"follower not in the ISR", shrinkIsr(2),
			PartitionState{Leader: 1, ISR: []int32{1}}, errNothingToDo, 1, []int32{1}},
		{"the ISR never empties", shrinkIsr(2),
			PartitionState{Leader: -1, ISR: []int32{2}}, errNothingToDo, -1, []int32{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cur.LeaderEpoch = 7
			got, err := tt.decide(tt.cur)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if got.Leader != tt.wantLeader || !slices.Equal(got.ISR, tt.wantISR) {
				t.Fatalf("got leader %d isr %v, want %d %v", got.Leader, got.ISR, tt.wantLeader, tt.wantISR)
			}
			wantEpoch := int32(7)
			if err == nil {
				wantEpoch = 8
			}
			if got.LeaderEpoch != wantEpoch {
				t.Fatalf("leader epoch %d, want %d", got.LeaderEpoch, wantEpoch)
			}
		})
	}
}
