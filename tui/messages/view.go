package messages

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/kqhq/kq/tui/components"
)

// The smallest terminal the layout works in.
const (
	minWidth  = 40
	minHeight = 8
)

// chromeLines are the lines around the table: header, info, the selected
// record's summary, status and footer.
const chromeLines = 5

// tableRows is how many records the table shows (its header aside).
func (m Model) tableRows() int { return max(1, m.height-chromeLines-1) }

// View draws the screen, every line cut to the width.
func (m Model) View() string {
	if m.width == 0 {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		return fmt.Sprintf("kq tui needs at least %dx%d (this terminal is %dx%d)", minWidth, minHeight, m.width, m.height)
	}
	lines := []string{m.header(), m.info()}
	var body string
	switch {
	case m.help:
		body = m.helpView()
	case m.detail != nil:
		body = m.detail.vp.View()
	default:
		body = m.table()
	}
	lines = append(lines, components.FitLines(body, m.tableRows()+1)...)
	lines = append(lines, m.summary(), m.status(), m.footer())
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "…")
	}
	return strings.Join(lines, "\n")
}

// header names what is shown and, on the right, the tail's state.
func (m Model) header() string {
	left := m.st.Brand.Render("kq") + m.st.Header.Render("  "+m.Title()+" › messages")
	return components.Spread(left, m.badge(), m.width)
}

func (m Model) badge() string {
	switch {
	case m.paused:
		return m.st.Warn.Render("‖ paused")
	case m.err != nil:
		return m.st.Bad.Render("✖ failing")
	case m.state == stateLoading:
		return m.st.Faint.Render("○ loading")
	case m.stalled:
		return m.st.Warn.Render("◼ buffer full")
	case m.scan.running():
		return m.st.Warn.Render("⟳ filtering")
	case m.scan != nil && m.scan.stopped:
		return m.st.Warn.Render("◼ filter stopped")
	case m.follow:
		return m.st.Good.Render("● following")
	}
	return m.st.Good.Render("● tailing")
}

// info is where the tail started, how much it holds and the search.
func (m Model) info() string {
	parts := []string{m.opts.Start.label(m.opts.Partition == AllPartitions, m.opts.Location)}
	if b, ok := m.bounds[m.opts.Partition]; ok {
		parts = append(parts, fmt.Sprintf("log %d–%d at open", b.start, b.end))
	}
	parts = append(parts, fmt.Sprintf("%s held (max %s)", components.Count(int64(m.buf.Len())),
		components.Count(int64(m.buf.limits.Records))))
	line := " " + m.st.Faint.Render(strings.Join(parts, " · "))
	if m.scan != nil {
		line += m.st.Warn.Render("  filter " + m.scan.filter.String())
	}
	if m.search.active() || m.mode == modeSearch {
		line += m.st.Warn.Render("  /"+m.search.text) + m.st.Faint.Render(fmt.Sprintf("  %s of %s match",
			components.Count(int64(len(m.visible))), components.Count(int64(m.buf.Len()))))
	}
	return line
}

// summary describes the selected record, or where the open one is
// scrolled.
func (m Model) summary() string {
	if m.detail != nil {
		d := m.detail
		return m.st.Faint.Render(fmt.Sprintf(" offset %d · partition %d · %d%%", d.rec.Offset, d.rec.Partition,
			int(d.vp.ScrollPercent()*100)))
	}
	if !m.sel.valid {
		return ""
	}
	r := &m.buf.At(m.sel.index).rec
	kind := "CreateTime"
	if r.LogAppendTime {
		kind = "LogAppendTime"
	}
	text := fmt.Sprintf("%s %s · key %s · value %s", formatTime(r.Timestamp, detailTime, m.opts.Location), kind,
		nullableSize(r.Key), nullableSize(r.Value))
	if len(r.Headers) > 0 {
		text += " · " + plural(len(r.Headers), "header")
	}
	return fmt.Sprintf(" %s %s", m.st.Header.Render(fmt.Sprintf("%s-%d@%d", r.Topic, r.Partition, r.Offset)), m.st.Faint.Render(text))
}

