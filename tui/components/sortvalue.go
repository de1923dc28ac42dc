package components

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// SortValue reads a cell as a table shows it, for sorting by its column:
// a number ("18,206", "4.1 GiB", "⚠ 37,210", "2h13m"), else its text.
// missing is true for the dash of an unknown value, which sorts last in
// either direction.
func SortValue(c Cell) (num float64, text string, isNum, missing bool) {
	var b strings.Builder
	for _, s := range c {
		b.WriteString(s.Text)
	}
	text = strings.TrimSpace(b.String())
	// Glyphs that mark a problem lead the value: "⚠ 3", "✖ 2".
	bare := strings.TrimLeftFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' })
	bare = strings.TrimSpace(bare)
	if bare == "" || bare == None || bare == "-" {
		return 0, text, false, true
	}
	if n, ok := parseNumber(bare); ok {
		return n, text, true, false
	}
	return 0, strings.ToLower(text), false, false
}

// byteUnits are the suffixes Bytes writes.
var byteUnits = map[string]float64{"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40, "PiB": 1 << 50}

func parseNumber(s string) (float64, bool) {
	plain := strings.ReplaceAll(s, ",", "")
	if n, err := strconv.ParseFloat(plain, 64); err == nil {
		return n, true
	}
	if num, unit, ok := strings.Cut(plain, " "); ok {
		if mult, known := byteUnits[unit]; known {
			if n, err := strconv.ParseFloat(num, 64); err == nil {
				return n * mult, true
			}
		}
	}
	if d, err := time.ParseDuration(plain); err == nil {
		return float64(d), true
	}
	return 0, false
}
