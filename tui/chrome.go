package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
)

// tabs shows the top-level views with their counts, the drill-down path
// and the filter. On a narrow terminal the other views' counts go first,
// then the other views: the path names what is on screen and is kept
// whole (a topic cut to "orde…" was all a 60-column terminal showed).
func (m Model) tabs() string {
	trail := ""
	for _, f := range m.stack[1:] {
		trail += m.st.Header.Render(" › " + f.page.Name())
	}
	if f := m.stack[len(m.stack)-1]; f.filter != "" || m.mode == modeFilter {
		trail += m.st.Warn.Render("  /" + f.filter)
	}
	var line string
	for _, fit := range []tabsFit{tabsFull, tabsActiveCount, tabsActiveOnly} {
		line = m.tabLabels(fit) + trail
		if ansi.StringWidth(line) <= m.width {
			break
		}
	}
	return line
}

// tabsFit is how much of the views' tabs a width leaves room for.
type tabsFit int

const (
	tabsFull        tabsFit = iota // every view with its count
	tabsActiveCount                // only the view on screen keeps its count
	tabsActiveOnly                 // only the view on screen
)

func (m Model) tabLabels(fit tabsFit) string {
	var parts []string
	for i, v := range m.views {
		switch {
		case i == m.view:
			parts = append(parts, m.st.ActiveTab.Render(" "+v.Name()+m.tabCount(v.Name())+" "))
		case fit == tabsFull:
			parts = append(parts, m.st.Tab.Render(" "+v.Name()+m.tabCount(v.Name())+" "))
		case fit == tabsActiveCount:
			parts = append(parts, m.st.Tab.Render(" "+v.Name()+" "))
		}
	}
	return strings.Join(parts, m.st.Rule.Render("│"))
}

// tabCount is the count beside a view's name: live/known brokers, topics,
// groups and transactions, and how many have problems.
func (m Model) tabCount(view string) string {
	s := m.snap
	if s == nil {
		return ""
	}
	switch view {
	case "Brokers":
		return fmt.Sprintf(" %d/%d", s.LiveBrokers(), len(s.Brokers))
	case "Topics":
		text := fmt.Sprintf(" %d", len(s.Topics))
		if n := s.Problems(); n > 0 {
			text += fmt.Sprintf(" ⚠%d", n)
		}
		return text
	case "Groups":
		if !s.GroupsKnown {
			return ""
		}
		text := fmt.Sprintf(" %d", len(s.Groups))
		if n := s.LaggingGroups(); n > 0 {
			text += fmt.Sprintf(" ⚠%d", n)
		}
		return text
	case "Transactions":
		if !s.TransactionsKnown {
			return ""
		}
		text := fmt.Sprintf(" %d", len(s.Transactions))
		if n := s.TimedOutTransactions(); n > 0 {
			text += fmt.Sprintf(" ⚠%d", n)
		}
		return text
	}
	return ""
}

// detail is the line explaining the selected row.
func (m Model) detail() string {
	if m.snap == nil || m.help {
		return ""
	}
	f := m.stack[len(m.stack)-1]
	var b strings.Builder
	b.WriteString(" ")
	for _, span := range f.page.Detail(m.snap, f.cursor.Key) {
		b.WriteString(span.Style.Render(span.Text))
	}
	return b.String()
}

