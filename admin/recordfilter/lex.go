package recordfilter

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind says what a token is.
type tokenKind int

const (
	tEOF     tokenKind = iota
	tWord              // a field, a keyword or an unquoted operand
	tString            // a quoted string, quotes removed
	tOp                // : = != ~ !~ < <= > >=
	tNot               // ! alone
	tLParen            // (
	tRParen            // )
	tPath              // a JSONPath, $ first
	tHeader            // header."quoted name": text is the name
	tOperand           // an unquoted operand: everything up to a space or )
)

type token struct {
	kind tokenKind
	text string
	pos  int // byte offset in the expression, for errors
}

// opChars may not appear in an unquoted field or word: they start an
// operator.
const opChars = ":=!~<>"

// lex splits an expression into tokens. An operator's operand is read
// whole up to a space or ")", so times (12:00) and regular expressions
// need no quotes unless they hold a space or ")".
func lex(s string) ([]token, error) {
	var toks []token
	spaced := true // a space since the last token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			spaced = true
			continue
		}
		// An operand follows its operator at once: "key: x" is an error.
		afterOp := !spaced && len(toks) > 0 && toks[len(toks)-1].kind == tOp
		spaced = false
		t, next, err := lexOne(s, i, afterOp)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i = next
	}
	return append(toks, token{kind: tEOF, pos: len(s)}), nil
}

func lexOne(s string, i int, afterOp bool) (token, int, error) {
	c := s[i]
	switch {
	case c == '"' || c == '\'':
		text, next, err := lexQuoted(s, i)
		return token{kind: tString, text: text, pos: i}, next, err
	case afterOp:
		next := i
		for next < len(s) && !isSpaceAt(s, next) && s[next] != ')' {
			next++
		}
		return token{kind: tOperand, text: s[i:next], pos: i}, next, nil
	case c == '(':
		return token{kind: tLParen, text: "(", pos: i}, i + 1, nil
	case c == ')':
		return token{kind: tRParen, text: ")", pos: i}, i + 1, nil
	case c == '$':
		next, err := lexPath(s, i)
		if err != nil {
			return token{}, 0, err
		}
		return token{kind: tPath, text: s[i:next], pos: i}, next, nil
	case strings.IndexByte(opChars, c) >= 0:
		return lexOp(s, i)
	}
	next := i
	for next < len(s) && !isSpaceAt(s, next) && strings.IndexByte(opChars+"()\"'", s[next]) < 0 {
		next++
	}
	word := s[i:next]
	if strings.EqualFold(word, "header.") && next < len(s) && (s[next] == '"' || s[next] == '\'') {
		name, after, err := lexQuoted(s, next)
		return token{kind: tHeader, text: name, pos: i}, after, err
	}
	return token{kind: tWord, text: word, pos: i}, next, nil
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// lexOp reads an operator, or a lone ! (not).
func lexOp(s string, i int) (token, int, error) {
	two := ""
	if i+1 < len(s) {
		two = s[i : i+2]
	}
	switch two {
	case "!=", "!~", "<=", ">=":
		return token{kind: tOp, text: two, pos: i}, i + 2, nil
	}
	switch s[i] {
	case '!':
		return token{kind: tNot, text: "!", pos: i}, i + 1, nil
	case ':', '=', '~', '<', '>':
		return token{kind: tOp, text: s[i : i+1], pos: i}, i + 1, nil
	}
	return token{}, 0, fmt.Errorf("unexpected %q at column %d", s[i], i+1)
}

// lexQuoted reads a string in double or single quotes; a backslash takes
// the next character as it is (\n, \t and \\ excepted, which mean what
// they do in Go).
func lexQuoted(s string, i int) (string, int, error) {
	quote := s[i]
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == quote:
			return b.String(), j + 1, nil
		case c == '\\' && j+1 < len(s):
			j++
			b.WriteByte(unescape(s[j]))
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("unterminated string starting at column %d", i+1)
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	}
	return c
}

// lexPath reads a JSONPath: up to a space, an operator or ")" outside its
// brackets and quotes, where a filter such as [?@.a == 1] may hold them.
func lexPath(s string, i int) (int, error) {
	depth := 0
	var quote byte
	j := i
	for ; j < len(s); j++ {
		c := s[j]
		switch {
		case quote != 0:
			if c == '\\' {
				j++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '(':
			depth++
		case (c == ']' || c == ')') && depth > 0:
			depth--
		case depth == 0 && (c == ')' || isSpaceAt(s, j) || strings.IndexByte(opChars, c) >= 0):
			return j, nil
		}
	}
	if depth > 0 || quote != 0 {
		return 0, fmt.Errorf("unterminated JSONPath %s", s[i:])
	}
	return j, nil
}

// Quote returns text as an operand the lexer reads back as exactly text.
func Quote(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	return `"` + r.Replace(text) + `"`
}
