package components

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// FitLines splits s into exactly n lines, cutting or padding with empty
// ones, so a view keeps its height whatever its body holds.
func FitLines(s string, n int) []string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines
}

// Spread puts left and right on one line of width, right-aligned, with at
// least two spaces between them.
func Spread(left, right string, width int) string {
	gap := width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 2 {
		return left + "  " + right
	}
	return left + strings.Repeat(" ", gap) + right
}
