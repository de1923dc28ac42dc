package snapshot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/tuitest"
)

// groupCluster is three brokers with topic "orders" (3 partitions, offsets
// 0..100 each) and topic "audit" (1 partition, 0..10).
func groupCluster(t *testing.T) *tuitest.Cluster {
	t.Helper()
	c := tuitest.NewCluster(1, 2, 3)
	for _, spec := range []admin.TopicSpec{{Name: "orders", Partitions: 3, ReplicationFactor: 3}, {Name: "audit", Partitions: 1, ReplicationFactor: 1}} {
		if _, err := c.CreateTopic(context.Background(), spec); err != nil {
			t.Fatal(err)
		}
	}
	for p := range int32(3) {
		c.AppendRecords("orders", p, 100)
	}
	c.AppendRecords("audit", 0, 10)
	return c
}

func collectWith(t *testing.T, src Source, prev *Snapshot, at time.Time, opts Options) *Snapshot {
	t.Helper()
	s, err := CollectWith(context.Background(), src, prev, at, opts)
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	return s
}

func TestCollectGroupLag(t *testing.T) {
	c := groupCluster(t)
	c.SetGroup("billing", "Stable", "range", admin.GroupMember{MemberID: "m-1", ClientID: "etl", Host: "/10.0.0.7",
		Assignment: map[string][]int32{"orders": {0, 1}}})
	c.Commit("billing", "orders", 0, 90)
	c.Commit("billing", "audit", 0, 4) // committed, no longer assigned
	c.Commit("idle", "orders", 2, 100)

	s := collectWith(t, c, nil, t0, Options{})
	if !s.GroupsKnown || len(s.Groups) != 2 || s.Err != nil {
		t.Fatalf("groups %+v err %v", s.Groups, s.Err)
	}
	g, _ := s.Group("billing")
	want := []GroupPartition{
		{Topic: "audit", Partition: 0, Committed: 4, LogEnd: 10, Lag: 6},
		{Topic: "orders", Partition: 0, Committed: 90, LogEnd: 100, Lag: 10, MemberID: "m-1", Host: "/10.0.0.7", ClientID: "etl"},
		{Topic: "orders", Partition: 1, Committed: Unknown, LogEnd: 100, Lag: Unknown, MemberID: "m-1", Host: "/10.0.0.7", ClientID: "etl"},
	}
	if !slices.Equal(g.Partitions, want) {
		t.Errorf("lag rows\n%+v\nwant\n%+v", g.Partitions, want)
	}
	if g.Lag != 16 || g.Protocol != "range" || len(g.Members) != 1 || g.Members[0].Partitions != 2 ||
		!slices.Equal(g.Topics, []string{"audit", "orders"}) || !slices.Equal(g.LagHistory, []int64{16}) {
		t.Errorf("billing %+v", g)
	}
	if idle, _ := s.Group("idle"); idle.Lag != 0 || idle.State != "Empty" {
		t.Errorf("idle %+v", idle)
	}

	// A source without groups: none, and the view can say so.
	plain := collect(t, newCluster(t), nil, t0)
	if plain.GroupsKnown || plain.Groups != nil {
		t.Errorf("groups from a source without them: %+v", plain.Groups)
	}
}

func TestGroupTrend(t *testing.T) {
	tests := []struct {
		history []int64
		want    int
	}{
		{nil, 0},
		{[]int64{5, 9}, 0}, // too few to tell
		{[]int64{1, 2, 3}, 1},
		{[]int64{9, 1, 2, 2, 3}, 1}, // only the last three count
		{[]int64{3, 3, 3}, 0},
		{[]int64{5, 4, 1}, -1},
		{[]int64{10, 50, 12, 48}, 0}, // a sawtooth is neither
	}
	for _, tt := range tests {
		g := Group{LagHistory: tt.history, Lag: 1}
		if got := g.Trend(); got != tt.want {
			t.Errorf("trend of %v = %d, want %d", tt.history, got, tt.want)
		}
		if g.Lagging() != (tt.want > 0) {
			t.Errorf("lagging of %v = %v", tt.history, g.Lagging())
		}
	}
}

func TestConsumeRatesAndHistory(t *testing.T) {
	c := groupCluster(t)
	c.Commit("a", "orders", 0, 10)
	c.Commit("a", "orders", 1, 10)
	c.Commit("b", "orders", 2, 50)
	c.Commit("b", "audit", 0, 1)
	first := collectWith(t, c, nil, t0, Options{})
	if o, _ := first.Topic("orders"); o.ConsumeRateKnown {
		t.Fatalf("a consume rate from one refresh: %+v", o)
	}

	c.Commit("a", "orders", 0, 30) // +20
	c.Commit("a", "orders", 1, 14) // +4
	c.Commit("b", "orders", 2, 70) // +20
	c.Commit("b", "audit", 0, 0)   // reset backwards: not a rate
	second := collectWith(t, c, first, t0.Add(2*time.Second), Options{})
	orders, _ := second.Topic("orders")
	audit, _ := second.Topic("audit")
	if !orders.ConsumeRateKnown || orders.ConsumeRate != 22 {
		t.Errorf("orders consume rate %v known %v, want 22", orders.ConsumeRate, orders.ConsumeRateKnown)
	}
	if audit.ConsumeRateKnown {
		t.Errorf("audit rate %v after a reset", audit.ConsumeRate)
	}
	a, _ := second.Group("a")
	if !slices.Equal(a.LagHistory, []int64{180, 156}) || a.Trend() != 0 {
		t.Errorf("a history %v", a.LagHistory)
	}

	s := second
	for i := range TrendLen + 2 {
		s = collectWith(t, c, s, t0.Add(time.Duration(3+i)*time.Second), Options{})
	}
	if a, _ := s.Group("a"); len(a.LagHistory) != TrendLen {
		t.Errorf("history grew to %d, bound %d", len(a.LagHistory), TrendLen)
	}
}

