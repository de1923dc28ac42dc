package messages

import (
	"github.com/kqhq/kq/admin"

	tea "github.com/charmbracelet/bubbletea"
)

// ResendMsg asks the TUI to open its produce dialog filled with Record:
// R on a record. The produce dialog belongs to the TUI, which has the
// producer and the actions' preview and confirmation.
type ResendMsg struct{ Record admin.Record }

// resendSelected asks to resend the record under the cursor, or the one
// open.
func (m *Model) resendSelected() tea.Cmd {
	if !m.opts.Resend {
		m.flash = flash{text: "resending needs a producer: not under kq tui --read-only", bad: true}
		return nil
	}
	var rec admin.Record
	switch {
	case m.detail != nil:
		rec = m.detail.rec
	case m.sel.valid:
		rec = m.buf.At(m.sel.index).rec
	default:
		m.flash = flash{text: "no record to resend", bad: true}
		return nil
	}
	return func() tea.Msg { return ResendMsg{Record: rec} }
}
