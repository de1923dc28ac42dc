package controller

import (
	"slices"
	"testing"
)

func TestImbalanced(t *testing.T) {
	lead := func(topic string, p, preferred, leader int32) leadership {
		return leadership{tp: TopicPartition{topic, p}, preferred: preferred, leader: leader}
	}
	// Broker 1 prefers 4 partitions, 1 led elsewhere (25%); broker 2
	// prefers 2, both led elsewhere (100%); broker 3 leads its only one.
	ls := []leadership{
		lead("a", 0, 1, 1), lead("a", 1, 1, 1), lead("a", 2, 1, 1), lead("b", 0, 1, 3),
		lead("b", 1, 2, 1), lead("b", 2, 2, -1), lead("c", 0, 3, 3),
	}
	tests := []struct {
		percent int
		want    []TopicPartition
	}{
		{0, []TopicPartition{{"b", 0}, {"b", 1}, {"b", 2}}},
		{10, []TopicPartition{{"b", 0}, {"b", 1}, {"b", 2}}},
		{25, []TopicPartition{{"b", 1}, {"b", 2}}}, // 25% is not above 25%
		{99, []TopicPartition{{"b", 1}, {"b", 2}}},
		{100, nil},
	}
	for _, tt := range tests {
		if got := imbalanced(ls, tt.percent); !slices.Equal(got, tt.want) {
			t.Errorf("%d%%: got %v, want %v", tt.percent, got, tt.want)
		}
	}
}
