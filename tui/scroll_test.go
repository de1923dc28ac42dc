package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
)

// TestCursorRowStaysOnScreen: in a list longer than the screen, the row
// under the cursor is drawn however far down it goes (the table's header
// takes one of its lines).
func TestCursorRowStaysOnScreen(t *testing.T) {
	f := newFixture(t, 80, 24)
	for i := range 40 {
		spec := admin.TopicSpec{Name: fmt.Sprintf("t%02d", i), Partitions: 1, ReplicationFactor: 1}
		if _, err := f.cluster.CreateTopic(context.Background(), spec); err != nil {
			t.Fatal(err)
		}
	}
	f.busy()
	for _, keys := range [][]string{{"G"}, {"g", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j"}} {
		f.keys(keys...)
		if !strings.Contains(f.m.View(), "▶ "+f.selected()) {
			t.Fatalf("after %v the cursor's row %s is off screen:\n%s", keys, f.selected(), f.m.View())
		}
	}
}

// TestWheelKeepsCursorRowOnScreen: scrolling down with the wheel (kq tui
// --mouse) keeps the row under the cursor drawn, as the keys do.
func TestWheelKeepsCursorRowOnScreen(t *testing.T) {
	f := newFixture(t, 80, 24)
	for i := range 40 {
		spec := admin.TopicSpec{Name: fmt.Sprintf("t%02d", i), Partitions: 1, ReplicationFactor: 1}
		if _, err := f.cluster.CreateTopic(context.Background(), spec); err != nil {
			t.Fatal(err)
		}
	}
	f.busy()
	for range 25 {
		f.send(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	}
	if !strings.Contains(f.m.View(), "▶ "+f.selected()) {
		t.Fatalf("after the wheel the cursor's row %s is off screen:\n%s", f.selected(), f.m.View())
	}
}
