package sslprincipal

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// parser walks a rules list one rule at a time.
type parser struct {
	s   string
	pos int
}

func (p *parser) done() bool { return p.pos >= len(p.s) }

func (p *parser) skipSpace() {
	for p.pos < len(p.s) && unicode.IsSpace(rune(p.s[p.pos])) {
		p.pos++
	}
}

// next reads one rule and the separator after it; ok is false for an
// empty entry.
func (p *parser) next() (r rule, ok bool, err error) {
	p.skipSpace()
	start := p.pos
	rest := p.s[p.pos:]
	switch {
	case strings.HasPrefix(rest, "DEFAULT") && p.endsRuleAt(p.pos+len("DEFAULT")):
		p.pos += len("DEFAULT")
		r, ok = rule{text: "DEFAULT"}, true
	case strings.HasPrefix(rest, "RULE:"):
		p.pos += len("RULE:")
		if r, err = p.readRule(); err != nil {
			return rule{}, false, err
		}
		ok = true
	default:
		if !p.endsRuleAt(p.pos) {
			return rule{}, false, fmt.Errorf("invalid rule: %s", p.entryFrom(start))
		}
	}
	if !p.endsRuleAt(p.pos) {
		return rule{}, false, fmt.Errorf("invalid rule: `%s`, unmatched substring: `%s`", p.entryFrom(start), p.entryFrom(p.pos))
	}
	p.skipSeparator()
	return r, ok, nil
}

// endsRuleAt reports whether only spaces separate i from a comma or the end.
func (p *parser) endsRuleAt(i int) bool {
	for i < len(p.s) && unicode.IsSpace(rune(p.s[i])) {
		i++
	}
	return i == len(p.s) || p.s[i] == ','
}

func (p *parser) skipSeparator() {
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == ',' {
		p.pos++
	}
	p.skipSpace()
}

// entryFrom is the text from i to the next comma, for error messages.
func (p *parser) entryFrom(i int) string {
	s := p.s[i:]
	if c := strings.IndexByte(s, ','); c >= 0 {
		s = s[:c]
	}
	return strings.TrimSpace(s)
}

// readRule reads pattern/replacement/[LU] after "RULE:".
func (p *parser) readRule() (rule, error) {
	start := p.pos - len("RULE:")
	pattern, ok := p.readPart()
	if !ok {
		return rule{}, fmt.Errorf("invalid rule: %s", p.entryFrom(start))
	}
	replacement, ok := p.readPart()
	if !ok {
		return rule{}, fmt.Errorf("invalid rule: %s", p.entryFrom(start))
	}
	r := rule{replacement: replacement}
	if p.pos < len(p.s) {
		switch p.s[p.pos] {
		case 'L':
			r.lower, p.pos = true, p.pos+1
		case 'U':
			r.upper, p.pos = true, p.pos+1
		}
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return rule{}, fmt.Errorf("invalid rule: %s: pattern: %w", p.entryFrom(start), err)
	}
	r.pattern = re
	r.text = strings.TrimSpace(p.s[start:p.pos])
	return r, nil
}

// readPart reads up to an unescaped slash and consumes it; an escape pair
// is kept as written, for the regexp or replacement to interpret.
func (p *parser) readPart() (string, bool) {
	start := p.pos
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case '\\':
			if p.pos+1 >= len(p.s) {
				return "", false
			}
			p.pos += 2
		case '/':
			part := p.s[start:p.pos]
			p.pos++
			return part, true
		default:
			p.pos++
		}
	}
	return "", false
}
