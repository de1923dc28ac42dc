package tui

import (
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/messages"
	"github.com/kqhq/kq/tui/pages"
)

// The Messages view is a model of its own (package messages) shown over
// the others: while it is open it gets the keys and its own messages, and
// the refreshes go on underneath so the view it returns to is current.

// routeToMessages hands msg to the open Messages view; false leaves msg
// to the model (its refreshes and the clock, and a resize, which both
// take).
func (m Model) routeToMessages(msg tea.Msg) (Model, tea.Cmd, bool) {
	if m.msgs == nil {
		return m, nil, false
	}
	switch msg.(type) {
	case snapshotMsg, tickMsg, clockMsg, planMsg, actionDoneMsg, ctxMsg, configsMsg, editorDoneMsg, messages.ResendMsg:
		return m, nil, false
	case tea.KeyMsg:
		if m.dialog != nil {
			return m, nil, false // a resend's dialog, over the view
		}
	case messages.ClosedMsg:
		m.msgs = nil
		m.syncCursors()
		return m, nil, true
	}
	next, cmd := m.msgs.Update(msg)
	m.msgs = &next
	_, resize := msg.(tea.WindowSizeMsg)
	return m, cmd, !resize
}

// messagesTarget is what m opens from the row under the cursor: a topic's
// partitions (Topics), one partition (a topic's partitions).
func (m Model) messagesTarget() (topic string, partition int32, ok bool) {
	f := m.stack[len(m.stack)-1]
	switch p := f.page.(type) {
	case pages.Topics:
		return f.cursor.Key, messages.AllPartitions, f.cursor.Key != ""
	case pages.Partitions:
		n, err := strconv.ParseInt(f.cursor.Key, 10, 32)
		return p.Topic, int32(n), err == nil
	}
	return "", 0, false
}

// openMessagesHere opens the Messages view of the row under the cursor.
func (m Model) openMessagesHere() (tea.Model, tea.Cmd) {
	if _, ok := m.top().page.(pages.GroupLag); ok {
		return m.openLagMessages() // at the group's committed offset
	}
	topic, partition, ok := m.messagesTarget()
	if !ok {
		m.flash = flash{text: "select a topic or a partition to read its messages", bad: true}
		return m, nil
	}
	return m.openMessages(topic, partition, messages.Start{Kind: messages.Newest, N: messages.DefaultNewest})
}

// openMessages shows the Messages view of topic (one partition, or
// messages.AllPartitions) from start.
func (m Model) openMessages(topic string, partition int32, start messages.Start) (tea.Model, tea.Cmd) {
	if m.opts.Messages == nil {
		m.flash = flash{text: "reading messages needs a consumer, which this kq tui was not given", bad: true}
		return m, nil
	}
	v, err := messages.New(messages.Options{Context: m.opts.Context, Source: m.opts.Messages, Styles: m.st,
		Topic: topic, Partition: partition, Start: start, CopyFile: m.opts.CopyFile, Clipboard: m.opts.Clipboard,
		Now: m.opts.Now, Resend: !m.opts.ReadOnly && m.opts.NewProducer != nil})
	if err != nil {
		m.flash = flash{text: err.Error(), bad: true}
		return m, nil
	}
	v, _ = v.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
	m.msgs = &v
	return m, v.Init()
}

// messagesCommand is :messages TOPIC [PARTITION|all] [START...].
func (m Model) messagesCommand(args []string) (tea.Model, tea.Cmd) {
	if len(args) == 0 {
		m.flash = flash{text: "usage: :messages TOPIC [PARTITION|all] [oldest|newest N|live|offset N|since TIME]", bad: true}
		return m, nil
	}
	topic, partition, rest := args[0], messages.AllPartitions, args[1:]
	if len(rest) > 0 {
		if n, err := strconv.ParseInt(rest[0], 10, 32); err == nil && n >= 0 {
			partition, rest = int32(n), rest[1:]
		} else if rest[0] == "all" {
			rest = rest[1:]
		}
	}
	if m.snap != nil {
		if _, ok := m.snap.Topic(topic); !ok {
			m.flash = flash{text: fmt.Sprintf("no topic %q", topic), bad: true}
			return m, nil
		}
	}
	start, err := messages.ParseStart(strings.Join(rest, " "), m.opts.Now())
	if err != nil {
		m.flash = flash{text: err.Error(), bad: true}
		return m, nil
	}
	return m.openMessages(topic, partition, start)
}
