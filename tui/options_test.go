package tui

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/kqhq/kq/tui/tuitest"
)

// TestNoColorDrawsPlainText: the CLI hands NoColor (NO_COLOR, a terminal
// without colour) and the TUI makes its renderer plain, whatever profile
// the renderer guessed from the terminal.
func TestNoColorDrawsPlainText(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.TrueColor)
		o, err := Options{Source: tuitest.NewCluster(), Renderer: r, NoColor: noColor}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		plain := o.Renderer.ColorProfile() == termenv.Ascii
		if plain != noColor {
			t.Fatalf("NoColor %v: profile %v", noColor, o.Renderer.ColorProfile())
		}
	}
}
