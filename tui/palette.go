package tui

import (
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// maxHistory bounds the palette's remembered commands.
const maxHistory = 100

// paletteHistory is the commands run in this session, oldest first, and
// where up/down stand in it while a command is typed.
type paletteHistory struct {
	lines []string
	at    int    // index into lines being shown; len(lines) is the draft
	draft string // what was typed before up was pressed
}

// remember adds a command run, dropping a repeat of the last one.
func (h paletteHistory) remember(line string) paletteHistory {
	line = strings.TrimSpace(line)
	if line != "" && (len(h.lines) == 0 || h.lines[len(h.lines)-1] != line) {
		h.lines = append(slices.Clone(h.lines), line)
		if len(h.lines) > maxHistory {
			h.lines = h.lines[len(h.lines)-maxHistory:]
		}
	}
	h.at, h.draft = len(h.lines), ""
	return h
}

// step moves by delta (-1 older, +1 newer) from the line typed and
// returns the line to show.
func (h paletteHistory) step(delta int, typed string) (paletteHistory, string) {
	if h.at == len(h.lines) {
		h.draft = typed
	}
	h.at = min(max(h.at+delta, 0), len(h.lines))
	if h.at == len(h.lines) {
		return h, h.draft
	}
	return h, h.lines[h.at]
}

// completeCommand completes the palette's line: the command name, or its
// first argument from the cluster (topics, groups, transactional ids).
// It returns the new line and the candidates when more than one fits.
func (m Model) completeCommand(line string) (string, []string) {
	fields := strings.Fields(line)
	switch {
	case len(fields) == 0 || len(fields) == 1 && !strings.HasSuffix(line, " "):
		word := ""
		if len(fields) == 1 {
			word = fields[0]
		}
		return completeWord("", word, m.commandNames())
	case len(fields) == 1 || len(fields) == 2 && !strings.HasSuffix(line, " "):
		word := ""
		if len(fields) == 2 {
			word = fields[1]
		}
		return completeWord(fields[0]+" ", word, m.argumentNames(fields[0]))
	}
	return line, nil
}

// commandNames are the names Tab completes a first word to: the ones the
// help lists (m.commands, the actions unless read-only), so the two never
// disagree.
func (m Model) commandNames() []string {
	var names []string
	for _, word := range strings.Fields(m.commands()) {
		if name, ok := strings.CutPrefix(word, ":"); ok {
			names = append(names, name)
		}
	}
	return names
}

// argumentNames are what a command's first argument may be.
func (m Model) argumentNames(command string) []string {
	switch command {
	case "ctx", "context", "profile":
		// Before the snapshot check: an unreachable cluster is when one
		// switches away.
		if m.opts.Profiles == nil {
			return nil
		}
		names, _ := m.opts.Profiles.Names() // none when unreadable; :ctx says why
		return names
	}
	if m.snap == nil {
		return nil
	}
	var names []string
	switch command {
	case "t", "topic", "topics", "p", "partitions", "m", "messages", "tail", "topic-acls",
		"add-partitions", "delete", "elect", "configs", "produce":
		for _, t := range m.snap.Topics {
			names = append(names, t.Name)
		}
	case "g", "groups", "cg", "group", "lag", "reset-offsets":
		for _, g := range m.snap.Groups {
			names = append(names, g.Name)
		}
	case "transactions", "txns", "txn", "tx", "abort":
		for _, t := range m.snap.Transactions {
			names = append(names, t.ID)
		}
	case "acls", "acl":
		names = m.principals()
	case "set-config":
		names = m.configNames()
	}
	return names
}

// completeWord completes word among names after prefix: to the one name
// that fits (and a space), or to what all that fit share.
func completeWord(prefix, word string, names []string) (string, []string) {
	var fits []string
	for _, n := range names {
		if strings.HasPrefix(n, word) {
			fits = append(fits, n)
		}
	}
	switch len(fits) {
	case 0:
		return prefix + word, nil
	case 1:
		return prefix + fits[0] + " ", nil
	}
	return prefix + sharedPrefix(fits), fits
}

func sharedPrefix(names []string) string {
	shared := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, shared) {
			shared = shared[:len(shared)-1]
		}
	}
	return shared
}

// paletteKey handles Tab, up and down in the command palette; ok is false
// for every other key.
func (m Model) paletteKey(msg tea.KeyMsg) (Model, bool) {
	switch msg.Type {
	case tea.KeyTab:
		line, fits := m.completeCommand(m.input.Value())
		m.input.SetValue(line)
		m.input.CursorEnd()
		m.flash = flash{}
		if len(fits) > 0 {
			m.flash = flash{text: strings.Join(fits, "  ")}
		}
	case tea.KeyUp, tea.KeyDown:
		delta := -1
		if msg.Type == tea.KeyDown {
			delta = 1
		}
		var line string
		m.history, line = m.history.step(delta, m.input.Value())
		m.input.SetValue(line)
		m.input.CursorEnd()
	default:
		return m, false
	}
	return m, true
}
