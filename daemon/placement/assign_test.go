package placement

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func brokers(ids ...int32) []Broker {
	out := make([]Broker, len(ids))
	for i, id := range ids {
		out[i] = Broker{ID: id}
	}
	return out
}

func TestAssignMatchesKafka(t *testing.T) {
	// Kafka's AdminUtilsTest fixed-start example: 5 brokers, 10 partitions,
	// RF 3, startIndex 0.
	got, err := Assign(Request{Brokers: brokers(0, 1, 2, 3, 4), Partitions: 10, ReplicationFactor: 3, StartIndex: 0})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int32][]int32{
		0: {0, 1, 2}, 1: {1, 2, 3}, 2: {2, 3, 4}, 3: {3, 4, 0}, 4: {4, 0, 1},
		5: {0, 2, 3}, 6: {1, 3, 4}, 7: {2, 4, 0}, 8: {3, 0, 1}, 9: {4, 1, 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}

func TestAssignErrors(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		want error
	}{
		{"rf above brokers", Request{Brokers: brokers(1, 2), Partitions: 1, ReplicationFactor: 3, StartIndex: -1}, ErrInvalidReplicationFactor},
		{"rf zero", Request{Brokers: brokers(1), Partitions: 1, ReplicationFactor: 0, StartIndex: -1}, ErrInvalidReplicationFactor},
		{"no partitions", Request{Brokers: brokers(1), Partitions: 0, ReplicationFactor: 1, StartIndex: -1}, ErrInvalidPartitions},
		{"no brokers", Request{Partitions: 1, ReplicationFactor: 1, StartIndex: -1}, ErrInvalidReplicationFactor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Assign(tt.req); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestAssignSpreadsLeadersAndNeverRepeatsABroker(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 6; n++ {
		for rf := 1; rf <= n; rf++ {
			got, err := Assign(Request{Brokers: brokers(seq(n)...), Partitions: int32(n * 4), ReplicationFactor: int16(rf), StartIndex: -1, Rand: r})
			if err != nil {
				t.Fatal(err)
			}
			leaders := map[int32]int{}
			for p, reps := range got {
				if len(reps) != rf || hasDup(reps) {
					t.Fatalf("n=%d rf=%d partition %d replicas %v", n, rf, p, reps)
				}
				leaders[reps[0]]++
			}
			for id, c := range leaders {
				if c != 4 {
					t.Fatalf("n=%d rf=%d broker %d leads %d partitions, want 4", n, rf, id, c)
				}
			}
		}
	}
}

func TestAssignRackAwarePutsReplicasOnDistinctRacks(t *testing.T) {
	bs := []Broker{{0, "a"}, {1, "a"}, {2, "b"}, {3, "b"}, {4, "c"}, {5, "c"}}
	got, err := Assign(Request{Brokers: bs, Partitions: 12, ReplicationFactor: 3, StartIndex: -1, Rand: rand.New(rand.NewPCG(3, 4))})
	if err != nil {
		t.Fatal(err)
	}
	rack := map[int32]string{}
	for _, b := range bs {
		rack[b.ID] = b.Rack
	}
	for p, reps := range got {
		seen := map[string]bool{}
		for _, r := range reps {
			if seen[rack[r]] {
				t.Fatalf("partition %d replicas %v share rack %s", p, reps, rack[r])
			}
			seen[rack[r]] = true
		}
	}
}

func TestAssignContinuesExistingTopic(t *testing.T) {
	got, err := Assign(Request{Brokers: brokers(1, 2, 3), Partitions: 2, ReplicationFactor: 1, FirstPartition: 3, StartIndex: 0})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got[3]; !ok || len(got) != 2 {
		t.Fatalf("got %v, want partitions 3 and 4", got)
	}
}

func TestValidateTopicName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"orders", true}, {"a.b_c-D9", true}, {"", false}, {".", false}, {"..", false},
		{"has space", false}, {"slash/no", false}, {"ümlaut", false},
		{strings.Repeat("x", 249), true}, {strings.Repeat("x", 250), false},
	}
	for _, tt := range tests {
		err := ValidateTopicName(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateTopicName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidTopicName) {
			t.Errorf("error %v is not ErrInvalidTopicName", err)
		}
	}
}

func seq(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i + 1)
	}
	return out
}

func hasDup(ids []int32) bool {
	seen := map[int32]bool{}
	for _, id := range ids {
		if seen[id] {
			return true
		}
		seen[id] = true
	}
	return false
}
