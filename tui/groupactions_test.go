package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

func TestDeleteGroup(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.keys("tab") // audit-sink, Empty, is the first group
	f.cluster.ForgetCalls()
	f.press("ctrl+d")
	if f.m.dialog == nil || f.m.dialog.preview.typed != "audit-sink" {
		t.Fatalf("ctrl+d on a group did not ask for its name:\n%s", f.m.View())
	}
	golden(t, "delete_group_confirm", f.m.View())
	f.typeText("audit-sink")
	f.press("enter")
	if got := f.cluster.Calls(); !slices.Equal(got, []string{"DeleteGroups audit-sink"}) {
		t.Fatalf("calls %q, want DeleteGroups audit-sink", got)
	}
	f.refreshAt(4 * time.Second)
	if _, ok := f.m.snap.Group("audit-sink"); ok || !strings.Contains(f.m.View(), "✔ deleted group audit-sink") {
		t.Fatalf("audit-sink still shown or no outcome:\n%s", f.m.View())
	}
}

func TestDeleteGroupRefusals(t *testing.T) {
	t.Run("members", func(t *testing.T) {
		f := newFixture(t, 80, 24)
		f.busy()
		f.keys("tab", "j") // billing, Stable with 3 members
		f.cluster.ForgetCalls()
		f.press("ctrl+d")
		view := f.m.View()
		if !strings.Contains(view, "NON_EMPTY_GROUP") || len(f.cluster.Calls()) != 0 {
			t.Fatalf("a group with members was not refused before asking (calls %q):\n%s", f.cluster.Calls(), view)
		}
		golden(t, "delete_group_refused", view)
	})
	t.Run("the broker says no", func(t *testing.T) {
		f := newFixture(t, 80, 24)
		f.busy()
		f.keys("tab")
		f.press("ctrl+d")
		// A consumer joins between the preview and the answer.
		f.cluster.SetGroup("audit-sink", "Stable", "range", admin.GroupMember{MemberID: "late-1", Assignment: map[string][]int32{"audit": {0}}})
		f.typeText("audit-sink")
		f.press("enter")
		if view := f.m.View(); !strings.Contains(view, "NON_EMPTY_GROUP") {
			t.Fatalf("the broker's NON_EMPTY_GROUP not shown:\n%s", view)
		}
	})
	t.Run("read-only", func(t *testing.T) {
		f := newFixture(t, 80, 24)
		f.readOnly()
		f.busy()
		f.keys("tab")
		f.press("ctrl+d")
		f.command("delete-group audit-sink")
		f.press("x")
		if f.m.dialog != nil || len(f.cluster.Calls()) != 0 || strings.Contains(f.m.View(), "x del offsets") {
			t.Fatalf("read-only let a deletion through (calls %q):\n%s", f.cluster.Calls(), f.m.View())
		}
	})
	t.Run("ctrl+d on a topic still deletes the topic", func(t *testing.T) {
		f := newFixture(t, 80, 24)
		f.busy()
		f.press("G", "ctrl+d")
		if f.m.dialog == nil || f.m.dialog.title != "Delete topic payments" {
			t.Fatalf("ctrl+d on Topics opened %+v", f.m.dialog)
		}
	})
}

func TestDeleteGroupOffsets(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.replay() // replay: Empty, committed on orders 0, 1 and 3
	f.press("enter", "x")
	if f.m.dialog == nil || f.m.dialog.stage != stageConfirm {
		t.Fatalf("x on a lag row did not preview:\n%s", f.m.View())
	}
	golden(t, "delete_offsets_preview", f.m.View())
	f.cluster.ForgetCalls()
	f.press("y")
	if got := f.cluster.Calls(); !slices.Equal(got, []string{"DeleteGroupOffsets replay orders []"}) {
		t.Fatalf("calls %q", got)
	}
	if view := f.m.View(); !strings.Contains(view, "✔ deleted the offsets of group replay on orders (6 partitions)") {
		t.Fatalf("no outcome:\n%s", view)
	}
	// From the palette, on a group whose member reads the topic: the
	// broker's GROUP_SUBSCRIBED_TO_TOPIC per partition is shown whole.
	f.cluster.SetGroup("replay", "Empty", "")
	f.cluster.Commit("replay", "payments", 0, 5)
	f.refreshAt(6 * time.Second)
	f.cluster.SetGroup("replay", "Empty", "", admin.GroupMember{MemberID: "m-1", Assignment: map[string][]int32{"payments": {0}}})
	f.command("delete-offsets replay payments")
	f.press("y")
	if view := f.m.View(); !strings.Contains(view, "GROUP_SUBSCRIBED_TO_TOPIC") {
		t.Fatalf("the refusal is not shown:\n%s", view)
	}
}

// TestDeleteOffsetsFollowsKafkasRule: a group with members may lose the
// offsets of a topic no member reads, not of one they read.
func TestDeleteOffsetsFollowsKafkasRule(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy() // billing: Stable, its members read payments
	f.cluster.Commit("billing", "orders", 0, 7)
	f.refreshAt(4 * time.Second)
	f.cluster.ForgetCalls()
	f.command("delete-offsets billing payments")
	if view := f.m.View(); f.m.dialog == nil || f.m.dialog.stage != stageRefused ||
		!strings.Contains(view, "GROUP_SUBSCRIBED_TO_TOPIC") || len(f.cluster.Calls()) != 0 {
		t.Fatalf("the offsets of a topic the members read were not refused up front:\n%s", view)
	}
	f.press("esc")
	f.command("delete-offsets billing orders")
	f.press("y")
	if got := f.cluster.Calls(); !slices.Equal(got, []string{"DeleteGroupOffsets billing orders []"}) {
		t.Fatalf("calls %q, want the offsets of orders deleted", got)
	}
}

func TestLagRowOpensMessagesAtTheCommittedOffset(t *testing.T) {
	for _, open := range []string{"enter", "m"} {
		f := newFixture(t, 80, 24)
		f.m.opts.Messages = clusterMessages{f.cluster}
		f.busy()
		f.keys("tab", "G", "enter") // reporting's lag; orders-0 committed at 20,400
		f.runNow(f.send(keyMsg(open)))
		view := f.m.View()
		if f.m.msgs == nil || !strings.Contains(view, "orders-0 › messages") || !strings.Contains(view, "offset 20400") {
			t.Fatalf("%s on a lag row did not open orders-0 at 20400:\n%s", open, view)
		}
	}
}
