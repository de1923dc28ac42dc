package admin

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// TestLogEndRequestSkipsLeaderless: the log end and last stable requests
// ask only partitions with a leader, and leave out topics that failed or
// have none.
func TestLogEndRequestSkipsLeaderless(t *testing.T) {
	topics := []Topic{
		{Name: "healthy", Partitions: []Partition{{ID: 0, Leader: 1}, {ID: 1, Leader: 2}}},
		{Name: "half", Partitions: []Partition{{ID: 0, Leader: -1}, {ID: 1, Leader: 1}}},
		{Name: "offline", Partitions: []Partition{{ID: 0, Leader: -1}}},
		{Name: "gone", Err: errors.New("UNKNOWN_TOPIC_OR_PARTITION")},
	}
	req := logEndRequest(topics)
	var got []string
	for _, rt := range req.Topics {
		for _, rp := range rt.Partitions {
			got = append(got, fmt.Sprintf("%s-%d", rt.Topic, rp.Partition))
		}
	}
	if want := []string{"healthy-0", "healthy-1", "half-1"}; !slices.Equal(got, want) {
		t.Fatalf("asked %q, want %q", got, want)
	}
}
