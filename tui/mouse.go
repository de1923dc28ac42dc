package tui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// tableTop is the screen line of the table's first row: under the
// header, the tabs and the column titles.
const tableTop = 3

// handleMouse selects with a click and scrolls with the wheel (kq tui
// --mouse); a click on the selected row opens it, as enter does. Mouse
// events reach the model only when --mouse asked for them.
func (m Model) handleMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if m.dialog != nil || m.mode != modeNormal || m.help || m.snap == nil {
		return m, nil
	}
	f := m.top()
	rows := m.rows(*f)
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		f.cursor = f.cursor.Move(-1, rows)
	case msg.Button == tea.MouseButtonWheelDown:
		f.cursor = f.cursor.Move(1, rows)
	case msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress:
		line := msg.Y - tableTop
		if line < 0 || line >= m.tableRows()-1 {
			return m, nil
		}
		i := f.cursor.Offset + line
		if i >= len(rows) {
			return m, nil
		}
		if i == f.cursor.Index {
			return m.handleNormalKey(tea.KeyMsg{Type: tea.KeyEnter})
		}
		f.cursor = f.cursor.Move(i-f.cursor.Index, rows)
	default:
		return m, nil
	}
	f.cursor = f.cursor.Scroll(m.tableRows()-1, len(rows)) // the header takes a line
	return m, nil
}
