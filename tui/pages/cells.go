package pages

import (
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/styles"
)

// count is a number cell that turns into "glyph n" in style when n > 0,
// so a problem count stands out and a zero stays calm.
func count(n int, glyph string, problem lipgloss.Style, st styles.Styles) components.Cell {
	if n == 0 {
		return components.Text("0", st.Faint)
	}
	return components.Text(glyph+" "+components.Count(int64(n)), problem)
}

func plain(s string, st styles.Styles) components.Cell { return components.Text(s, st.Plain) }

func number(n int64, st styles.Styles) components.Cell { return plain(components.Count(n), st) }

func itoa(n int32) string { return strconv.Itoa(int(n)) }
