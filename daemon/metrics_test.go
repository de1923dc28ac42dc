package daemon

import (
	"fmt"
	"slices"
	"testing"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

func TestOfflineHere(t *testing.T) {
	part := func(i, leader int32, replicas ...int32) metadatacache.Partition {
		return metadatacache.Partition{Partition: i, Leader: leader, Replicas: replicas}
	}
	many := &metadatacache.Topic{Name: "many"}
	for i := range int32(12) {
		many.Partitions = append(many.Partitions, part(i, -1, 1))
	}
	tests := []struct {
		name   string
		topics map[string]*metadatacache.Topic
		want   []string
	}{
		{"none offline", map[string]*metadatacache.Topic{"a": {Name: "a", Partitions: []metadatacache.Partition{part(0, 1, 1, 2)}}}, nil},
		{"offline elsewhere is not this broker's", map[string]*metadatacache.Topic{"a": {Name: "a", Partitions: []metadatacache.Partition{part(0, -1, 2, 3)}}}, nil},
		{"offline with a replica here", map[string]*metadatacache.Topic{
			"b": {Name: "b", Partitions: []metadatacache.Partition{part(0, 2, 2, 1), part(1, -1, 2, 1)}},
			"a": {Name: "a", Partitions: []metadatacache.Partition{part(0, -1, 1)}},
		}, []string{"a-0", "b-1"}},
		{"a long list is cut", map[string]*metadatacache.Topic{"many": many},
			append(names("many", 10), "and 2 more")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := offlineHere(&metadatacache.Snapshot{Topics: tt.topics}, 1)
			if !slices.Equal(got, tt.want) {
				t.Errorf("offlineHere = %v, want %v", got, tt.want)
			}
		})
	}
}

func names(topic string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("%s-%d", topic, i))
	}
	return out
}
