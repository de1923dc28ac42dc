package messages

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key the view answers to; the help lists them from here.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Back, Search, Next, Prev          key.Binding
	Pause, Start, Copy, Hex, Help, Quit     key.Binding
	Filter, Export                          key.Binding
	// Resend opens the TUI's produce dialog filled with the record.
	Resend key.Binding
}

func defaultKeys() keyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return keyMap{
		Up:       b("up", "k", "up"),
		Down:     b("down", "j", "down"),
		PageUp:   b("page up", "pgup", "ctrl+b"),
		PageDown: b("page down", "pgdown", "ctrl+f"),
		Top:      b("oldest record", "g", "home"),
		Bottom:   b("newest, follow", "G", "end"),
		Open:     b("open", "enter", "l", "right"),
		Back:     b("back", "esc", "h", "left"),
		Search:   b("search", "/"),
		Next:     b("next match", "n"),
		Prev:     b("prev match", "N"),
		Pause:    b("pause", "p"),
		Start:    b("start at", "s"),
		Copy:     b("copy JSON", "y"),
		Filter:   b("filter topic", "f"),
		Export:   b("export", "w"),
		Hex:      b("hex/text", "x"),
		Help:     b("help", "?"),
		Quit:     b("quit", "q", "ctrl+c"),
		Resend:   b("resend", "R"),
	}
}

// footer is the short list under the table.
func (k keyMap) footer() []key.Binding {
	return []key.Binding{k.Open, k.Back, k.Search, k.Start, k.Pause, k.Copy, k.Help}
}

// detailFooter is the short list under an open record.
func (k keyMap) detailFooter() []key.Binding {
	return []key.Binding{k.Back, k.Next, k.Prev, k.Hex, k.Copy, k.Help}
}

// all lists every key in groups, for the help; R only when resend is
// offered.
func (k keyMap) all(resend bool) [][]key.Binding {
	last := []key.Binding{k.Pause, k.Start, k.Filter, k.Copy, k.Export, k.Help, k.Quit}
	if resend {
		last = []key.Binding{k.Pause, k.Start, k.Filter, k.Copy, k.Export, k.Resend, k.Help, k.Quit}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Back, k.Search, k.Next, k.Prev, k.Hex},
		last,
	}
}
