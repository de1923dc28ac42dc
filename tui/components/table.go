package components

import (
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Align is a column's alignment: numbers right, text left.
type Align int

// The alignments.
const (
	Left Align = iota
	Right
)

// Column describes one column of a Table.
type Column struct {
	Title string
	Align Align
	// Drop orders the optional columns: when the terminal is too narrow
	// the column with the highest Drop goes first. 0 is never dropped,
	// which is why wide terminals get more columns rather than wider ones.
	Drop int
	// Shrink marks the columns (usually names) that are cut with "…"
	// when the columns that cannot be dropped still do not fit, the
	// widest first.
	Shrink bool
	// MinWidth, on a Shrink column, lets it be cut down to that width
	// before optional columns are dropped (a long consumer id should not
	// push the offsets off screen); 0 drops every optional column before
	// the column is cut.
	MinWidth int
}

// Span is a piece of a cell with its own style, so one cell can hold
// "1,2" plain and " ⚠ 3" in a warning colour.
type Span struct {
	Text  string
	Style lipgloss.Style
}

// Cell is a table cell: spans drawn one after the other.
type Cell []Span

// Text makes a cell of one span.
func Text(s string, style lipgloss.Style) Cell { return Cell{{Text: s, Style: style}} }

// Width is the cell's width on screen.
func (c Cell) Width() int {
	w := 0
	for _, s := range c {
		w += ansi.StringWidth(s.Text)
	}
	return w
}

// Row is one table row. Key identifies it across refreshes (the cursor
// follows it); Search is the text the / filter matches.
type Row struct {
	Key    string
	Search string
	Cells  []Cell
}

// Table is what one view shows: columns, rows and where the cursor is.
type Table struct {
	Columns []Column
	Rows    []Row
	Cursor  Cursor
	// Header renders the column titles; Selected is added to the row
	// under the cursor; Plain (an empty style of the same renderer) draws
	// the gaps, so that they follow the renderer's colour profile too.
	Header, Selected, Plain lipgloss.Style
}

const (
	gap    = "  "
	marker = "▶ "
)

// Render draws the header and as many rows as fit in height lines, each at
// most width wide.
func (t Table) Render(width, height int) string {
	cols := t.fit(width)
	lines := []string{t.renderHeader(cols)}
	end := min(len(t.Rows), t.Cursor.Offset+height-1)
	for i := t.Cursor.Offset; i < end; i++ {
		lines = append(lines, t.renderRow(cols, t.Rows[i], i == t.Cursor.Index, width))
	}
	return strings.Join(lines, "\n")
}

// fitted is a visible column with its index in Table.Columns and width.
type fitted struct {
	index, width int
	Column
}

// fit chooses the visible columns and their widths for the terminal width:
// natural widths, then optional columns dropped, then the shrinkable
// column cut.
func (t Table) fit(width int) []fitted {
	var cols []fitted
	for i, c := range t.Columns {
		w := ansi.StringWidth(c.Title)
		for _, r := range t.Rows {
			if i < len(r.Cells) {
				w = max(w, r.Cells[i].Width())
			}
		}
		cols = append(cols, fitted{index: i, width: w, Column: c})
	}
	for floorTotal(cols) > width {
		drop := -1
		for i, c := range cols {
			if c.Drop > 0 && (drop < 0 || c.Drop >= cols[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		cols = append(cols[:drop], cols[drop+1:]...)
	}
	shrink(cols, total(cols)-width)
	return cols
}

// shrink takes over columns of width from the Shrink columns, one at a
// time from the widest, never below a column's title.
func shrink(cols []fitted, over int) {
	for ; over > 0; over-- {
		widest, room := -1, 0
		for i, c := range cols {
			if r := c.width - ansi.StringWidth(c.Title); c.Shrink && r > room {
				widest, room = i, r
			}
		}
		if widest < 0 {
			return
		}
		cols[widest].width--
	}
}

// floorTotal is the width cols take with each Shrink column that has a
// MinWidth cut to it (never wider than it is).
func floorTotal(cols []fitted) int {
	floored := slices.Clone(cols)
	for i, c := range floored {
		if c.Shrink && c.MinWidth > 0 {
			floored[i].width = min(c.width, max(c.MinWidth, ansi.StringWidth(c.Title)))
		}
	}
	return total(floored)
}

func total(cols []fitted) int {
	w := ansi.StringWidth(marker)
	for i, c := range cols {
		if i > 0 {
			w += len(gap)
		}
		w += c.width
	}
	return w
}

func (t Table) renderHeader(cols []fitted) string {
	var b strings.Builder
	b.WriteString("  ")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(gap)
		}
		b.WriteString(t.Header.Render(pad(c.Title, c.width, c.Align)))
	}
	return b.String()
}

func (t Table) renderRow(cols []fitted, r Row, selected bool, width int) string {
	// The row under the cursor adds the Selected style to every span,
	// keeping each span's own colour.
	style := func(s lipgloss.Style) lipgloss.Style { return s }
	lead := "  "
	if selected {
		style = func(s lipgloss.Style) lipgloss.Style { return s.Inherit(t.Selected) }
		lead = marker
	}
	plain := style(t.Plain)
	var b strings.Builder
	b.WriteString(plain.Render(lead))
	for i, c := range cols {
		if i > 0 {
			b.WriteString(plain.Render(gap))
		}
		var cell Cell
		if c.index < len(r.Cells) {
			cell = r.Cells[c.index]
		}
		b.WriteString(renderCell(cut(cell, c.width), c.width, c.Align, plain, style))
	}
	line := b.String()
	if w := ansi.StringWidth(line); selected && w < width {
		line += plain.Render(strings.Repeat(" ", width-w))
	}
	return line
}

// renderCell pads the cell to width on the side its alignment calls for.
func renderCell(cell Cell, width int, align Align, plain lipgloss.Style, style func(lipgloss.Style) lipgloss.Style) string {
	padding := plain.Render(strings.Repeat(" ", max(0, width-cell.Width())))
	var b strings.Builder
	if align == Right {
		b.WriteString(padding)
	}
	for _, s := range cell {
		b.WriteString(style(s.Style).Render(s.Text))
	}
	if align == Left {
		b.WriteString(padding)
	}
	return b.String()
}

// cut shortens a cell to width, ending it with "…".
func cut(cell Cell, width int) Cell {
	if cell.Width() <= width {
		return cell
	}
	var out Cell
	left := width - 1
	for _, s := range cell {
		w := ansi.StringWidth(s.Text)
		if w > left {
			out = append(out, Span{Text: ansi.Truncate(s.Text, left, "") + "…", Style: s.Style})
			return out
		}
		out = append(out, s)
		left -= w
	}
	return out
}

func pad(s string, width int, align Align) string {
	space := strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
	if align == Right {
		return space + s
	}
	return s + space
}
