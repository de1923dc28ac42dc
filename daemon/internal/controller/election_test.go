package controller

import (
	"slices"
	"testing"
)

func TestNextState(t *testing.T) {
	liveSet := func(ids ...int32) func(int32) bool {
		return func(id int32) bool { return slices.Contains(ids, id) }
	}
	tests := []struct {
		name       string
		cur        PartitionState
		replicas   []int32
		live       func(int32) bool
		unclean    bool
		wantOK     bool
		wantLeader int32
		wantISR    []int32
	}{
		{"all alive: nothing to do", PartitionState{Leader: 1, ISR: []int32{1, 2}}, []int32{1, 2}, liveSet(1, 2), false, false, 1, []int32{1, 2}},
		{"leader died: next ISR member in assignment order", PartitionState{Leader: 1, LeaderEpoch: 4, ISR: []int32{1, 3, 2}}, []int32{1, 2, 3}, liveSet(2, 3), false, true, 2, []int32{3, 2}},
		{"follower died: ISR shrinks, leader stays", PartitionState{Leader: 1, ISR: []int32{1, 2}}, []int32{1, 2}, liveSet(1), false, true, 1, []int32{1}},
		{"last ISR member died: offline, ISR keeps it", PartitionState{Leader: 1, ISR: []int32{1}}, []int32{1, 2}, liveSet(2), false, true, -1, []int32{1}},
		{"offline stays offline while ISR is dead", PartitionState{Leader: -1, ISR: []int32{1}}, []int32{1, 2}, liveSet(2), false, false, -1, []int32{1}},
		{"ISR member returns: it leads again", PartitionState{Leader: -1, ISR: []int32{1}}, []int32{1, 2}, liveSet(1, 2), false, true, 1, []int32{1}},
		{"unclean: any live replica leads, alone in ISR", PartitionState{Leader: 1, ISR: []int32{1}}, []int32{1, 2}, liveSet(2), true, true, 2, []int32{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := nextState(tt.cur, tt.replicas, tt.live, tt.unclean)
			if ok != tt.wantOK || got.Leader != tt.wantLeader || !slices.Equal(got.ISR, tt.wantISR) {
				t.Fatalf("nextState = %+v, %v; want leader %d isr %v ok %v", got, ok, tt.wantLeader, tt.wantISR, tt.wantOK)
			}
			if ok && got.LeaderEpoch != tt.cur.LeaderEpoch+1 {
				t.Fatalf("leader epoch = %d, want %d", got.LeaderEpoch, tt.cur.LeaderEpoch+1)
			}
		})
	}
}
