package quota

import (
	"math"
	"testing"
	"time"
)

func TestListsReplica(t *testing.T) {
	cases := []struct {
		entries      []string
		part, broker int32
		want         bool
	}{
		{[]string{"*"}, 3, 9, true},
		{[]string{"0:1", "1:2"}, 1, 2, true},
		{[]string{"0:1", "1:2"}, 1, 1, false},
		{[]string{" 0 : 1 "}, 0, 1, true},
		{[]string{"bad", "0:x"}, 0, 1, false},
		{nil, 0, 1, false},
	}
	for _, tc := range cases {
		if got := ListsReplica(tc.entries, tc.part, tc.broker); got != tc.want {
			t.Errorf("ListsReplica(%v, %d, %d) = %v", tc.entries, tc.part, tc.broker, got)
		}
	}
}

func TestReplicationThrottle(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	var bound int64 = math.MaxInt64
	q := NewReplication(Options{Now: clk.now}, func() int64 { return bound }, func(topic string, p int32) bool { return topic == "t" })
	if q.IsThrottled("t", 0) {
		t.Fatal("throttled without a rate")
	}
	bound = 1000
	if !q.IsThrottled("t", 0) || q.IsThrottled("u", 0) {
		t.Fatal("throttled partitions wrong")
	}
	q.Record(9000) // 900 B/s over the 10 s minimum span
	if q.Exceeded() {
		t.Fatal("exceeded below the bound")
	}
	q.Record(2000)
	if !q.Exceeded() {
		t.Fatal("not exceeded above the bound")
	}
	clk.t = clk.t.Add(12 * time.Second) // the samples expire
	if q.Exceeded() {
		t.Fatal("still exceeded after the window passed")
	}
	bound = math.MaxInt64
	if q.IsThrottled("t", 0) {
		t.Fatal("Kafka's default rate still throttles")
	}
	var none *Replication
	if none.IsThrottled("t", 0) {
		t.Fatal("a nil throttle throttles")
	}
}
