// Package ansisvg draws a terminal screen captured with its colours (tmux
// capture-pane -e -p) as an SVG image, for the README's screenshots.
//
// The capture is read as lines of text with SGR escape sequences: the 16
// colours, the 256-colour palette and 24-bit colour, foreground and
// background, bold, faint, italic, underline, reverse and strikethrough.
// Other escape sequences (cursor movement, OSC) are skipped: a capture has
// none that matter. Every cell sits on a monospace grid: each run of text
// is stretched to exactly its cells (textLength), so the image does not
// depend on the viewer's font having the right advance width, and
// box-drawing and wide characters stay aligned.
//
// wader/ansisvg does this too, as a command; this package is the ~300
// lines kq needs, with no module added to go.mod for a documentation
// chore.
package ansisvg
