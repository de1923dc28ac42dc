package messages

import (
	"context"
	"errors"
	"slices"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
)

// Update handles one message.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resizeDetail()
		m.scroll()
	case offsetsMsg:
		if msg.tail != m.tail || m.scan.halted() {
			return m, nil
		}
		cmd = m.started(msg)
	case batchMsg:
		if msg.tail != m.tail {
			return m, nil
		}
		cmd = m.received(msg)
	case retryMsg:
		if msg.tail != m.tail || m.scan.halted() {
			return m, nil
		}
		cmd = m.retry()
	case copiedMsg:
		m.flash = msg.flash()
	case exportedMsg:
		m.flash = msg.flash()
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return m, tea.Batch(cmd, m.pump())
}

// started takes the looked-up offsets: the consumer starts, or the lookup
// is retried.
func (m *Model) started(msg offsetsMsg) tea.Cmd {
	err := msg.err
	if err == nil && m.scan != nil {
		m.scan.skipPartitions(msg.first)
	}
	if err == nil {
		err = m.startConsumer(msg.first)
	}
	if err != nil {
		m.state, m.err = stateFailed, err
		return retryAfter(m.tail, resolveRetry)
	}
	m.state, m.err, m.bounds = stateTailing, nil, msg.bounds
	if m.scan != nil {
		m.scan.begin(msg.first, msg.bounds, m.opts.Now())
	}
	return nil
}

// received takes one poll's records; a failed poll is sent again after a
// pause, keeping what came with the failure.
func (m *Model) received(msg batchMsg) tea.Cmd {
	m.held = append(m.held, msg.recs...)
	if m.scan != nil {
		m.scan.progress(msg, m.opts.Now())
	}
	if len(msg.recs) > 0 {
		m.rate.add(len(msg.recs), m.opts.Now())
	}
	if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
		m.err = msg.err
		return retryAfter(m.tail, pollRetry) // the poll slot stays taken until then
	}
	m.err = nil
	m.tail.polling = false
	return nil
}

// retry runs again what failed: the offset lookup, or a poll.
func (m *Model) retry() tea.Cmd {
	if m.state == stateFailed {
		m.state = stateLoading
		return m.resolve()
	}
	m.tail.polling = false
	return nil
}

// pump moves held records into view when the view may take them, and
// polls again when nothing is left waiting: so a paused view, or one
// reading history with a full buffer, fetches no more than one batch.
func (m *Model) pump() tea.Cmd {
	if m.paused || m.state != stateTailing {
		return nil
	}
	if len(m.held) > 0 {
		recs := m.held
		m.held = nil
		m.take(recs)
	}
	m.stalled = len(m.held) > 0
	if m.stalled || m.tail.polling {
		return nil
	}
	m.tail.polling = true
	return m.tail.poll()
}

// take inserts records. Following the newest, all of them, the oldest
// held making room; reading history, only what fits, the rest waiting
// until the cursor goes back to the bottom, so nothing being read is
// pushed out.
func (m *Model) take(recs []admin.Record) {
	if !m.follow {
		slices.SortStableFunc(recs, func(x, y admin.Record) int { return m.buf.compare(&x, &y) })
		room := m.buf.Room(recs)
		m.held = recs[room:]
		recs = recs[:room]
	}
	if len(recs) == 0 {
		return
	}
	screenRow := m.row() - m.top
	changed, dropped := m.buf.Insert(recs, m.search.matches)
	m.rebuildVisible()
	m.relocate(changed, dropped)
	m.top = m.row() - screenRow
	m.scroll()
}

// relocate finds the selected record again after an insert.
func (m *Model) relocate(changed, dropped int) {
	n := m.buf.Len()
	switch {
	case m.follow:
		m.selectRow(m.rowCount() - 1)
	case !m.sel.valid:
		m.selectRow(0)
	case m.sel.index < dropped:
		m.selectRow(0) // the selected record itself was dropped
	case m.sel.index-dropped < changed:
		m.sel.index -= dropped
	default:
		if i := m.buf.Find(m.sel.partition, m.sel.offset, changed); i >= 0 {
			m.sel.index = i
		} else {
			m.sel.index = min(m.sel.index-dropped, n-1)
		}
	}
}