// status reports the connection: live, paused, partial or unreachable,
// with the data's age; or a command's message.
func (m Model) status() string {
	now := m.opts.Now()
	age := ""
	if m.snap != nil {
		age = "data from " + components.Age(now.Sub(m.snap.At)) + " ago"
	}
	switch {
	case m.flash.text != "" && m.flash.bad:
		return " " + m.st.Bad.Render(m.flash.text)
	case m.flash.text != "":
		return " " + m.flash.text
	case m.conn.err != nil && admin.ExplainSecurityFailure(m.conn.err) != nil:
		// A TLS, SASL or credentials failure: say which, not "unreachable".
		sf := admin.ExplainSecurityFailure(m.conn.err)
		return " " + m.st.Bad.Render(fmt.Sprintf("✖ %s; retrying every %v: %s", sf.Message, m.opts.Refresh, oneLine(sf.Err)))
	case m.conn.err != nil:
		text := fmt.Sprintf("✖ unreachable, retrying every %v", m.opts.Refresh)
		if age != "" {
			text += " (" + age + ")"
		}
		return " " + m.st.Bad.Render(text+": "+oneLine(m.conn.err))
	case m.snap == nil:
		return " " + m.st.Faint.Render("connecting to "+m.opts.Address+"…")
	case m.paused:
		return " " + m.st.Warn.Render("‖ paused (p resumes); "+age)
	case m.snap.Err != nil:
		return " " + m.st.Warn.Render(fmt.Sprintf("⚠ partial refresh (%s): %s", age, oneLine(m.snap.Err)))
	}
	return " " + m.st.Good.Render("●") + m.st.Faint.Render(" refreshed "+components.Age(now.Sub(m.snap.At))+" ago")
}

// oneLine flattens an error (errors.Join puts one per line) for the
// status line.
func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

// footer shows the keys, or the input line of / and :, or the dialog's
// prompt.
func (m Model) footer() string {
	switch {
	case m.dialog != nil:
		return m.dialogFooter()
	case m.mode == modeFilter:
		return m.st.Key.Render(" /") + m.input.View()
	case m.mode == modeCommand:
		return m.st.Key.Render(" :") + m.input.View()
	}
	items := fitFooter(m.footerItems(), m.width)
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = m.st.Key.Render(it.key) + " " + m.st.Faint.Render(it.desc)
	}
	return " " + strings.Join(parts, "  ")
}

// fitFooter drops keys until the footer fits width: navigation first,
// then the view's actions from the last, never help and quit (the two a
// user lost in a small terminal needs).
func fitFooter(items []footerItem, width int) []footerItem {
	for _, drop := range []string{"pause", "back", "open", "command", "filter"} {
		if footerWidth(items) <= width {
			return items
		}
		items = slices.DeleteFunc(items, func(it footerItem) bool { return it.desc == drop })
	}
	for footerWidth(items) > width {
		i := lastDroppable(items)
		if i < 0 {
			break
		}
		items = slices.Delete(items, i, i+1)
	}
	return items
}

// lastDroppable is the last key other than help and quit, -1 when none.
func lastDroppable(items []footerItem) int {
	for i := len(items) - 1; i >= 0; i-- {
		if d := items[i].desc; d != "help" && d != "quit" {
			return i
		}
	}
	return -1
}

// footerItem is one key of the footer.
type footerItem struct{ key, desc string }

// footerItems are the footer's keys: the usual ones with the current
// view's actions after the palette's key.
func (m Model) footerItems() []footerItem {
	var items []footerItem
	for _, b := range m.keys.Footer() {
		if b.Help().Key == m.keys.Open.Help().Key && !m.canOpen() {
			continue // offer enter only where it leads somewhere
		}
		items = append(items, footerItem{b.Help().Key, b.Help().Desc})
		if b.Help().Key == m.keys.Command.Help().Key {
			items = append(items, m.actionItems()...)
		}
	}
	return m.withRoomFor(items)
}

// actionItems are the actions of the view on screen, none when read-only.
func (m Model) actionItems() []footerItem {
	if m.opts.ReadOnly {
		return nil
	}
	k := m.keys
	short := func(b key.Binding, desc string) footerItem { return footerItem{keyNames(b), desc} }
	switch m.top().page.(type) {
	case pages.Topics, pages.Partitions:
		return []footerItem{short(k.CreateTopic, "create"), short(k.AddPartitions, "partitions"),
			short(k.DeleteTopic, "delete"), short(k.Elect, "elect")}
	case pages.Groups, pages.GroupLag:
		return []footerItem{short(k.ResetOffsets, "reset offsets"), short(k.DeleteGroup, "delete"), short(k.DeleteOffsets, "del offsets")}
	case pages.Transactions:
		return []footerItem{short(k.AbortTransaction, "abort")}
	}
	return nil
}

