package messages

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// escaped renders bytes on one line: printable text as is, \n \r \t and
// \\ as those escapes, any other control character or byte that is not
// UTF-8 as \xNN. It stops after limit runes of output (ending with "…"),
// so a megabyte value costs no more than what fits on screen.
func escaped(b []byte, limit int) string {
	var s strings.Builder
	runes := 0
	for len(b) > 0 {
		if runes >= limit {
			s.WriteString("…")
			break
		}
		r, n := utf8.DecodeRune(b)
		runes += writeEscaped(&s, r, b[0], n)
		b = b[n:]
	}
	return s.String()
}

// writeEscaped writes one decoded rune (or the undecodable byte c) and
// returns the runes written.
func writeEscaped(s *strings.Builder, r rune, c byte, n int) int {
	switch {
	case r == utf8.RuneError && n <= 1:
		fmt.Fprintf(s, `\x%02x`, c)
		return 4
	case r == '\n':
		s.WriteString(`\n`)
	case r == '\r':
		s.WriteString(`\r`)
	case r == '\t':
		s.WriteString(`\t`)
	case r == '\\':
		s.WriteString(`\\`)
	case !unicode.IsPrint(r) && r != ' ':
		if r < 0x100 {
			fmt.Fprintf(s, `\x%02x`, r)
			return 4
		}
		fmt.Fprintf(s, `\u%04x`, r)
		return 6
	default:
		s.WriteRune(r)
		return 1
	}
	return 2
}

// isBinary says whether b reads badly as text: not UTF-8, or control
// characters other than the usual whitespace.
func isBinary(b []byte) bool {
	if !utf8.Valid(b) {
		return true
	}
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return true
		}
	}
	return false
}

// byteSize renders a size as kq prints them: 812 B, 1.2 KiB, 4.1 MiB.
func byteSize(n int) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := unit, 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGT"[exp])
}

// Timestamp layouts: the table's short and long forms, and the detail
// pane's full one.
const (
	shortTime  = "15:04:05.000"
	longTime   = "2006-01-02 15:04:05.000"
	detailTime = "2006-01-02T15:04:05.000Z07:00"
)

func formatTime(t time.Time, layout string, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format(layout)
}
