package tui

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// shown are the keys of the rows on screen, in order.
func (f *fixture) shown() []string {
	var keys []string
	for _, r := range f.m.rows(*f.m.top()) {
		keys = append(keys, r.Key)
	}
	return keys
}

func TestSortByColumn(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	steps := []struct {
		keys []string
		want []string
	}{
		{nil, []string{"__consumer_offsets", "audit", "orders", "payments"}},
		{[]string{"P"}, []string{"orders", "__consumer_offsets", "payments", "audit"}}, // PARTS, largest first
		{[]string{"P"}, []string{"audit", "__consumer_offsets", "payments", "orders"}}, // again: reversed
		{[]string{"T"}, []string{"__consumer_offsets", "audit", "orders", "payments"}}, // TOPIC, from A
		{[]string{"T"}, []string{"payments", "orders", "audit", "__consumer_offsets"}},
		{[]string{"I"}, []string{"orders", "__consumer_offsets", "audit", "payments"}}, // IN msg/s
	}
	for i, s := range steps {
		f.keys(s.keys...)
		if got := f.shown(); !slices.Equal(got, s.want) {
			t.Fatalf("step %d %v: rows %v, want %v", i, s.keys, got, s.want)
		}
	}
	if view := f.m.View(); !strings.Contains(view, "IN msg/s↓") || !strings.Contains(view, "sorted by IN msg/s ↓") {
		t.Fatalf("the sorted column is not marked:\n%s", view)
	}
	golden(t, "topics_sorted", f.m.View())
	// The cursor follows its row; each view keeps its own order.
	f.keys("g", "tab", "L")
	if got := f.shown(); got[0] != "reporting" {
		t.Fatalf("Groups by LAG: %v, want reporting first", got)
	}
	f.keys("shift+tab")
	if got := f.shown(); got[0] != "orders" || f.selected() != "orders" {
		t.Fatalf("back on Topics: rows %v cursor %q", got, f.selected())
	}
}

func TestUnknownValuesSortLast(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.keys("S") // OUT msg/s: __consumer_offsets has none (—)
	for _, keys := range [][]string{nil, {"S"}} {
		f.keys(keys...)
		if got := f.shown(); got[len(got)-1] != "__consumer_offsets" {
			t.Fatalf("after %v: %v, want the unknown one last", keys, got)
		}
	}
}

func TestHideInternalTopics(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.keys("i")
	if got := f.shown(); slices.Contains(got, "__consumer_offsets") || len(got) != 3 {
		t.Fatalf("i left %v", got)
	}
	if !strings.Contains(f.m.View(), "internal topics hidden (i shows them)") {
		t.Fatalf("no word of it:\n%s", f.m.View())
	}
	f.keys("i")
	if got := f.shown(); !slices.Contains(got, "__consumer_offsets") {
		t.Fatalf("i again left %v", got)
	}
}

func TestFilterSyntax(t *testing.T) {
	tests := []struct {
		filter string
		want   []string
	}{
		{"ord", []string{"orders"}},
		{"^(audit|pay)", []string{"audit", "payments"}}, // a regular expression
		{"ETS$", []string{"__consumer_offsets"}},        // case-insensitive
		{"!^__", []string{"audit", "orders", "payments"}},
		{"!", []string{"__consumer_offsets", "audit", "orders", "payments"}}, // still being typed
		{"-f pmts", []string{"payments"}},                                    // fuzzy: the letters in order
		{"-f cnsoff", []string{"__consumer_offsets"}},
		{"[", nil}, // half typed: taken literally
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f := newFixture(t, 80, 24)
			f.busy()
			f.keys("/")
			f.typeText(tt.filter)
			if got := f.shown(); !slices.Equal(got, tt.want) {
				t.Fatalf("/%s: %v, want %v", tt.filter, got, tt.want)
			}
		})
	}
}

func TestMouse(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.remodel(func(o *Options) { o.Mouse = true })
	f.busy()
	click := func(y int) {
		f.send(tea.MouseMsg{X: 5, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	}
	click(5) // the third row: orders
	if f.selected() != "orders" {
		t.Fatalf("click on line 5 selected %q", f.selected())
	}
	f.send(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if f.selected() != "payments" {
		t.Fatalf("wheel down selected %q", f.selected())
	}
	f.send(tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	click(20) // below the rows: nothing
	if f.selected() != "orders" {
		t.Fatalf("wheel up and a click on no row left %q", f.selected())
	}
	click(5) // the selected row again: opens it
	if f.page() != "orders › partitions" {
		t.Fatalf("a click on the selected row left %q", f.page())
	}
}
