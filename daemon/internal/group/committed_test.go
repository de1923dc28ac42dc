package group

import (
	"cmp"
	"slices"
	"testing"
)

func TestCommittedOffsets(t *testing.T) {
	h := newHarness(t, testConfig())
	for _, c := range []CommitRequest{simpleCommit("g", "t", 0, 42), simpleCommit("g", "t", 1, 7), simpleCommit("h", "u", 0, 3)} {
		if errs, ok := commitOne(h, c); !ok || errs[0] != nil {
			t.Fatalf("commit %+v: %v", c, errs)
		}
	}
	// A commit not yet written is not committed.
	h.c.CommitOffsets(simpleCommit("g", "t", 0, 50), func([]error) {})
	got := h.c.CommittedOffsets()
	slices.SortFunc(got, func(a, b Committed) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	want := []Committed{{"g", TopicPartition{"t", 0}, 42}, {"g", TopicPartition{"t", 1}, 7}, {"h", TopicPartition{"u", 0}, 3}}
	if !slices.Equal(got, want) {
		t.Fatalf("CommittedOffsets() = %+v, want %+v", got, want)
	}
	h.log.settle()
}
