package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
)

// sortBy is a frame's order: col 0 is the page's own, col i+1 sorts by
// column i.
type sortBy struct {
	col  int
	desc bool
}

// sortLetters gives each column the shift+letter that sorts by it, as
// k9s does: the first letter of its title not taken by an earlier column,
// never G (the last row). 0 for a column without one.
func sortLetters(cols []components.Column) []rune {
	taken := map[rune]bool{'G': true}
	out := make([]rune, len(cols))
	for i, c := range cols {
		for _, r := range strings.ToUpper(c.Title) {
			if r >= 'A' && r <= 'Z' && !taken[r] {
				out[i], taken[r] = r, true
				break
			}
		}
	}
	return out
}

// sortKey sorts the view by the column a shift+letter names; the same
// letter again reverses. Numbers start largest first (the biggest lag,
// the busiest topic), text from A.
func (m Model) sortKey(msg tea.KeyMsg) (Model, bool) {
	if msg.Type != tea.KeyRunes || len(msg.Runes) != 1 || !unicode.IsUpper(msg.Runes[0]) {
		return m, false
	}
	f := m.top()
	cols := f.page.Columns()
	i := slices.Index(sortLetters(cols), msg.Runes[0])
	if i < 0 {
		return m, false
	}
	if f.sort.col == i+1 {
		f.sort.desc = !f.sort.desc
	} else {
		f.sort = sortBy{col: i + 1, desc: cols[i].Align == components.Right}
	}
	m.syncCursors()
	m.flash = flash{text: fmt.Sprintf("sorted by %s %s (%s again reverses)", cols[i].Title, arrow(f.sort.desc), "S-"+string(msg.Runes[0]))}
	return m, true
}

func arrow(desc bool) string {
	if desc {
		return "↓"
	}
	return "↑"
}

// sortRows orders rows by the cells of one column; unknown values (—)
// go last whichever the direction, ties keep the page's order.
func sortRows(rows []components.Row, by sortBy) []components.Row {
	if by.col == 0 {
		return rows
	}
	col := by.col - 1
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b components.Row) int {
		an, at, anum, amiss := components.SortValue(cell(a, col))
		bn, bt, bnum, bmiss := components.SortValue(cell(b, col))
		switch {
		case amiss || bmiss:
			return boolCmp(amiss, bmiss)
		case anum && bnum:
			return directed(cmp.Compare(an, bn), by.desc)
		case anum != bnum:
			return boolCmp(!anum, !bnum) // numbers before words
		}
		return directed(cmp.Compare(at, bt), by.desc)
	})
	return out
}

func cell(r components.Row, i int) components.Cell {
	if i < len(r.Cells) {
		return r.Cells[i]
	}
	return nil
}

// boolCmp puts false before true.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func directed(c int, desc bool) int {
	if desc {
		return -c
	}
	return c
}

// columns are the page's columns with the sorted one's title marked.
func (m Model) columns(f frame) []components.Column {
	cols := f.page.Columns()
	if f.sort.col == 0 || f.sort.col > len(cols) {
		return cols
	}
	cols = slices.Clone(cols)
	cols[f.sort.col-1].Title += arrow(f.sort.desc)
	return cols
}

// sortHelp lists the view's sort letters with their columns, for the
// help ("T topic", "L lag"); the letter again reverses.
func (m Model) sortHelp() []string {
	cols := m.top().page.Columns()
	var parts []string
	for i, r := range sortLetters(cols) {
		if r != 0 {
			parts = append(parts, fmt.Sprintf("%c %s", r, strings.ToLower(cols[i].Title)))
		}
	}
	return append(parts, m.st.Faint.Render("(again: reverse)"))
}

// shownRows are the page's rows, less the internal topics when i hid
// them.
func (m Model) shownRows(f frame) []components.Row {
	rows := f.page.Rows(m.snap)
	if _, ok := f.page.(pages.Topics); !ok || !m.hideInternal {
		return rows
	}
	return slices.DeleteFunc(slices.Clone(rows), func(r components.Row) bool {
		t, ok := m.snap.Topic(r.Key)
		return ok && t.Internal
	})
}

// toggleInternal hides or shows __consumer_offsets and
// __transaction_state in Topics.
func (m Model) toggleInternal() Model {
	m.hideInternal = !m.hideInternal
	m.syncCursors()
	if m.hideInternal {
		m.flash = flash{text: "internal topics hidden (i shows them)"}
	} else {
		m.flash = flash{text: "internal topics shown (i hides them)"}
	}
	return m
}
