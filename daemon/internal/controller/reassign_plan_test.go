package controller

import (
	"slices"
	"testing"
)

func TestReassignTo(t *testing.T) {
	tests := []struct {
		name   string
		cur    PartitionAssignment
		target []int32
		want   PartitionAssignment
	}{
		{"grow RF 1 to 3", PartitionAssignment{Replicas: []int32{1}}, []int32{1, 2, 3},
			PartitionAssignment{Replicas: []int32{1, 2, 3}, Adding: []int32{2, 3}, Removing: []int32{}}},
		{"move: target first, then the leaving replicas", PartitionAssignment{Replicas: []int32{1, 2, 3}}, []int32{2, 3, 4},
			PartitionAssignment{Replicas: []int32{2, 3, 4, 1}, Adding: []int32{4}, Removing: []int32{1}}},
		{"shrink", PartitionAssignment{Replicas: []int32{1, 2, 3}}, []int32{3},
			PartitionAssignment{Replicas: []int32{3, 1, 2}, Adding: []int32{}, Removing: []int32{1, 2}}},
		{"reorder is no reassignment", PartitionAssignment{Replicas: []int32{1, 2, 3}}, []int32{3, 2, 1},
			PartitionAssignment{Replicas: []int32{3, 2, 1}, Adding: []int32{}, Removing: []int32{}}},
		{"new target over one under way starts from the origin",
			PartitionAssignment{Replicas: []int32{2, 3, 4, 1}, Adding: []int32{4}, Removing: []int32{1}}, []int32{1, 5},
			PartitionAssignment{Replicas: []int32{1, 5, 2, 3}, Adding: []int32{5}, Removing: []int32{2, 3}}},
		{"back to the origin is a cancellation",
			PartitionAssignment{Replicas: []int32{2, 3, 4, 1}, Adding: []int32{4}, Removing: []int32{1}}, []int32{1, 2, 3},
			PartitionAssignment{Replicas: []int32{1, 2, 3}, Adding: []int32{}, Removing: []int32{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cur.reassignTo(tt.target)
			if !slices.Equal(got.Replicas, tt.want.Replicas) || !slices.Equal(got.Adding, tt.want.Adding) || !slices.Equal(got.Removing, tt.want.Removing) {
				t.Fatalf("reassignTo(%v) = %+v, want %+v", tt.target, got, tt.want)
			}
			if !slices.Equal(got.target(), tt.target) && got.reassigning() {
				t.Fatalf("target() = %v, want %v", got.target(), tt.target)
			}
			if origin := got.origin(); got.reassigning() && !sameSet(origin, tt.cur.origin()) {
				t.Fatalf("origin() = %v, want %v", origin, tt.cur.origin())
			}
		})
	}
}
