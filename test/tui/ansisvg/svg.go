package ansisvg

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Options size and colour the image.
type Options struct {
	Theme    Theme   // DefaultTheme when zero
	FontSize float64 // pixels; 14 when 0
	Padding  float64 // around the grid, pixels; one font size when 0
}

func (o Options) withDefaults() Options {
	if o.Theme.Foreground == "" {
		o.Theme = DefaultTheme()
	}
	if o.FontSize <= 0 {
		o.FontSize = 14
	}
	if o.Padding <= 0 {
		o.Padding = o.FontSize
	}
	return o
}

// The grid: a cell is 0.6 of the font size wide (the advance of common
// monospace fonts) and 1.25 high.
const (
	cellWidthEm  = 0.6
	lineHeightEm = 1.25
)

// Convert draws the capture as an SVG document.
func Convert(w io.Writer, capture []byte, opts Options) error {
	return Render(w, Parse(capture), opts)
}

// Render draws a parsed screen as an SVG document.
func Render(w io.Writer, s Screen, opts Options) error {
	o := opts.withDefaults()
	cw, lh := o.FontSize*cellWidthEm, o.FontSize*lineHeightEm
	width := 2*o.Padding + float64(s.Columns())*cw
	height := 2*o.Padding + float64(len(s.Lines))*lh
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s">`+"\n",
		num(width), num(height), num(width), num(height))
	fmt.Fprintf(bw, `<rect width="100%%" height="100%%" rx="6" fill="%s"/>`+"\n", o.Theme.Background)
	fmt.Fprintf(bw, `<g font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="%s" xml:space="preserve">`+"\n",
		num(o.FontSize))
	for i, line := range s.Lines {
		y := o.Padding + float64(i)*lh
		r := rowRenderer{o: o, cw: cw, lh: lh, y: y, w: bw}
		r.backgrounds(line)
		r.texts(line)
	}
	bw.WriteString("</g>\n</svg>\n")
	return bw.Flush()
}

// rowRenderer draws one line: background rectangles, then text runs.
type rowRenderer struct {
	o      Options
	cw, lh float64
	y      float64
	w      *bufio.Writer
}

// colors are a style's resolved foreground and background, reverse
// applied; bg is "" for the default background (nothing to draw).
func (r rowRenderer) colors(st Style) (fg, bg string) {
	t := r.o.Theme
	fg, bg = t.hex(st.FG, t.Foreground), t.hex(st.BG, "")
	if st.Reverse {
		if bg == "" {
			bg = t.Background
		}
		fg, bg = bg, fg
	}
	return fg, bg
}

// runs splits a line into runs of one value of key, with their columns.
func runs[K comparable](line []Cell, key func(Cell) K) []run {
	var out []run
	col := 0
	for i, c := range line {
		if i == 0 || key(c) != key(line[i-1]) {
			out = append(out, run{start: i, col: col})
		}
		out[len(out)-1].end = i + 1
		out[len(out)-1].cols += c.Width
		col += c.Width
	}
	return out
}

type run struct{ start, end, col, cols int }

func (r rowRenderer) backgrounds(line []Cell) {
	for _, run := range runs(line, func(c Cell) string { _, bg := r.colors(c.Style); return bg }) {
		if _, bg := r.colors(line[run.start].Style); bg != "" {
			fmt.Fprintf(r.w, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n",
				num(r.o.Padding+float64(run.col)*r.cw), num(r.y), num(float64(run.cols)*r.cw), num(r.lh), bg)
		}
	}
}

func (r rowRenderer) texts(line []Cell) {
	for _, run := range runs(line, func(c Cell) Style { return c.Style }) {
		var text strings.Builder
		for _, c := range line[run.start:run.end] {
			text.WriteString(c.Text)
		}
		st := line[run.start].Style
		if strings.TrimSpace(text.String()) == "" && !st.Underline && !st.Strikeout {
			continue
		}
		fg, _ := r.colors(st)
		fmt.Fprintf(r.w, `<text x="%s" y="%s" textLength="%s" lengthAdjust="spacingAndGlyphs" fill="%s"%s>`,
			num(r.o.Padding+float64(run.col)*r.cw), num(r.y+r.lh*0.78), num(float64(run.cols)*r.cw), fg, attributes(st))
		xmlEscape(r.w, text.String())
		r.w.WriteString("</text>\n")
	}
}

// attributes are the SVG attributes of a style beyond its colour.
func attributes(st Style) string {
	var b strings.Builder
	if st.Bold {
		b.WriteString(` font-weight="bold"`)
	}
	if st.Faint {
		b.WriteString(` opacity="0.6"`)
	}
	if st.Italic {
		b.WriteString(` font-style="italic"`)
	}
	switch {
	case st.Underline && st.Strikeout:
		b.WriteString(` text-decoration="underline line-through"`)
	case st.Underline:
		b.WriteString(` text-decoration="underline"`)
	case st.Strikeout:
		b.WriteString(` text-decoration="line-through"`)
	}
	return b.String()
}

func xmlEscape(w *bufio.Writer, s string) {
	for _, r := range s {
		switch r {
		case '<':
			w.WriteString("&lt;")
		case '>':
			w.WriteString("&gt;")
		case '&':
			w.WriteString("&amp;")
		case '"':
			w.WriteString("&quot;")
		case 0xfffe, 0xffff: // not characters XML allows
			w.WriteRune('\uFFFD')
		default:
			w.WriteRune(r)
		}
	}
}

// num writes a coordinate with at most two decimals, no trailing zeros.
func num(f float64) string {
	s := strings.TrimRight(fmt.Sprintf("%.2f", f), "0")
	return strings.TrimSuffix(s, ".")
}