func TestGroupBudget(t *testing.T) {
	c := groupCluster(t)
	for i := range 10 {
		c.Commit(fmt.Sprintf("g%02d", i), "orders", 0, int64(i))
	}
	opts := Options{GroupBudget: 3, Focus: []string{"g09"}}
	var s *Snapshot
	describedAt := map[string][]int{}
	for r := range 5 {
		before := c.Count("DescribeGroup")
		s = collectWith(t, c, s, t0.Add(time.Duration(r)*time.Second), opts)
		if n := c.Count("DescribeGroup") - before; n != 3 {
			t.Fatalf("refresh %d described %d groups, budget 3", r, n)
		}
		if len(s.Groups) != 10 {
			t.Fatalf("refresh %d shows %d groups", r, len(s.Groups))
		}
		for _, g := range s.Groups {
			if !g.Stale(s) {
				describedAt[g.Name] = append(describedAt[g.Name], r)
			}
		}
	}
	if !slices.Equal(describedAt["g09"], []int{0, 1, 2, 3, 4}) {
		t.Errorf("the focused group described at %v, want every refresh", describedAt["g09"])
	}
	for i := range 9 {
		if name := fmt.Sprintf("g%02d", i); len(describedAt[name]) == 0 {
			t.Errorf("%s never described in 5 refreshes of 2 turns each", name)
		}
	}
	// A stale group keeps its values.
	for _, g := range s.Groups {
		if g.Lag == Unknown {
			t.Errorf("group %s lost its lag", g.Name)
		}
	}
}

func TestGroupFailures(t *testing.T) {
	boom := errors.New("boom")
	c := groupCluster(t)
	c.Commit("a", "orders", 0, 10)
	first := collectWith(t, c, nil, t0, Options{})

	c.Fail("ListGroups", boom)
	s := collectWith(t, c, first, t0.Add(time.Second), Options{})
	if !errors.Is(s.Err, boom) || len(s.Groups) != 1 {
		t.Fatalf("listing failed: err %v groups %+v", s.Err, s.Groups)
	}
	c.Fail("ListGroups", nil)

	c.Fail("GroupOffsets", boom)
	s = collectWith(t, c, first, t0.Add(2*time.Second), Options{})
	g, _ := s.Group("a")
	if !errors.Is(s.Err, boom) || !errors.Is(g.Err, boom) || g.Lag != 90 || !g.Stale(s) {
		t.Fatalf("a group's offsets failed: err %v group %+v", s.Err, g)
	}
}

// BenchmarkCollectGroups is a refresh of 500 groups of 3 partitions each
// from the in-memory cluster: the snapshot's own cost, without the network.
func BenchmarkCollectGroups(b *testing.B) {
	c := tuitest.NewCluster(1, 2, 3)
	if _, err := c.CreateTopic(context.Background(), admin.TopicSpec{Name: "orders", Partitions: 3, ReplicationFactor: 3}); err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		for p := range int32(3) {
			c.Commit(fmt.Sprintf("group-%04d", i), "orders", p, 0)
		}
	}
	var s *Snapshot
	at := t0
	for b.Loop() {
		at = at.Add(time.Second)
		var err error
		if s, err = CollectWith(context.Background(), c, s, at, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGroupLagPartial: a committed partition whose log end could not be
// read leaves the group's lag a lower bound, marked partial; a partition
// without a commit does not.
func TestGroupLagPartial(t *testing.T) {
	c := groupCluster(t)
	c.Commit("billing", "orders", 0, 90)
	c.Commit("billing", "orders", 1, 95)
	c.Commit("fresh", "orders", 0, 90) // orders-2 never committed by anyone
	whole := collectWith(t, c, nil, t0, Options{})
	if g, _ := whole.Group("billing"); g.LagPartial || g.Lag != 15 {
		t.Fatalf("every log end read: lag %d, partial %v", g.Lag, g.LagPartial)
	}
	c.FailPartition("orders", 1, kerr.NotLeaderForPartition)
	s := collectWith(t, c, whole, t0.Add(2*time.Second), Options{})
	if g, _ := s.Group("billing"); !g.LagPartial || g.Lag != 10 {
		t.Fatalf("orders-1's log end unread: lag %d, partial %v; want 10 and partial", g.Lag, g.LagPartial)
	}
	if g, _ := s.Group("fresh"); g.LagPartial {
		t.Fatalf("a group without a commit on the unread partition is marked partial: %+v", g)
	}
}
