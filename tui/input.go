package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/pages"
)

// startInput opens the footer's text input for a filter or a command.
func (m Model) startInput(mode inputMode, value string) (tea.Model, tea.Cmd) {
	m.mode = mode
	m.history.at, m.history.draft = len(m.history.lines), ""
	m.input.SetValue(value)
	m.input.CursorEnd()
	return m, m.input.Focus()
}

// handleInput edits the filter (applied as it is typed) or the command.
func (m Model) handleInput(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		if m.mode == modeFilter {
			m.top().filter = ""
			m.syncCursors()
		}
		return m.endInput(), nil
	case tea.KeyEnter:
		if m.mode == modeCommand {
			m.history = m.history.remember(m.input.Value())
			return m.endInput().runCommand(m.input.Value())
		}
		return m.endInput(), nil
	}
	if m.mode == modeCommand {
		if next, ok := m.paletteKey(msg); ok {
			return next, nil
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.mode == modeFilter {
		m.top().filter = m.input.Value()
		m.syncCursors()
	}
	return m, cmd
}

func (m Model) endInput() Model {
	m.mode = modeNormal
	m.input.Blur()
	return m
}

// commandHelp lists the palette's commands for the help screen and for a
// mistyped command.
const commandHelp = ":topics  :brokers  :groups  :transactions [ID]  :partitions TOPIC  :lag GROUP  :messages TOPIC [P] [START]  " +
	":configs [TOPIC|broker ID]  :acls [PRINCIPAL]  :topic-acls [TOPIC]  :ctx [PROFILE]  :refresh  :quit"

// commands are the palette's commands, the actions too unless read-only.
func (m Model) commands() string {
	if m.opts.ReadOnly {
		return commandHelp
	}
	return commandHelp + "  " + actionCommands
}

// runCommand carries out a palette command.
func (m Model) runCommand(line string) (tea.Model, tea.Cmd) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return m, nil
	}
	name, args := fields[0], fields[1:]
	switch name {
	case "q", "quit", "exit":
		return m, tea.Quit
	case "r", "refresh":
		return m.refresh()
	case "t", "topic", "topics":
		m.switchView(m.viewIndex("Topics"))
		if len(args) == 1 {
			m.openTopic(args[0])
		}
	case "p", "partitions":
		if len(args) != 1 {
			m.flash = flash{text: "usage: :partitions TOPIC", bad: true}
			return m, nil
		}
		m.switchView(m.viewIndex("Topics"))
		m.openTopic(args[0])
	case "b", "broker", "brokers":
		m.switchView(m.viewIndex("Brokers"))
	case "g", "groups", "cg":
		m.switchView(m.viewIndex("Groups"))
		if len(args) == 1 {
			m.openGroup(args[0])
		}
	case "transactions", "txns", "txn", "tx":
		m.switchView(m.viewIndex("Transactions"))
		if len(args) == 1 {
			m.selectTransaction(args[0])
		}
	case "m", "messages", "tail":
		return m.messagesCommand(args)
	case "ctx", "context", "profile":
		return m.ctxCommand(args)
	case "acls", "acl":
		return m.aclsCommand(args)
	case "topic-acls":
		return m.topicACLsCommand(args)
	case "group", "lag":
		if len(args) != 1 {
			m.flash = flash{text: "usage: :lag GROUP", bad: true}
			return m, nil
		}
		m.switchView(m.viewIndex("Groups"))
		m.openGroup(args[0])
	default:
		if next, cmd, ok := m.configCommand(name, args); ok {
			return next, cmd
		}
		if next, cmd, ok := m.produceCommand(name, args); ok {
			return next, cmd
		}
		if next, cmd, ok := m.actionCommand(name, args); ok {
			return next, cmd
		}
		m.flash = flash{text: fmt.Sprintf("unknown command %q; commands: %s", name, m.commands()), bad: true}
	}
	return m, nil
}

func (m Model) viewIndex(name string) int {
	for i, v := range m.views {
		if v.Name() == name {
			return i
		}
	}
	return m.view
}

// openTopic puts the cursor on topic and opens its partitions.
func (m *Model) openTopic(topic string) {
	if m.snap == nil {
		return
	}
	if _, ok := m.snap.Topic(topic); !ok {
		m.flash = flash{text: fmt.Sprintf("no topic %q", topic), bad: true}
		return
	}
	f := m.top()
	f.filter, f.cursor.Key = "", topic
	m.stack = append(m.stack[:1], frame{page: pages.Partitions{St: m.st, Topic: topic}})
	m.syncCursors()
}

// selectTransaction puts the cursor on a transactional id.
func (m *Model) selectTransaction(id string) {
	if m.snap == nil {
		return
	}
	if _, ok := m.snap.Transaction(id); !ok {
		m.flash = flash{text: fmt.Sprintf("no transactional id %q", id), bad: true}
		return
	}
	m.stack = m.stack[:1]
	f := m.top()
	f.filter, f.cursor.Key = "", id
	m.syncCursors()
}

// openGroup puts the cursor on group and opens its lag.
func (m *Model) openGroup(group string) {
	if m.snap == nil {
		return
	}
	if _, ok := m.snap.Group(group); !ok {
		m.flash = flash{text: fmt.Sprintf("no group %q", group), bad: true}
		return
	}
	f := m.top()
	f.filter, f.cursor.Key = "", group
	m.stack = append(m.stack[:1], frame{page: pages.GroupLag{St: m.st, Group: group}})
	m.syncCursors()
}
