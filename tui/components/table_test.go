package components

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

func testTable() Table {
	plain := lipgloss.NewStyle()
	row := func(name, n, extra string) Row {
		return Row{Key: name, Search: name, Cells: []Cell{Text(name, plain), Text(n, plain), Text(extra, plain)}}
	}
	return Table{
		Columns: []Column{{Title: "NAME", Shrink: true}, {Title: "N", Align: Right}, {Title: "EXTRA", Drop: 1}},
		Rows:    []Row{row("alpha", "1", "x"), row("a-much-longer-name", "1,000", "yyyyyy"), row("c", "22", "z")},
	}
}

func TestTableFit(t *testing.T) {
	tests := []struct {
		width int
		want  []string
	}{
		{40, []string{
			"  NAME                    N  EXTRA",
			"▶ alpha                   1  x",
			"  a-much-longer-name  1,000  yyyyyy",
			"  c                      22  z",
		}},
		{29, []string{ // EXTRA dropped
			"  NAME                    N",
			"▶ alpha                   1",
			"  a-much-longer-name  1,000",
			"  c                      22",
		}},
		{20, []string{ // NAME cut
			"  NAME             N",
			"▶ alpha            1",
			"  a-much-lon…  1,000",
			"  c               22",
		}},
	}
	for _, tt := range tests {
		got := strings.Split(testTable().Render(tt.width, 10), "\n")
		for i := range got {
			got[i] = strings.TrimRight(got[i], " ")
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("width %d:\n%s\nwant:\n%s", tt.width, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
		for _, line := range got {
			if ansi.StringWidth(line) > tt.width {
				t.Errorf("width %d: line %q is %d wide", tt.width, line, ansi.StringWidth(line))
			}
		}
	}
}

func TestTableScrolls(t *testing.T) {
	tb := testTable()
	tb.Cursor = tb.Cursor.End(tb.Rows).Scroll(2, len(tb.Rows))
	got := tb.Render(40, 3)
	if strings.Contains(got, "alpha") || !strings.Contains(got, "▶ c") {
		t.Errorf("scrolled view:\n%s", got)
	}
}

func TestCursorFollowsKey(t *testing.T) {
	rows := func(keys ...string) []Row {
		var out []Row
		for _, k := range keys {
			out = append(out, Row{Key: k})
		}
		return out
	}
	tests := []struct {
		name      string
		before    []Row
		move      int
		after     []Row
		wantKey   string
		wantIndex int
	}{
		{"row inserted above", rows("b", "c"), 1, rows("a", "b", "c"), "c", 2},
		{"row removed above", rows("a", "b", "c"), 2, rows("b", "c"), "c", 1},
		{"selected row removed", rows("a", "b", "c"), 1, rows("a", "c"), "c", 1},
		{"last row removed", rows("a", "b"), 1, rows("a"), "a", 0},
		{"all rows gone", rows("a"), 0, nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Cursor{}.Sync(tt.before).Move(tt.move, tt.before).Sync(tt.after)
			if c.Key != tt.wantKey || c.Index != tt.wantIndex {
				t.Errorf("cursor %+v, want key %q index %d", c, tt.wantKey, tt.wantIndex)
			}
		})
	}
}

func TestTableShrinksWidestFirst(t *testing.T) {
	plain := lipgloss.NewStyle()
	tb := Table{
		Columns: []Column{{Title: "TOPIC", Shrink: true}, {Title: "N", Align: Right}, {Title: "CONSUMER-ID", Shrink: true}},
		Rows: []Row{{Key: "a", Cells: []Cell{Text("orders", plain), Text("1", plain),
			Text("consumer-1-6f2a7b1c-0a8e-4d2b-9f51-3c7d2e1a9b00", plain)}}},
	}
	got := strings.Split(tb.Render(40, 3), "\n")
	want := []string{
		"  TOPIC   N  CONSUMER-ID",
		"▶ orders  1  consumer-1-6f2a7b1c-0a8e-4…", // only the widest cut
	}
	for i := range want {
		if strings.TrimRight(got[i], " ") != want[i] {
			t.Errorf("line %d %q, want %q", i, got[i], want[i])
		}
	}
}
