package ansisvg

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// colorKind says how a Color is given.
type colorKind uint8

const (
	colorDefault colorKind = iota // the terminal's foreground or background
	colorIndex                    // one of the 256 palette colours
	colorRGB                      // 24-bit
)

// Color is a cell's foreground or background colour.
type Color struct {
	Kind    colorKind
	Index   uint8
	R, G, B uint8
}

// Style is everything SGR sets on a cell.
type Style struct {
	FG, BG                                             Color
	Bold, Faint, Italic, Underline, Reverse, Strikeout bool
}

// Cell is one character on the grid; a wide character has Width 2 and
// takes the next column too.
type Cell struct {
	Text  string
	Width int
	Style Style
}

// Screen is a parsed capture: lines of cells.
type Screen struct {
	Lines [][]Cell
}

// Columns is the width of the widest line.
func (s Screen) Columns() int {
	n := 0
	for _, l := range s.Lines {
		w := 0
		for _, c := range l {
			w += c.Width
		}
		n = max(n, w)
	}
	return n
}

// Parse reads a capture. The style carries over line ends, as tmux
// writes it. Bad input never fails: what cannot be read is dropped.
func Parse(capture []byte) Screen {
	var s Screen
	var st Style
	line := []Cell{}
	for i := 0; i < len(capture); {
		c := capture[i]
		switch {
		case c == '\n':
			s.Lines, line = append(s.Lines, line), []Cell{}
			i++
		case c == 0x1b:
			i = escape(capture, i, &st)
		case c < 0x20 || c == 0x7f:
			i++ // \r, \t and other controls have no cell in a capture
		default:
			r, n := utf8.DecodeRune(capture[i:])
			text := string(capture[i : i+n])
			if r == utf8.RuneError && n <= 1 {
				text = "\uFFFD"
			}
			if w := ansi.StringWidth(text); w > 0 {
				line = append(line, Cell{Text: text, Width: w, Style: st})
			} else if len(line) > 0 {
				line[len(line)-1].Text += text // a combining mark joins its cell
			}
			i += n
		}
	}
	if len(line) > 0 {
		s.Lines = append(s.Lines, line)
	}
	return s
}

// escape reads the escape sequence at b[i] and returns where the next
// byte is; SGR sequences change st.
func escape(b []byte, i int, st *Style) int {
	if i+1 >= len(b) {
		return len(b)
	}
	switch b[i+1] {
	case '[':
		end := i + 2
		for end < len(b) && (b[end] < 0x40 || b[end] > 0x7e) {
			end++
		}
		if end >= len(b) {
			return len(b)
		}
		if b[end] == 'm' {
			applySGR(st, string(b[i+2:end]))
		}
		return end + 1
	case ']', 'P', '_', '^': // OSC, DCS, APC, PM: to BEL or ST
		for j := i + 2; j < len(b); j++ {
			if b[j] == 0x07 {
				return j + 1
			}
			if b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\' {
				return j + 2
			}
		}
		return len(b)
	}
	// Any other escape: intermediate bytes, then one final byte
	// (ESC ( B selects a charset).
	j := i + 1
	for j < len(b) && b[j] >= 0x20 && b[j] <= 0x2f {
		j++
	}
	return min(j+1, len(b))
}

// applySGR applies one SGR parameter list ("1;38;5;236") to st.
func applySGR(st *Style, params string) {
	fields := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	if len(fields) == 0 {
		*st = Style{}
		return
	}
	nums := make([]int, len(fields))
	for i, f := range fields {
		nums[i], _ = strconv.Atoi(f) // a bad number reads as 0, a reset
	}
	for i := 0; i < len(nums); i++ {
		i += applyOne(st, nums[i], nums[i+1:])
	}
}

// applyOne applies code n and returns how many of the following numbers
// it used (the colour of 38 and 48).
func applyOne(st *Style, n int, rest []int) int {
	switch {
	case n == 0:
		*st = Style{}
	case n == 38 || n == 48:
		c, used := extendedColor(rest)
		if n == 38 {
			st.FG = c
		} else {
			st.BG = c
		}
		return used
	case n >= 30 && n <= 37:
		st.FG = Color{Kind: colorIndex, Index: uint8(n - 30)}
	case n >= 90 && n <= 97:
		st.FG = Color{Kind: colorIndex, Index: uint8(n - 90 + 8)}
	case n == 39:
		st.FG = Color{}
	case n >= 40 && n <= 47:
		st.BG = Color{Kind: colorIndex, Index: uint8(n - 40)}
	case n >= 100 && n <= 107:
		st.BG = Color{Kind: colorIndex, Index: uint8(n - 100 + 8)}
	case n == 49:
		st.BG = Color{}
	default:
		applyAttribute(st, n)
	}
	return 0
}

func applyAttribute(st *Style, n int) {
	switch n {
	case 1:
		st.Bold = true
	case 2:
		st.Faint = true
	case 3:
		st.Italic = true
	case 4:
		st.Underline = true
	case 7:
		st.Reverse = true
	case 9:
		st.Strikeout = true
	case 22:
		st.Bold, st.Faint = false, false
	case 23:
		st.Italic = false
	case 24:
		st.Underline = false
	case 27:
		st.Reverse = false
	case 29:
		st.Strikeout = false
	}
}

// extendedColor reads the colour after 38 or 48: 5;n or 2;r;g;b.
func extendedColor(rest []int) (Color, int) {
	byteOf := func(n int) uint8 { return uint8(max(0, min(255, n))) }
	switch {
	case len(rest) >= 2 && rest[0] == 5:
		return Color{Kind: colorIndex, Index: byteOf(rest[1])}, 2
	case len(rest) >= 4 && rest[0] == 2:
		return Color{Kind: colorRGB, R: byteOf(rest[1]), G: byteOf(rest[2]), B: byteOf(rest[3])}, 4
	}
	return Color{}, len(rest) // malformed: drop the rest of the list
}
