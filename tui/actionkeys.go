package tui

import (
	"errors"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// actionKind names an action, whether started by key or command.
type actionKind int

const (
	actCreateTopic actionKind = iota + 1
	actAddPartitions
	actDeleteTopic
	actElect
	actResetOffsets
	actAbortTransaction
	actDeleteGroup
	actDeleteOffsets
)

// actionCommands are the palette's actions, with what each takes.
const actionCommands = ":create-topic [NAME [PARTITIONS [RF]]]  :add-partitions [TOPIC [N]]  :delete [TOPIC]  " +
	":elect [TOPIC]  :reset-offsets [GROUP [TO]]  :delete-group [GROUP]  :delete-offsets [GROUP [TOPIC]]  " +
	":abort [TRANSACTIONAL-ID]  :produce [TOPIC [P]]  :set-config NAME [VALUE]"

// commandAction is the action a palette command names.
func commandAction(name string) (actionKind, bool) {
	switch name {
	case "create-topic", "create":
		return actCreateTopic, true
	case "add-partitions":
		return actAddPartitions, true
	case "delete", "delete-topic":
		return actDeleteTopic, true
	case "elect", "elect-leaders":
		return actElect, true
	case "reset-offsets", "reset":
		return actResetOffsets, true
	case "abort", "abort-transaction":
		return actAbortTransaction, true
	case "delete-group":
		return actDeleteGroup, true
	case "delete-offsets":
		return actDeleteOffsets, true
	}
	return 0, false
}

// errNoTopic and errNoGroup say where an action key works; so does
// errNoTransaction.
var (
	errNoTopic = errors.New("select a topic first (Topics view, or a topic's partitions)")
	errNoGroup = errors.New("select a group first (Groups view, or a group's lag)")
)

// actionKey starts the action bound to msg, if it is one.
func (m Model) actionKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k := m.keys
	if key.Matches(msg, k.DeleteGroup) && m.onGroupPage() {
		next, cmd := m.startAction(actDeleteGroup, nil, nil)
		return next, cmd, true
	}
	bound := []struct {
		b    key.Binding
		kind actionKind
	}{
		{k.CreateTopic, actCreateTopic}, {k.AddPartitions, actAddPartitions}, {k.DeleteTopic, actDeleteTopic},
		{k.Elect, actElect}, {k.ResetOffsets, actResetOffsets}, {k.AbortTransaction, actAbortTransaction},
		{k.DeleteOffsets, actDeleteOffsets},
	}
	for _, a := range bound {
		if key.Matches(msg, a.b) {
			next, cmd := m.startAction(a.kind, nil, nil)
			return next, cmd, true
		}
	}
	return m, nil, false
}

// actionCommand starts the action a palette command names, if it is one.
// The first argument names the topic or group (the selected one when
// absent); the rest answer the dialog's prompts.
func (m Model) actionCommand(name string, args []string) (tea.Model, tea.Cmd, bool) {
	kind, ok := commandAction(name)
	if !ok {
		return m, nil, false
	}
	var target []string
	if kind != actCreateTopic && len(args) > 0 {
		target, args = args[:1], args[1:]
	}
	next, cmd := m.startAction(kind, target, args)
	return next, cmd, true
}

// startAction opens the dialog of an action on target (the selected
// topic, group or transaction when nil) with the answers already given.
func (m Model) startAction(kind actionKind, target, answers []string) (tea.Model, tea.Cmd) {
	switch {
	case m.opts.ReadOnly:
		return m.refuseReadOnly()
	case m.snap == nil:
		return m.failAction(errors.New("waiting for the cluster"))
	case kind == actCreateTopic:
		return m.createTopic(answers)
	case kind == actResetOffsets:
		group, err := targetOf(target, m.selectedGroup, errNoGroup)
		if err != nil {
			return m.failAction(err)
		}
		if len(answers) > 0 {
			// The palette gave the target: the committed partitions, as
			// kafka-consumer-groups --all-topics.
			return m.resetOffsets(group, append(joinArgs(answers), ""))
		}
		return m.resetOffsets(group, nil)
	case kind == actDeleteGroup || kind == actDeleteOffsets:
		group, err := targetOf(target, m.selectedGroup, errNoGroup)
		if err != nil {
			return m.failAction(err)
		}
		if kind == actDeleteGroup {
			return m.deleteGroup(group)
		}
		return m.deleteGroupOffsets(group, answers)
	case kind == actAbortTransaction:
		id, err := targetOf(target, m.selectedTransaction, errNoTransaction)
		if err != nil {
			return m.failAction(err)
		}
		return m.abortTransaction(id)
	}
	topic, err := targetOf(target, m.selectedTopic, errNoTopic)
	if err != nil {
		return m.failAction(err)
	}
	switch kind {
	case actAddPartitions:
		return m.addPartitions(topic, answers)
	case actDeleteTopic:
		return m.deleteTopic(topic)
	}
	return m.electLeaders(topic)
}

// targetOf is the command's target, else the selection.
func targetOf(target []string, selected func() (string, bool), none error) (string, error) {
	if len(target) > 0 {
		return target[0], nil
	}
	if s, ok := selected(); ok {
		return s, nil
	}
	return "", none
}
