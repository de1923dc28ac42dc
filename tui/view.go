package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
)

// The smallest terminal the layout works in.
const (
	minWidth  = 40
	minHeight = 8
)

// chromeLines are the lines around the table: header, tabs, detail,
// status and footer.
const chromeLines = 5

// tableRows is the table's height, its header included.
func (m Model) tableRows() int { return max(2, m.height-chromeLines) }

// View draws the screen: header, tabs, table (or help), detail, status and
// footer, every line cut to the width.
func (m Model) View() string {
	if m.width == 0 {
		return "" // before the first WindowSizeMsg
	}
	if m.msgs != nil && m.dialog == nil {
		return m.msgs.View()
	}
	if m.width < minWidth || m.height < minHeight {
		return fmt.Sprintf("kq tui needs at least %dx%d (this terminal is %dx%d)", minWidth, minHeight, m.width, m.height)
	}
	body := m.body()
	lines := []string{m.header(), m.tabs()}
	if m.help && m.dialog == nil {
		// The help has no row to explain and any key closes it: it takes
		// the detail and status lines too, to list every key in 24 lines.
		lines = append(lines, components.FitLines(body, m.tableRows()+2)...)
		lines = append(lines, m.footer())
	} else {
		lines = append(lines, components.FitLines(body, m.tableRows())...)
		lines = append(lines, m.detail(), m.status(), m.footer())
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "…")
	}
	return strings.Join(lines, "\n")
}

// body is the table of the current view, the help, or a placeholder.
func (m Model) body() string {
	switch {
	case m.dialog != nil:
		return m.dialogView()
	case m.help:
		return m.helpView()
	case m.snap == nil:
		return m.st.Faint.Render("  waiting for the cluster…")
	}
	f := m.stack[len(m.stack)-1]
	rows := m.rows(f)
	if len(rows) == 0 {
		text := f.page.Empty(m.snap)
		if f.filter != "" {
			text = fmt.Sprintf("no rows match /%s (esc clears the filter)", f.filter)
		}
		return components.Table{Columns: f.page.Columns(), Header: m.st.ColumnHeader, Plain: m.st.Plain}.Render(m.width, 1) +
			"\n" + m.st.Faint.Render("  "+text)
	}
	t := components.Table{Columns: m.columns(f), Rows: rows, Cursor: f.cursor,
		Header: m.st.ColumnHeader, Selected: m.st.Selected, Plain: m.st.Plain}
	return t.Render(m.width, m.tableRows())
}

// header is the cluster line: brand, cluster id, controller, counts, and
// on the right the refresh state.
func (m Model) header() string {
	left := m.st.Brand.Render("kq")
	if m.opts.Profile != "" {
		left += m.st.Header.Render("  ctx " + m.opts.Profile)
	}
	if m.snap == nil {
		left += "  " + m.opts.Address
	} else {
		s := m.snap
		left += m.st.Header.Render("  cluster "+orNone(s.ClusterID)) + "  controller " + controllerText(s.Controller)
	}
	right := m.liveBadge() + "  every " + m.opts.Refresh.String()
	if m.opts.ReadOnly {
		right = m.st.Faint.Render("read-only") + "  " + right
	}
	if ansi.StringWidth(left)+2+ansi.StringWidth(right) > m.width {
		// Narrow: the live badge matters more than the refresh interval,
		// then than the end of the cluster line (a 22-character cluster
		// id, a profile's name).
		right = strings.TrimSuffix(right, "  every "+m.opts.Refresh.String())
		left = ansi.Truncate(left, max(0, m.width-2-ansi.StringWidth(right)), "…")
	}
	return components.Spread(left, right, m.width)
}

func (m Model) liveBadge() string {
	switch {
	case m.paused:
		return m.st.Warn.Render("‖ paused")
	case m.conn.err != nil && admin.ExplainSecurityFailure(m.conn.err) != nil:
		if admin.ExplainSecurityFailure(m.conn.err).Stage == admin.StageCredentials {
			return m.st.Bad.Render("✖ login refused")
		}
		return m.st.Bad.Render("✖ " + string(admin.ExplainSecurityFailure(m.conn.err).Stage) + " failed")
	case m.conn.err != nil:
		return m.st.Bad.Render("✖ unreachable")
	case m.snap == nil:
		return m.st.Faint.Render("○ connecting")
	}
	return m.st.Good.Render("● live")
}

func controllerText(id int32) string {
	if id < 0 {
		return "none"
	}
	return fmt.Sprint(id)
}

func orNone(s string) string {
	if s == "" {
		return components.None
	}
	return s
}
