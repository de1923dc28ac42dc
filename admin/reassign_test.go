package admin

import (
	"slices"
	"testing"
)

func TestReassignmentTargetAndLogDirSize(t *testing.T) {
	tests := []struct {
		r    PartitionReassignment
		want []int32
	}{
		{PartitionReassignment{Replicas: []int32{2, 3, 4, 1}, AddingReplicas: []int32{4}, RemovingReplicas: []int32{1}}, []int32{2, 3, 4}},
		{PartitionReassignment{Replicas: []int32{1, 2, 3}, AddingReplicas: []int32{2, 3}, RemovingReplicas: []int32{}}, []int32{1, 2, 3}},
		{PartitionReassignment{Replicas: []int32{3, 1, 2}, RemovingReplicas: []int32{1, 2}}, []int32{3}},
	}
	for _, tt := range tests {
		if got := tt.r.Target(); !slices.Equal(got, tt.want) {
			t.Errorf("Target of %+v = %v, want %v", tt.r, got, tt.want)
		}
		if len(tt.r.RemovingReplicas) > 0 && slices.Equal(tt.r.Replicas, tt.r.Target()) {
			t.Errorf("Target changed the reassignment's own replicas")
		}
	}
	d := LogDir{Partitions: []LogDirPartition{{Size: 10}, {Size: 32}}}
	if d.Size() != 42 {
		t.Errorf("LogDir.Size = %d, want 42", d.Size())
	}
}
