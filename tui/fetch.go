package tui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/pages"
	"github.com/kqhq/kq/tui/snapshot"
)

// snapshotMsg is the result of one refresh: a snapshot, or the error that
// kept metadata from being read.
type snapshotMsg struct {
	snap *snapshot.Snapshot
	err  error
	at   time.Time
	gen  int // Model.clusterGen when it started
}

// tickMsg asks for the next refresh; gen drops ticks scheduled before a
// manual refresh or a resume, so only one chain of ticks runs.
type tickMsg struct{ gen int }

// clockMsg redraws the ages in the status line once a second.
type clockMsg struct{}

// connection is what the status line reports about the cluster.
type connection struct {
	fetching    bool
	lastAttempt time.Time
	lastOK      time.Time
	err         error // the last refresh's failure; nil after a success
	failures    int   // refreshes failed in a row
}

// refresh starts a refresh unless one is running.
func (m Model) refresh() (Model, tea.Cmd) {
	if m.conn.fetching {
		return m, nil
	}
	m.conn.fetching = true
	m.conn.lastAttempt = m.opts.Now()
	ctx, src, prev, timeout, now := m.opts.Context, m.opts.Source, m.snap, m.opts.Timeout, m.opts.Now
	opts, gen := m.collectOptions(), m.clusterGen
	return m, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		at := now()
		s, err := snapshot.CollectWith(ctx, src, prev, at, opts)
		return snapshotMsg{snap: s, err: err, at: at, gen: gen}
	}
}

// collectOptions keep the group or transaction on screen live whatever
// the budgets.
func (m Model) collectOptions() snapshot.Options {
	var focus []string
	for _, f := range m.stack {
		if gl, ok := f.page.(pages.GroupLag); ok {
			focus = append(focus, gl.Group)
		}
	}
	opts := snapshot.Options{Focus: focus}
	switch f := m.stack[0]; {
	case f.cursor.Key == "":
	case f.page.Name() == "Groups":
		opts.Focus = append(opts.Focus, f.cursor.Key)
	case f.page.Name() == "Transactions":
		opts.FocusTransactions = []string{f.cursor.Key}
	}
	return opts
}

// scheduleTick starts a new tick chain, cancelling any pending one.
func (m Model) scheduleTick() (Model, tea.Cmd) {
	m.tickGen++
	gen := m.tickGen
	return m, tea.Tick(m.opts.Refresh, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
}

func clock() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

// applySnapshot records a refresh's result.
func (m Model) applySnapshot(msg snapshotMsg) Model {
	m.conn.fetching = false
	if msg.err != nil {
		m.conn.err = msg.err
		m.conn.failures++
		return m
	}
	m.conn.err, m.conn.failures, m.conn.lastOK = nil, 0, msg.at
	if m.paused {
		return m // a refresh that was under way when p was pressed
	}
	m.snap = msg.snap
	m.syncCursors()
	return m
}
