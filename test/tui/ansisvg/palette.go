package ansisvg

import "fmt"

// Theme is the colours a capture is drawn with.
type Theme struct {
	Foreground, Background string
	// ANSI are the 16 basic colours: black, red, green, yellow, blue,
	// magenta, cyan, white, then their bright forms.
	ANSI [16]string
}

// DefaultTheme is a dark theme with the usual terminal colours.
func DefaultTheme() Theme {
	return Theme{
		Foreground: "#d0d0d0", Background: "#1c1c1c",
		ANSI: [16]string{
			"#1c1c1c", "#e05561", "#8cc265", "#d18f52", "#4aa5f0", "#c162de", "#42b3c2", "#d0d0d0",
			"#767676", "#ff616e", "#a5e075", "#f0a45d", "#4dc4ff", "#de73ff", "#4cd1e0", "#ffffff",
		},
	}
}

// hex is the CSS colour of c; def when c is the default.
func (t Theme) hex(c Color, def string) string {
	switch c.Kind {
	case colorRGB:
		return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	case colorIndex:
		return t.index(c.Index)
	}
	return def
}

// index is palette colour i: the theme's 16, the 6x6x6 cube, 24 greys.
func (t Theme) index(i uint8) string {
	switch {
	case i < 16:
		return t.ANSI[i]
	case i < 232:
		i -= 16
		level := func(v uint8) uint8 {
			if v == 0 {
				return 0
			}
			return 55 + v*40
		}
		return fmt.Sprintf("#%02x%02x%02x", level(i/36), level(i/6%6), level(i%6))
	}
	g := 8 + (i-232)*10
	return fmt.Sprintf("#%02x%02x%02x", g, g, g)
}
