package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/tui/components"
)

// tabs shows the top-level views with their counts, the drill-down path
// and the filter.
func (m Model) tabs() string {
	var parts []string
	for i, v := range m.views {
		label := " " + v.Name() + m.tabCount(v.Name()) + " "
		if i == m.view {
			parts = append(parts, m.st.ActiveTab.Render(label))
		} else {
			parts = append(parts, m.st.Tab.Render(label))
		}
	}
	line := strings.Join(parts, m.st.Rule.Render("│"))
	for _, f := range m.stack[1:] {
		line += m.st.Header.Render(" › " + f.page.Name())
	}
	if f := m.stack[len(m.stack)-1]; f.filter != "" || m.mode == modeFilter {
		line += m.st.Warn.Render("  /" + f.filter)
	}
	return line
}

// tabCount is the count beside a view's name: live/known brokers, topics
// and groups, and how many have problems.
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

// footer shows the keys, or the input line of / and :.
func (m Model) footer() string {
	switch m.mode {
	case modeFilter:
		return m.st.Key.Render(" /") + m.input.View()
	case modeCommand:
		return m.st.Key.Render(" :") + m.input.View()
	}
	var parts []string
	for _, b := range m.keys.Footer() {
		parts = append(parts, m.st.Key.Render(b.Help().Key)+" "+m.st.Faint.Render(b.Help().Desc))
	}
	return " " + strings.Join(parts, "  ")
}

// helpView lists every key and command: the key groups side by side when
// the terminal is wide enough, one under the other when not.
func (m Model) helpView() string {
	var groups []string
	for _, group := range m.keys.All() {
		var lines []string
		for _, b := range group {
			lines = append(lines, fmt.Sprintf("  %-9s %-13s", keyNames(b), b.Help().Desc))
		}
		groups = append(groups, strings.Join(lines, "\n"))
	}
	keys := lipgloss.JoinHorizontal(lipgloss.Top, groups...)
	if lipgloss.Width(keys) > m.width {
		keys = strings.Join(groups, "\n")
	}
	return strings.Join([]string{
		m.st.Header.Render("  Keys") + m.st.Faint.Render("   (any key closes this help)"), "", keys, "",
		m.st.Header.Render("  Commands") + m.st.Faint.Render("   (type : then one of these, enter runs it)"),
		"  " + commandHelp,
	}, "\n")
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
