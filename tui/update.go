package tui

import (
	"maps"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/messages"
	"github.com/kqhq/kq/tui/pages"
)

// Update handles one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// Frames are changed in place below; a copy keeps earlier models
	// (which tests hold on to) as they were.
	m.stack = slices.Clone(m.stack)
	if k, ok := msg.(tea.KeyMsg); ok && k.Alt {
		return m.escapeThen(k)
	}
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste {
		return m.oneByOne(k)
	}
	if next, cmd, ok := m.routeToMessages(msg); ok {
		return next, cmd
	}
	if m.dialog != nil {
		d := *m.dialog
		d.answers = slices.Clone(d.answers)
		m.dialog = &d
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.syncCursors()
		return m, nil
	case snapshotMsg:
		if msg.gen != m.clusterGen {
			return m, nil // a refresh of the cluster :ctx left
		}
		m = m.applySnapshot(msg)
		m, tick := m.scheduleTick()
		return m, tea.Batch(tick, m.reloadConfigs())
	case ctxMsg:
		return m.switchCluster(msg)
	case configsMsg:
		return m.applyConfigs(msg), nil
	case editorDoneMsg:
		return m.editorDone(msg)
	case messages.ResendMsg:
		return m.resend(msg.Record)
	case tickMsg:
		if msg.gen != m.tickGen || m.paused {
			return m, nil
		}
		return m.refresh()
	case clockMsg:
		return m, clock()
	case planMsg:
		return m.applyPlan(msg)
	case actionDoneMsg:
		return m.actionDone(msg)
	case tea.KeyMsg:
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg)
	}
	return m, nil
}

// escapeThen handles alt+key as escape followed by key. kq binds no alt
// keys, and a terminal program cannot tell the two apart when they arrive
// in one read: a fast typist's "esc :", a slow link, or a loaded machine
// all deliver them so, and taking them as alt+: would drop both.
func (m Model) escapeThen(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	next, escCmd := m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	k.Alt = false
	next, keyCmd := next.Update(k)
	return next, tea.Batch(escCmd, keyCmd)
}

// oneByOne handles keys a terminal delivered in one read (typed faster
// than the screen draws, or over a slow link) as the separate keys they
// were: ":ctx" read at once is ':' then "ctx", not one key nothing binds.
// A bracketed paste stays whole.
func (m Model) oneByOne(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	var next tea.Model = m
	var cmds []tea.Cmd
	for _, r := range k.Runes {
		var cmd tea.Cmd
		next, cmd = next.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds = append(cmds, cmd)
	}
	return next, tea.Batch(cmds...)
}

func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyCtrlC {
		return m, tea.Quit
	}
	m.flash = flash{}
	switch {
	case m.dialog != nil:
		return m.handleDialogKey(msg)
	case m.mode != modeNormal:
		return m.handleInput(msg)
	case m.help:
		m.help = false // any key closes the help
		if key.Matches(msg, m.keys.Quit) {
			return m, tea.Quit
		}
		return m, nil
	}
	return m.handleNormalKey(msg)
}

func (m Model) handleNormalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help = true
	case key.Matches(msg, k.Refresh):
		return m.refresh()
	case key.Matches(msg, k.Pause):
		return m.togglePause()
	case key.Matches(msg, k.Filter):
		return m.startInput(modeFilter, m.top().filter)
	case key.Matches(msg, k.Command):
		return m.startInput(modeCommand, "")
	case key.Matches(msg, k.NextView):
		m.switchView((m.view + 1) % len(m.views))
	case key.Matches(msg, k.PrevView):
		m.switchView((m.view + len(m.views) - 1) % len(m.views))
	case key.Matches(msg, k.Messages):
		return m.openMessagesHere()
	case key.Matches(msg, k.Open):
		switch m.top().page.(type) {
		case pages.Partitions, pages.GroupLag:
			return m.openMessagesHere() // a partition opens on its records
		}
		m.open()
		return m, m.configsOnTop() // a broker opens on its configs
	case key.Matches(msg, k.Back):
		m.back()
	case key.Matches(msg, k.Internal):
		return m.toggleInternal(), nil
	default:
		if next, cmd, ok := m.configKey(msg); ok {
			return next, cmd
		}
		if next, cmd, ok := m.produceKey(msg); ok {
			return next, cmd
		}
		if next, ok := m.sortKey(msg); ok {
			return next, nil
		}
		if next, cmd, ok := m.actionKey(msg); ok {
			return next, cmd
		}
		m.moveCursor(msg)
	}
	return m, nil
}

// moveCursor handles the movement keys.
func (m *Model) moveCursor(msg tea.KeyMsg) {
	f := m.top()
	rows := m.rows(*f)
	page := max(1, m.tableRows()-1)
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		f.cursor = f.cursor.Move(-1, rows)
	case key.Matches(msg, k.Down):
		f.cursor = f.cursor.Move(1, rows)
	case key.Matches(msg, k.PageUp):
		f.cursor = f.cursor.Move(-page, rows)
	case key.Matches(msg, k.PageDown):
		f.cursor = f.cursor.Move(page, rows)
	case key.Matches(msg, k.Top):
		f.cursor = f.cursor.Home(rows)
	case key.Matches(msg, k.Bottom):
		f.cursor = f.cursor.End(rows)
	default:
		return
	}
	f.cursor = f.cursor.Scroll(m.tableRows()-1, len(rows)) // the header takes a line
}

// togglePause freezes the view, or resumes with a refresh at once.
func (m Model) togglePause() (tea.Model, tea.Cmd) {
	m.paused = !m.paused
	if m.paused {
		return m, nil
	}
	m, cmd := m.refresh()
	return m, cmd
}

// switchView shows top-level view i where it was left.
func (m *Model) switchView(i int) {
	m.saved = maps.Clone(m.saved)
	m.saved[m.views[m.view].Name()] = m.stack[0]
	m.view = i
	f, ok := m.saved[m.views[i].Name()]
	if !ok {
		f = frame{page: m.views[i]}
	}
	m.stack = []frame{f}
	m.syncCursors()
}

// canOpen says whether enter leads anywhere from the row under the
// cursor: a partition opens on its records, other rows on their page's
// deeper view when it has one.
func (m Model) canOpen() bool {
	f := m.top()
	switch f.page.(type) {
	case pages.Partitions:
		_, _, ok := m.messagesTarget()
		return ok
	case pages.GroupLag:
		_, _, _, ok := m.lagRow()
		return ok
	}
	if m.snap == nil {
		return false
	}
	_, ok := f.page.Open(m.snap, f.cursor.Key)
	return ok
}

// open drills down into the row under the cursor.
func (m *Model) open() {
	if m.snap == nil {
		return
	}
	f := m.top()
	next, ok := f.page.Open(m.snap, f.cursor.Key)
	if !ok {
		return
	}
	m.stack = append(m.stack, frame{page: next})
	m.syncCursors()
}

// back clears the filter first, then goes up one level.
func (m *Model) back() {
	switch f := m.top(); {
	case f.filter != "":
		f.filter = ""
		m.syncCursors()
	case len(m.stack) > 1:
		m.stack = m.stack[:len(m.stack)-1]
		m.syncCursors()
	}
}
