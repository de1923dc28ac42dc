package admin

import (
	"testing"
)

func TestLagRowsJoinAssignmentsAndCommits(t *testing.T) {
	g := Group{Group: "g", Members: []GroupMember{
		{MemberID: "m1", Host: "/h1", ClientID: "c1", Assignment: map[string][]int32{"t": {0, 1}}},
		{MemberID: "m2", Host: "/h2", ClientID: "c2", Assignment: map[string][]int32{"u": {0}}},
	}}
	committed := []GroupOffset{{Topic: "t", Partition: 1, Offset: 5}, {Topic: "old", Partition: 3, Offset: 9}}
	rows := lagRows(g, committed)
	want := []PartitionLag{
		{Group: "g", Topic: "old", Partition: 3, Committed: 9, LogEnd: -1, Lag: -1},
		{Group: "g", Topic: "t", Partition: 0, Committed: -1, LogEnd: -1, Lag: -1, MemberID: "m1", Host: "/h1", ClientID: "c1"},
		{Group: "g", Topic: "t", Partition: 1, Committed: 5, LogEnd: -1, Lag: -1, MemberID: "m1", Host: "/h1", ClientID: "c1"},
		{Group: "g", Topic: "u", Partition: 0, Committed: -1, LogEnd: -1, Lag: -1, MemberID: "m2", Host: "/h2", ClientID: "c2"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
	if n := TotalLag([]PartitionLag{{Lag: 3}, {Lag: -1}, {Lag: 4}}); n != 7 {
		t.Fatalf("total lag %d", n)
	}
}
