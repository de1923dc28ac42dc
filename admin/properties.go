package admin

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// LoadProperties reads a Java .properties file, as Kafka's tools read
// --command-config.
func LoadProperties(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read properties: %w", err)
	}
	defer f.Close()
	props, err := ParseProperties(f)
	if err != nil {
		return nil, fmt.Errorf("read properties %s: %w", path, err)
	}
	return props, nil
}

// ParseProperties parses the Java .properties format (its errors name the
// line, never the text, which may hold a password): '#' and '!' comments,
// "key=value", "key: value" or "key value", a trailing backslash continuing a
// line, and the escapes \t \n \r \f \uXXXX. Later keys replace earlier ones.
func ParseProperties(r io.Reader) (map[string]string, error) {
	props := make(map[string]string)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	lineNo := 0
	for {
		logical, n, ok := nextLogicalLine(sc)
		if !ok {
			break
		}
		lineNo += n
		if logical == "" {
			continue
		}
		key, value, err := splitProperty(logical)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", lineNo, err)
		}
		props[key] = value
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return props, nil
}

// nextLogicalLine joins physical lines ended by an odd number of backslashes.
// It returns the logical line without leading blanks ("" for comments and
// blank lines) and how many physical lines it used.
func nextLogicalLine(sc *bufio.Scanner) (string, int, bool) {
	var b strings.Builder
	used := 0
	for sc.Scan() {
		used++
		line := strings.TrimLeft(sc.Text(), " \t\f")
		if b.Len() == 0 && (line == "" || line[0] == '#' || line[0] == '!') {
			return "", used, true
		}
		if !endsInEscape(line) {
			b.WriteString(line)
			return b.String(), used, true
		}
		b.WriteString(line[:len(line)-1])
	}
	if used == 0 {
		return "", 0, false
	}
	return b.String(), used, true
}

func endsInEscape(line string) bool {
	n := 0
	for i := len(line) - 1; i >= 0 && line[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

func splitProperty(line string) (string, string, error) {
	end := keyEnd(line)
	rawKey := line[:end]
	rest := strings.TrimLeft(line[end:], " \t\f")
	if rest != "" && (rest[0] == '=' || rest[0] == ':') {
		rest = strings.TrimLeft(rest[1:], " \t\f")
	}
	key, err := unescapeProperty(rawKey)
	if err != nil {
		return "", "", err
	}
	value, err := unescapeProperty(rest)
	return key, value, err
}

// keyEnd finds the first unescaped '=', ':' or blank.
func keyEnd(line string) int {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '=', ':', ' ', '\t', '\f':
			return i
		}
	}
	return len(line)
}

func unescapeProperty(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			if i+5 > len(s) {
				return "", errors.New("malformed \\u escape (want \\u and four hex digits)")
			}
			r, err := strconv.ParseUint(s[i+1:i+5], 16, 16)
			if err != nil {
				return "", errors.New("malformed \\u escape (want \\u and four hex digits)")
			}
			b.WriteRune(rune(r))
			i += 4
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
