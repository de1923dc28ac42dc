package recordfilter

import (
	"slices"
	"testing"
)

func TestPartitions(t *testing.T) {
	tests := []struct {
		expr string
		want []int32 // nil: any partition
	}{
		{"key:a", nil},
		{"partition=2", []int32{2}},
		{"partition:0,3 key:a", []int32{0, 3}},
		{"partition=0,1,2 and partition=1,2,5", []int32{1, 2}},
		{"partition=0 or partition=4", []int32{0, 4}},
		{"partition=0 or key:a", nil},
		{"(partition=1 or partition=2) and $.a", []int32{1, 2}},
		{"partition!=1", nil},
		{"partition<3", nil},
		{"not partition=1", nil},
		{"offset=1", nil},
		{"partition=0 and partition=1", []int32{}},
		{"partition=-1,99999999999", []int32{}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := Parse(tt.expr, now)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := f.Partitions()
			if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
				t.Fatalf("got %v %v, want %v", got, ok, tt.want)
			}
		})
	}
}
