package ansisvg

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func idx(i uint8) Color { return Color{Kind: colorIndex, Index: i} }

func TestParseStyles(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Style
	}{
		{"plain", "x", Style{}},
		{"basic fg and bg", "\x1b[31;42mx", Style{FG: idx(1), BG: idx(2)}},
		{"bright", "\x1b[91;102mx", Style{FG: idx(9), BG: idx(10)}},
		{"256", "\x1b[38;5;236;48;5;4mx", Style{FG: idx(236), BG: idx(4)}},
		{"truecolor", "\x1b[38;2;1;2;3mx", Style{FG: Color{Kind: colorRGB, R: 1, G: 2, B: 3}}},
		{"colon form", "\x1b[38:5:9mx", Style{FG: idx(9)}},
		{"attributes", "\x1b[1;2;3;4;7;9mx", Style{Bold: true, Faint: true, Italic: true, Underline: true, Reverse: true, Strikeout: true}},
		{"attributes off", "\x1b[1;2;3;4;7;9m\x1b[22;23;24;27;29mx", Style{}},
		{"defaults", "\x1b[31;41m\x1b[39;49mx", Style{}},
		{"reset", "\x1b[1;31m\x1b[mx", Style{}},
		{"reset by 0", "\x1b[1;31m\x1b[0;4mx", Style{Underline: true}},
		{"across lines", "\x1b[1m\nx", Style{Bold: true}},
		{"malformed extended", "\x1b[38;5mx", Style{}},
		{"out of range", "\x1b[38;2;999;-1;3mx", Style{FG: Color{Kind: colorRGB, R: 255, G: 0, B: 3}}},
		{"other sequences skipped", "\x1b[2J\x1b]52;c;aGk=\a\x1b]0;title\x1b\\\x1b(Bx", Style{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Parse([]byte(tt.in))
			last := s.Lines[len(s.Lines)-1]
			if len(last) != 1 || last[0].Text != "x" {
				t.Fatalf("cells %+v, want one x", last)
			}
			if !reflect.DeepEqual(last[0].Style, tt.want) {
				t.Fatalf("style %+v, want %+v", last[0].Style, tt.want)
			}
		})
	}
}

func TestParseCells(t *testing.T) {
	s := Parse([]byte("a▶漢e\u0301\r\tz\nsecond\n"))
	var texts []string
	widths := 0
	for _, c := range s.Lines[0] {
		texts = append(texts, c.Text)
		widths += c.Width
	}
	if strings.Join(texts, "|") != "a|▶|漢|e\u0301|z" || widths != 6 {
		t.Fatalf("cells %q width %d", texts, widths)
	}
	if len(s.Lines) != 2 || s.Columns() != 6 {
		t.Fatalf("%d lines, %d columns", len(s.Lines), s.Columns())
	}
}

func TestPalette(t *testing.T) {
	th := DefaultTheme()
	tests := []struct {
		c    Color
		want string
	}{
		{Color{}, "def"}, {idx(1), th.ANSI[1]}, {idx(16), "#000000"}, {idx(21), "#0000ff"},
		{idx(196), "#ff0000"}, {idx(236), "#303030"}, {idx(255), "#eeeeee"},
		{Color{Kind: colorRGB, R: 0x12, G: 0xab, B: 0xff}, "#12abff"},
	}
	for _, tt := range tests {
		if got := th.hex(tt.c, "def"); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.c, got, tt.want)
		}
	}
}

// wellFormed parses the SVG as XML.
func wellFormed(t *testing.T, svg []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
	}
}

func TestRenderGolden(t *testing.T) {
	capture := " \x1b[44m \x1b[1;30mkq\x1b[0m\x1b[44m \x1b[0m  cluster <a&b>   \x1b[32m● live\x1b[39m\n" +
		"\x1b[1;90m  P  LEADER\x1b[0m\n" +
		"\x1b[1;48;5;236m▶ 0       1  1,2 \x1b[33m⚠ 3\x1b[0m\n" +
		"  1       \x1b[7mrev\x1b[27m  \x1b[2mfaint\x1b[22m \x1b[4;9mdeco\x1b[0m \x1b[38;2;255;128;0m漢字\x1b[0m\n"
	var out bytes.Buffer
	if err := Convert(&out, []byte(capture), Options{}); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, out.Bytes())
	path := filepath.Join("testdata", "sample.svg")
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("differs from %s (go test -update rewrites it):\n%s", path, out.Bytes())
	}
}

// FuzzConvert feeds captures as read from disk: never a panic, always
// well-formed XML.
func FuzzConvert(f *testing.F) {
	f.Add([]byte("\x1b[1;38;5;236mhi\x1b[0m\n\x1b[7m<&>\x1b[m"))
	f.Add([]byte("\x1b]52;c;\x1b[38;2;1;2"))
	f.Add([]byte("\xff\xfe\x00\x1b"))
	f.Fuzz(func(t *testing.T, capture []byte) {
		var out bytes.Buffer
		if err := Convert(&out, capture, Options{}); err != nil {
			t.Fatal(err)
		}
		wellFormed(t, out.Bytes())
	})
}