func footerWidth(items []footerItem) int {
	w := 1
	for i, it := range items {
		if i > 0 {
			w += 2
		}
		w += ansi.StringWidth(it.key) + 1 + ansi.StringWidth(it.desc)
	}
	return w
}

// helpView lists every key and command: the key groups side by side as
// far as the width allows, in rows.
func (m Model) helpView() string {
	var rows []string
	var row []string
	for _, group := range m.keys.All(!m.opts.ReadOnly) {
		var lines []string
		for _, b := range group {
			// No trailing blanks: a column is as wide as its longest key.
			lines = append(lines, strings.TrimRight(fmt.Sprintf("  %-9s %-14s", keyNames(b), b.Help().Desc), " "))
		}
		block := strings.Join(lines, "\n")
		if len(row) > 0 && lipgloss.Width(lipgloss.JoinHorizontal(lipgloss.Top, append(row, block)...)) > m.width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row = nil
		}
		row = append(row, block)
	}
	rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	title := m.st.Header.Render("  Keys") + m.st.Faint.Render("  (any key closes the help)")
	if m.opts.ReadOnly {
		title += m.st.Faint.Render("  read-only: the actions are off")
	}
	// The filter's syntax shares the title's line when it fits, so that
	// the whole help fits 80x24.
	filter := m.st.Header.Render("Filter") + "  /regex  /!regex (inverse)  /-f fuzzy"
	if lipgloss.Width(title)+3+lipgloss.Width(filter) <= m.width {
		title, filter = title+"   "+filter, ""
	} else {
		filter = "  " + filter
	}
	return strings.Join([]string{
		title, strings.Join(rows, "\n"), m.tableHelp(filter),
		// The commands flow on from their title's line: at 80x24 the
		// line a title of its own took was the last line of commands.
		wrap(append([]string{m.st.Header.Render("Commands") + m.st.Faint.Render(" (tab completes, ↑↓ recall)")},
			strings.Split(m.commands(), "  ")...), m.width),
	}, "\n")
}

// tableHelp is how to sort the view on screen (its own letters), the
// filter's syntax when the title's line had no room for it, and the
// mouse's use when it is on.
func (m Model) tableHelp(filter string) string {
	lines := []string{wrap(append([]string{m.st.Header.Render("Sort") + m.st.Faint.Render(" shift+")}, m.sortHelp()...), m.width)}
	if filter != "" {
		lines = append(lines, filter)
	}
	if m.opts.Mouse {
		lines = append(lines, "  "+m.st.Header.Render("Mouse")+"  click selects, again opens; wheel scrolls")
	}
	return strings.Join(lines, "\n")
}

// wrap flows items, two spaces apart, into lines of at most width,
// indented by two.
func wrap(items []string, width int) string {
	var lines []string
	line := ""
	for _, it := range items {
		if line != "" && 2+ansi.StringWidth(line)+2+ansi.StringWidth(it) > width {
			lines, line = append(lines, "  "+line), ""
		}
		if line != "" {
			line += "  "
		}
		line += it
	}
	return strings.Join(append(lines, "  "+line), "\n")
}

// keyNames lists all the keys of a binding, short: "j ↓", "pgdn ^f".
func keyNames(b key.Binding) string {
	short := strings.NewReplacer("pgup", "pgup", "up", "↑", "down", "↓", "left", "←", "right", "→",
		"ctrl+", "^", "shift+", "S-", "pgdown", "pgdn")
	names := slices.Clone(b.Keys())
	for i, n := range names {
		names[i] = short.Replace(n)
	}
	return strings.Join(names, " ")
}
