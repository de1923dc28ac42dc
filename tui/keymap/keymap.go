// Package keymap is the TUI's keys, in the k9s tradition: j/k to move,
// enter to drill down, esc to go back, : for commands, / to filter.
package keymap

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the TUI answers to. The help screen lists them all
// from here, so a key added here is documented at once.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Back, NextView, PrevView          key.Binding
	Command, Filter, Help                   key.Binding
	Refresh, Pause, Quit                    key.Binding
	// Messages opens the records of the topic or partition selected;
	// Configs the configs of the topic or broker selected.
	Messages, Configs key.Binding
	// Internal hides or shows the brokers' internal topics. (Sorting is
	// shift and a column's letter, each view's own: see the help.)
	Internal key.Binding
	// The actions change the cluster; --read-only hides them.
	CreateTopic, AddPartitions, DeleteTopic, ResetOffsets, Elect, AbortTransaction key.Binding
	// DeleteGroup is ctrl+d where a group is shown (Groups, a group's
	// lag); DeleteOffsets deletes a group's offsets of one topic.
	DeleteGroup, DeleteOffsets key.Binding
	// Produce writes a record to the topic selected; EditConfig changes
	// the config under the cursor in the configs view.
	Produce, EditConfig key.Binding
	// Confirm answers yes to an action's question; anything else is no.
	Confirm key.Binding
}

// Default returns the standard keys.
func Default() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return KeyMap{
		Up:       b("up", "k", "up"),
		Down:     b("down", "j", "down"),
		PageUp:   b("page up", "pgup", "ctrl+b"),
		PageDown: b("page down", "pgdown", "ctrl+f"),
		Top:      b("first row", "g", "home"),
		Bottom:   b("last row", "G", "end"),
		Open:     b("open", "enter", "l", "right"),
		Back:     b("back", "esc", "h", "left"),
		NextView: b("next view", "tab"),
		PrevView: b("previous view", "shift+tab"),
		Command:  b("command", ":"),
		Filter:   b("filter", "/"),
		Help:     b("help", "?"),
		Refresh:  b("refresh now", "r"),
		Pause:    b("pause", "p"),
		Quit:     b("quit", "q", "ctrl+c"),
		Messages: b("messages", "m"),
		Internal: b("internal topics", "i"),
		Configs:  b("configs", "d"), // k9s's describe; ctrl+d deletes, as in k9s

		CreateTopic:      b("create topic", "c"),
		AddPartitions:    b("add partitions", "+"),
		DeleteTopic:      b("delete topic", "ctrl+d"),
		ResetOffsets:     b("reset offsets", "o"),
		Elect:            b("elect leaders", "e"),
		AbortTransaction: b("abort transaction", "a"),
		DeleteGroup:      b("delete group", "ctrl+d"),
		DeleteOffsets:    b("delete offsets", "x"),
		Produce:          b("produce", "ctrl+p"),
		EditConfig:       b("edit config", "e"),
		Confirm:          b("yes", "y", "Y"),
	}
}

// Footer is the short list shown at the bottom of every view; the model
// adds the view's actions after Command and leaves out the least needed
// keys when the terminal is narrow.
func (k KeyMap) Footer() []key.Binding {
	return []key.Binding{k.Open, k.Back, k.Filter, k.Command, k.Pause, k.Help, k.Quit}
}

// Actions are the keys that change the cluster.
func (k KeyMap) Actions() []key.Binding {
	return []key.Binding{k.CreateTopic, k.AddPartitions, k.DeleteTopic, k.Elect, k.ResetOffsets, k.DeleteGroup, k.DeleteOffsets, k.AbortTransaction,
		k.Produce, k.EditConfig}
}

// All lists every key in groups, for the help screen; the actions last,
// left out when they are off (--read-only).
func (k KeyMap) All(actions bool) [][]key.Binding {
	groups := [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Back, k.NextView, k.PrevView, k.Messages, k.Internal},
		{k.Command, k.Filter, k.Help, k.Refresh, k.Pause, k.Quit},
	}
	if !actions {
		groups[1] = append(groups[1], k.Configs)
		return groups
	}
	// The topics' actions, the groups' and transactions', then configs
	// and produce: three short columns side by side keep the help within
	// 24 lines.
	return append(groups, []key.Binding{k.CreateTopic, k.AddPartitions, k.DeleteTopic, k.Elect},
		[]key.Binding{k.ResetOffsets, k.DeleteGroup, k.DeleteOffsets, k.AbortTransaction},
		[]key.Binding{k.Configs, k.EditConfig, k.Produce})
}