func nullableSize(b []byte) string {
	if b == nil {
		return "null"
	}
	return byteSize(len(b))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// status reports the tail: a command's message, a failure, loading,
// paused, a full buffer, or the rate of records.
func (m Model) status() string {
	switch {
	case m.flash.text != "" && m.flash.bad:
		return " " + m.st.Bad.Render(m.flash.text)
	case m.flash.text != "":
		return " " + m.flash.text
	case m.err != nil && m.state == stateFailed:
		return " " + m.st.Bad.Render(fmt.Sprintf("✖ %s; retrying every %v", oneLine(m.err), resolveRetry))
	case m.err != nil:
		return " " + m.st.Bad.Render(fmt.Sprintf("✖ fetch: %s; retrying every %v", oneLine(m.err), pollRetry))
	case m.state == stateLoading:
		return " " + m.st.Faint.Render("looking up where "+m.opts.Start.String()+" is…")
	case m.paused:
		text := "‖ paused (p resumes)"
		if len(m.held) > 0 {
			text += fmt.Sprintf("; %s waiting", plural(len(m.held), "record"))
		}
		return " " + m.st.Warn.Render(text)
	case m.stalled && m.scan != nil:
		return " " + m.st.Warn.Render(fmt.Sprintf("◼ filter paused at %d%%: buffer full at %s matches · G reads on, dropping the oldest · esc stops",
			int(m.scan.fraction()*100), components.Count(int64(m.buf.Len()))))
	case m.stalled:
		return " " + m.st.Warn.Render(fmt.Sprintf("◼ buffer full at %s records: G follows the newest, dropping the oldest",
			components.Count(int64(m.buf.Len()))))
	case m.offerScan:
		return " " + m.st.Warn.Render(fmt.Sprintf("no match in the %s records held: enter searches the whole topic",
			components.Count(int64(m.buf.Len()))))
	case m.scan != nil:
		return " " + m.scanStatus()
	}
	text := fmt.Sprintf("%s of %s kept", byteSize(m.buf.Bytes()), byteSize(m.buf.limits.Bytes))
	if rate, known := m.rate.current(m.opts.Now()); known {
		text = components.Rate(rate, true) + " records/s · " + text
	}
	return " " + m.st.Good.Render("●") + m.st.Faint.Render(" "+text)
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

// footer shows the keys, or the input of / and s.
func (m Model) footer() string {
	switch m.mode {
	case modeSearch:
		line := m.st.Key.Render(" /") + m.input.View()
		if m.searchErr != nil {
			line += "  " + m.st.Bad.Render(m.searchErr.Error())
		}
		return line
	case modeStart:
		return m.st.Key.Render(" start: ") + m.input.View() + "  " + m.st.Faint.Render(startHelp)
	case modeFilter:
		line := m.st.Key.Render(" filter: ") + m.input.View()
		if m.filterErr != nil {
			return line + "  " + m.st.Bad.Render(oneLine(m.filterErr))
		}
		return line + "  " + m.st.Faint.Render(filterHint)
	case modeExport:
		return m.st.Key.Render(" export to: ") + m.input.View() + "  " + m.st.Faint.Render(m.exportPrompt())
	}
	bindings := m.keys.footer()
	if m.detail != nil {
		bindings = m.keys.detailFooter()
		if m.opts.Resend {
			bindings = append(bindings[:len(bindings)-1], m.keys.Resend, m.keys.Help)
		}
	}
	var parts []string
	for _, b := range bindings {
		parts = append(parts, m.st.Key.Render(b.Help().Key)+" "+m.st.Faint.Render(b.Help().Desc))
		if m.detail == nil && b.Help().Key == "enter" {
			parts[len(parts)-1] += m.st.Faint.Render(" record")
		}
	}
	return " " + strings.Join(parts, "  ")
}

// keyNames lists all the keys of a binding, short: "j ↓", "pgdn ^f".
func keyNames(b key.Binding) string {
	short := strings.NewReplacer("pgup", "pgup", "pgdown", "pgdn", "up", "↑", "down", "↓", "left", "←", "right", "→", "ctrl+", "^")
	names := make([]string, len(b.Keys()))
	for i, n := range b.Keys() {
		names[i] = short.Replace(n)
	}
	return strings.Join(names, " ")
}

// helpView lists every key, the start positions and the memory bound.
func (m Model) helpView() string {
	var groups []string
	for _, group := range m.keys.all(m.opts.Resend) {
		var lines []string
		for _, b := range group {
			lines = append(lines, fmt.Sprintf(" %-9s %-14s", keyNames(b), b.Help().Desc))
		}
		groups = append(groups, strings.Join(lines, "\n"))
	}
	keys := lipgloss.JoinHorizontal(lipgloss.Top, groups...)
	if lipgloss.Width(keys) > m.width {
		keys = strings.Join(groups, "\n")
	}
	return strings.Join([]string{
		m.st.Header.Render("  Keys") + m.st.Faint.Render("   (any key closes this help)"), "", keys, "",
		m.st.Header.Render("  Start positions") + m.st.Faint.Render("   (s, then one of)"),
		"  " + startHelp,
		m.st.Header.Render("  Search") + m.st.Faint.Render("   text (any case unless it has capitals) or /regexp/"),
		m.st.Header.Render("  Filter") + m.st.Faint.Render("   (f) over the topic from the start position, newest/live: all; "+filterHint),
		m.st.Header.Render("  Memory") + m.st.Faint.Render(fmt.Sprintf("   at most %s records or %s; the oldest go first",
			components.Count(int64(m.buf.limits.Records)), byteSize(m.buf.limits.Bytes))),
	}, "\n")
}
