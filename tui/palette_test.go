package tui

import (
	"slices"
	"testing"
)

func TestCompleteWord(t *testing.T) {
	names := []string{"orders", "orders-dlq", "payments"}
	tests := []struct {
		word     string
		want     string
		wantFits []string
	}{
		{"pay", "payments ", nil},
		{"ord", "orders", []string{"orders", "orders-dlq"}},
		{"orders-", "orders-dlq ", nil},
		{"x", "x", nil},
		{"", "", names},
	}
	for _, tt := range tests {
		got, fits := completeWord("", tt.word, names)
		if got != tt.want || !slices.Equal(fits, tt.wantFits) {
			t.Errorf("complete %q: %q %q, want %q %q", tt.word, got, fits, tt.want, tt.wantFits)
		}
	}
}

func TestPaletteHistory(t *testing.T) {
	var h paletteHistory
	for _, l := range []string{"topics", "groups", "groups", " ", "lag g1"} {
		h = h.remember(l)
	}
	if !slices.Equal(h.lines, []string{"topics", "groups", "lag g1"}) {
		t.Fatalf("history %q", h.lines)
	}
	var got []string
	var line string
	for _, d := range []int{-1, -1, -1, -1, 1, 1, 1, 1} {
		h, line = h.step(d, "mes")
		got = append(got, line)
	}
	want := []string{"lag g1", "groups", "topics", "topics", "groups", "lag g1", "mes", "mes"}
	if !slices.Equal(got, want) {
		t.Fatalf("up and down: %q, want %q", got, want)
	}
}

// TestPaletteCompletesAndRemembers: Tab completes a command and its
// argument from the cluster, and up brings back the last command.
func TestPaletteCompletesAndRemembers(t *testing.T) {
	f := newFixture(t, 100, 30)
	f.busy()
	f.keys(":")
	f.typeText("par")
	f.keys("tab")
	if got := f.m.input.Value(); got != "partitions " {
		t.Fatalf("command completed to %q", got)
	}
	f.typeText("p")
	f.keys("tab")
	if got := f.m.input.Value(); got != "partitions payments " {
		t.Fatalf("topic completed to %q", got)
	}
	f.keys("enter")
	if p := f.page(); p != "payments › partitions" {
		t.Fatalf("page %q after the command", p)
	}
	f.keys(":")
	f.typeText("b")
	f.keys("up")
	if got := f.m.input.Value(); got != "partitions payments" {
		t.Fatalf("up recalled %q", got)
	}
	f.keys("down")
	if got := f.m.input.Value(); got != "b" {
		t.Fatalf("down came back to %q, want the draft", got)
	}
}
