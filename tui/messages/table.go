package messages

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// cells are one record's texts as the table shows them.
type cells struct {
	partition, offset, time, key, value, size string
	nullKey, nullValue                        bool
}

// column is a table column laid out for the terminal width.
type column struct {
	title string
	width int
	right bool
}

// layout is the table's columns for the rows on screen; SIZE is only
// shown on wide terminals, KEY is capped and VALUE takes the rest.
type layout struct {
	p, offset, time, key, value, size column
	showSize                          bool
}

const (
	lead = "  "
	mark = "▶ "
	gap  = "  "
)

// table draws the column titles and the rows on screen.
func (m Model) table() string {
	end := min(m.rowCount(), m.top+m.tableRows())
	rows := make([]cells, 0, end-m.top)
	selected := -1
	for i := m.top; i < end; i++ {
		bi := m.rowIndex(i)
		if m.sel.valid && bi == m.sel.index {
			selected = len(rows)
		}
		rows = append(rows, m.cells(bi))
	}
	l := m.layout(rows)
	lines := []string{l.header(m.st.ColumnHeader)}
	for i, r := range rows {
		lines = append(lines, m.renderRow(l, r, i == selected))
	}
	if len(rows) == 0 {
		lines = append(lines, m.st.Faint.Render("  "+m.emptyText()))
	}
	return strings.Join(lines, "\n")
}

// emptyText explains an empty table.
func (m Model) emptyText() string {
	switch {
	case m.state == stateLoading:
		return "looking up offsets…"
	case m.state == stateFailed:
		return "no records (the status line says why)"
	case m.search.active() && m.buf.Len() > 0:
		return "no record matches /" + m.search.text + " (esc clears the search)"
	}
	return "no records yet; new ones appear as they are produced"
}

func (m Model) timeLayout() string {
	if m.width >= 120 {
		return longTime
	}
	return shortTime
}

// cells formats record bi, escaping its key and value only as far as
// the widest screen shows.
func (m Model) cells(bi int) cells {
	r := &m.buf.At(bi).rec
	size := len(r.Key) + len(r.Value)
	for _, h := range r.Headers {
		size += len(h.Key) + len(h.Value)
	}
	return cells{
		partition: strconv.Itoa(int(r.Partition)), offset: strconv.FormatInt(r.Offset, 10),
		time: formatTime(r.Timestamp, m.timeLayout(), m.opts.Location),
		key:  escaped(r.Key, 64), value: escaped(r.Value, m.width), size: byteSize(size),
		nullKey: r.Key == nil, nullValue: r.Value == nil,
	}
}

// shownKey is the key as its cell draws it: "null" for Kafka's null key,
// so the column is sized for what it shows.
func (r cells) shownKey() string {
	if r.nullKey {
		return "null"
	}
	return r.key
}

func (m Model) layout(rows []cells) layout {
	l := layout{
		p:      column{title: "P", width: 1, right: true},
		offset: column{title: "OFFSET", width: 6, right: true},
		time:   column{title: "TIMESTAMP", width: len(m.timeLayout())},
		key:    column{title: "KEY", width: 3},
		value:  column{title: "VALUE"},
		size:   column{title: "SIZE", width: 4, right: true},
	}
	keyCap := 16
	if m.width >= 120 {
		keyCap = 32
	}
	for _, r := range rows {
		l.p.width = max(l.p.width, len(r.partition))
		l.offset.width = max(l.offset.width, len(r.offset))
		l.key.width = max(l.key.width, min(keyCap, ansi.StringWidth(r.shownKey())))
		l.size.width = max(l.size.width, len(r.size))
	}
	l.showSize = m.width >= 100
	used := len(lead) + l.p.width + l.offset.width + l.time.width + l.key.width + 4*len(gap)
	if l.showSize {
		used += l.size.width + len(gap)
	}
	l.value.width = max(5, m.width-used)
	return l
}

func (l layout) columns() []column {
	cols := []column{l.p, l.offset, l.time, l.key, l.value}
	if l.showSize {
		cols = append(cols, l.size)
	}
	return cols
}

func (l layout) header(style lipgloss.Style) string {
	var b strings.Builder
	b.WriteString(lead)
	for i, c := range l.columns() {
		if i > 0 {
			b.WriteString(gap)
		}
		b.WriteString(style.Render(pad(c.title, c.width, c.right)))
	}
	return b.String()
}

// renderRow draws one record; the selected one is marked and styled over
// its whole width, and search matches in key and value are highlighted.
// Pieces of one style are drawn together: a frame is mostly Render calls.
func (m Model) renderRow(l layout, r cells, selected bool) string {
	base, faint, hl, start := m.st.Plain, m.st.Faint, m.matchStyle(), lead
	if selected {
		base, faint, hl, start = base.Inherit(m.st.Selected), faint.Inherit(m.st.Selected), hl.Inherit(m.st.Selected), mark
	}
	var b strings.Builder
	b.WriteString(base.Render(start + pad(r.partition, l.p.width, true) + gap + pad(r.offset, l.offset.width, true) +
		gap + pad(r.time, l.time.width, false) + gap))
	b.WriteString(m.textCell(r.key, r.nullKey, l.key.width, base, faint, hl))
	b.WriteString(render(base, gap))
	b.WriteString(m.textCell(r.value, r.nullValue, l.value.width, base, faint, hl))
	if l.showSize {
		b.WriteString(faint.Render(gap + pad(r.size, l.size.width, true)))
	}
	line := b.String()
	if w := ansi.StringWidth(line); selected && w < m.width {
		line += base.Render(strings.Repeat(" ", m.width-w))
	}
	return line
}

// textCell is a key or value cut to width with its matches highlighted.
func (m Model) textCell(text string, null bool, width int, base, faint, hl lipgloss.Style) string {
	if null {
		return faint.Render(pad("null", width, false))
	}
	if ansi.StringWidth(text) > width {
		text = ansi.Truncate(text, width-1, "") + "…"
	}
	return m.highlightWith(pad(text, width, false), base, hl)
}

// highlight draws text with the search's matches standing out.
func (m Model) highlight(text string, base lipgloss.Style) string {
	return m.highlightWith(text, base, m.matchStyle())
}

func (m Model) highlightWith(text string, base, hl lipgloss.Style) string {
	spans := m.search.spans(text)
	if len(spans) == 0 {
		return render(base, text)
	}
	var b strings.Builder
	at := 0
	for _, s := range spans {
		if s[1] == s[0] {
			continue // an empty match marks nothing
		}
		b.WriteString(render(base, text[at:s[0]]))
		b.WriteString(render(hl, text[s[0]:s[1]]))
		at = s[1]
	}
	b.WriteString(render(base, text[at:]))
	return b.String()
}

// render is style.Render, but nothing for nothing: no escape codes
// around an empty piece.
func render(style lipgloss.Style, s string) string {
	if s == "" {
		return ""
	}
	return style.Render(s)
}

// matchStyle marks search matches: black on yellow.
func (m Model) matchStyle() lipgloss.Style {
	return m.st.Renderer.NewStyle().Foreground(lipgloss.Color("0")).Background(lipgloss.Color("3"))
}

func pad(s string, width int, right bool) string {
	space := strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
	if right {
		return space + s
	}
	return s + space
}
