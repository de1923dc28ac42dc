package messages

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	if msg.Type == tea.KeyCtrlC {
		return m, tea.Quit
	}
	m.flash = flash{}
	var cmd tea.Cmd
	switch {
	case m.mode != modeNormal:
		m, cmd = m.handleInput(msg)
	case m.help:
		m.help = false // any key closes the help
		if key.Matches(msg, m.keys.Quit) {
			return m, tea.Quit
		}
	case m.detail != nil:
		m, cmd = m.handleDetailKey(msg)
	default:
		m, cmd = m.handleTableKey(msg)
	}
	return m, tea.Batch(cmd, m.pump())
}

func (m Model) handleTableKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	offered := m.offerScan
	m.offerScan = false // any key answers the offer
	switch {
	case offered && msg.Type == tea.KeyEnter:
		return m.searchWholeTopic()
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Back):
		return m.back()
	case key.Matches(msg, k.Open):
		m.openDetail()
	case key.Matches(msg, k.Copy):
		return m, m.copySelected()
	case key.Matches(msg, k.Resend):
		return m, m.resendSelected()
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		m.jump(key.Matches(msg, k.Next))
	default:
		return m.handleCommonKey(msg)
	}
	return m, nil
}

// handleCommonKey handles the keys that mean the same over the table and
// over an open record.
func (m Model) handleCommonKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Help):
		m.help = true
	case key.Matches(msg, k.Pause):
		m.paused = !m.paused
	case key.Matches(msg, k.Search):
		return m.startInput(modeSearch, m.search.text)
	case key.Matches(msg, k.Start):
		return m.startInput(modeStart, m.opts.Start.String())
	case key.Matches(msg, k.Filter):
		text := ""
		if m.scan != nil {
			text = m.scan.filter.String()
		}
		return m.startInput(modeFilter, text)
	case key.Matches(msg, k.Export):
		return m.startInput(modeExport, m.opts.Topic+".jsonl")
	default:
		m.moveCursor(msg)
	}
	return m, nil
}

// back closes the search first, then stops a running filter, then
// clears it, then closes the view.
func (m Model) back() (Model, tea.Cmd) {
	switch {
	case m.search.active():
		m.setSearch(search{})
		return m, nil
	case m.scan.running():
		return m.stopScan()
	case m.scan != nil:
		return m.clearFilter()
	}
	stop := m.Stop()
	return m, tea.Batch(stop, func() tea.Msg { return ClosedMsg{} })
}

// moveCursor handles the movement keys over the table.
func (m *Model) moveCursor(msg tea.KeyMsg) {
	k := m.keys
	page := max(1, m.tableRows()-1)
	switch {
	case key.Matches(msg, k.Up):
		m.moveTo(m.row() - 1)
	case key.Matches(msg, k.Down):
		m.moveTo(m.row() + 1)
	case key.Matches(msg, k.PageUp):
		m.moveTo(m.row() - page)
	case key.Matches(msg, k.PageDown):
		m.moveTo(m.row() + page)
	case key.Matches(msg, k.Top):
		m.moveTo(0)
	case key.Matches(msg, k.Bottom):
		m.moveTo(m.rowCount() - 1)
	}
}

// jump moves to the next (or previous) matching record, wrapping around
// as less does; without a search, to the next record.
func (m *Model) jump(forward bool) {
	n := m.rowCount()
	if n == 0 {
		return
	}
	r := m.row()
	next := r + 1
	if !forward {
		next = r - 1
	}
	if m.search.active() && (next < 0 || next >= n) {
		next = (next + n) % n
		m.flash = flash{text: "search wrapped around"}
	}
	m.moveTo(next)
}

// startInput opens the footer's input for a search or a start position.
func (m Model) startInput(mode inputMode, value string) (Model, tea.Cmd) {
	m.mode = mode
	m.input.SetValue(value)
	m.input.CursorEnd()
	return m, m.input.Focus()
}

// handleInput edits the search (applied as it is typed) or the start
// position (applied by enter).
func (m Model) handleInput(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		if m.mode == modeSearch {
			m.setSearch(search{})
		}
		return m.endInput(), nil
	case tea.KeyEnter:
		return m.enterInput()
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	m.filterErr = nil // shown until the filter is edited
	if m.mode == modeSearch {
		s, err := compileSearch(m.input.Value())
		m.searchErr = err
		if err == nil {
			m.setSearch(s)
		}
	}
	return m, cmd
}

// enterInput applies what was typed: a start, a filter or an export
// path; a search is already applied, and when it matches nothing held the
// view offers to search the whole topic.
func (m Model) enterInput() (Model, tea.Cmd) {
	text := m.input.Value()
	switch m.mode {
	case modeStart:
		return m.endInput().applyStart(text)
	case modeFilter:
		return m.enterFilter(text)
	case modeExport:
		return m.endInput().export(text)
	}
	if m.searchErr != nil {
		m.flash = flash{text: m.searchErr.Error(), bad: true}
	}
	m.offerScan = m.search.active() && len(m.visible) == 0 && m.searchErr == nil
	return m.endInput(), nil
}

func (m Model) endInput() Model {
	m.mode = modeNormal
	m.searchErr, m.filterErr = nil, nil
	m.input.Blur()
	return m
}

// applyStart restarts the tail from what was typed at s.
func (m Model) applyStart(text string) (Model, tea.Cmd) {
	start, err := ParseStart(text, m.opts.Now())
	if err != nil {
		m.flash = flash{text: fmt.Sprintf("start: %v", err), bad: true}
		return m, nil
	}
	if m.scan != nil { // the filter goes on over the new range
		m.unfiltered = start
		start = scanStart(start)
	}
	return m.restart(start)
}

// setSearch applies a new search: every record is matched again and the
// cursor stays on its record when that still matches.
func (m *Model) setSearch(s search) {
	m.search = s
	m.buf.Rematch(s.matches)
	m.rebuildVisible()
	if m.follow {
		m.selectRow(m.rowCount() - 1)
	} else {
		m.selectRow(m.row())
	}
	m.scroll()
}

// restart begins a new tail from start, dropping what the old one held.
func (m Model) restart(start Start) (Model, tea.Cmd) {
	var stop tea.Cmd
	if m.tail != nil {
		stop = m.tail.stop()
	}
	m.opts.Start = start
	m.resetRecords()
	m.detail = nil
	m.follow = start.follows()
	m.state, m.err, m.bounds = stateLoading, nil, nil
	m.tail = newTail(m.opts.Context)
	if m.scan != nil {
		m.scan = &scan{filter: m.scan.filter}
		m.tail.match = m.scan.filter.Match
	}
	return m, tea.Batch(stop, m.resolve())
}
