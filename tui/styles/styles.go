// Package styles holds the TUI's lipgloss styles, built from one renderer so
// that its colour profile (none under NO_COLOR or --no-color) applies to
// every style at once.
package styles

import "github.com/charmbracelet/lipgloss"

// The palette uses the 16 ANSI colours so the terminal's own theme decides
// the exact shades, dark or light.
const (
	red    = lipgloss.Color("1")
	green  = lipgloss.Color("2")
	yellow = lipgloss.Color("3")
	blue   = lipgloss.Color("4")
	grey   = lipgloss.Color("8")
)

// Styles are every style the TUI draws with. Problems are always marked by a
// glyph as well, so they survive a terminal without colour.
type Styles struct {
	Renderer *lipgloss.Renderer

	Plain        lipgloss.Style // no decoration, but this renderer's
	Brand        lipgloss.Style // the "kq" badge
	Header       lipgloss.Style // the cluster line
	Tab          lipgloss.Style
	ActiveTab    lipgloss.Style
	ColumnHeader lipgloss.Style
	Selected     lipgloss.Style // the row under the cursor
	Faint        lipgloss.Style // secondary details, internal topics
	Good         lipgloss.Style // alive, live
	Warn         lipgloss.Style // under-replicated, missing replicas
	Bad          lipgloss.Style // dead, offline, under min ISR, unreachable
	Key          lipgloss.Style // a key in the footer and the help
	Rule         lipgloss.Style // separator lines
}

// New builds the styles for r.
func New(r *lipgloss.Renderer) Styles {
	s := r.NewStyle
	return Styles{
		Renderer:     r,
		Plain:        s(),
		Brand:        s().Bold(true).Foreground(lipgloss.Color("0")).Background(blue).Padding(0, 1),
		Header:       s().Bold(true),
		Tab:          s().Foreground(grey),
		ActiveTab:    s().Bold(true).Underline(true),
		ColumnHeader: s().Bold(true).Foreground(grey),
		Selected:     s().Bold(true).Background(lipgloss.Color("236")),
		Faint:        s().Foreground(grey),
		Good:         s().Foreground(green),
		Warn:         s().Foreground(yellow).Bold(true),
		Bad:          s().Foreground(red).Bold(true),
		Key:          s().Bold(true),
		Rule:         s().Foreground(grey),
	}
}
