package recordfilter

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kqhq/kq/admin"
)

// bytesMatcher tests one byte field; null is Kafka's null, apart from empty.
type bytesMatcher interface {
	matchBytes(b []byte, null bool) bool
}

// reMatcher is contains (a quoted regular expression) or ~.
type reMatcher struct{ re *regexp.Regexp }

func (m reMatcher) matchBytes(b []byte, null bool) bool { return !null && m.re.Match(b) }

// equalMatcher is =: the same bytes, or null for an unquoted null.
type equalMatcher struct {
	want []byte
	null bool
}

func (m equalMatcher) matchBytes(b []byte, null bool) bool {
	if m.null || null {
		return m.null == null
	}
	return bytes.Equal(b, m.want)
}

// containsMatcher is ":" on bytes: text anywhere, ignoring ASCII case
// when fold is set; a non-ASCII text that ignores case goes through a
// regular expression, which folds Unicode.
type containsMatcher struct {
	text []byte
	fold bool
	re   *regexp.Regexp
}

func newContains(text string) bytesMatcher {
	fold := !strings.ContainsFunc(text, unicode.IsUpper)
	if fold && !isASCII(text) {
		return reMatcher{containsRegexp(text)}
	}
	return containsMatcher{text: []byte(text), fold: fold}
}

func (m containsMatcher) matchBytes(b []byte, null bool) bool {
	switch {
	case null:
		return false
	case m.fold:
		return indexFold(b, m.text) >= 0
	}
	return bytes.Contains(b, m.text)
}

// indexFold is bytes.Index ignoring ASCII case; text is lower case ASCII.
func indexFold(b, text []byte) int {
	if len(text) == 0 {
		return 0
	}
	first := text[0]
	for i := 0; i+len(text) <= len(b); i++ {
		if c := b[i]; c != first && c|0x20 != first {
			continue
		}
		if bytes.EqualFold(b[i:i+len(text)], text) {
			return i
		}
	}
	return -1
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// containsRegexp is ":" as a regular expression: text anywhere, ignoring
// case unless text has a capital letter.
func containsRegexp(text string) *regexp.Regexp {
	pattern := regexp.QuoteMeta(text)
	if !strings.ContainsFunc(text, unicode.IsUpper) {
		pattern = "(?i)" + pattern
	}
	return regexp.MustCompile(pattern)
}

func anyContains(text string) node {
	return bytesNode{field: fAny, m: newContains(text)}
}

// bytesTerm builds a term on the key, the value or headers.
func bytesTerm(f field, op token, val operand) (node, error) {
	n := bytesNode{field: f.kind, name: f.name}
	switch op.text {
	case ":":
		n.m = newContains(val.text)
	case "=", "!=":
		n.m = equalMatcher{want: []byte(val.text), null: !val.quoted && val.text == "null"}
	case "~", "!~":
		re, err := regexp.Compile(val.text)
		if err != nil {
			return nil, fmt.Errorf("%s%s at column %d: invalid regular expression: %w", f.text, op.text, op.pos+1, err)
		}
		n.m = reMatcher{re}
	default:
		return nil, fmt.Errorf("%s%s at column %d: %s takes :, =, !=, ~ or !~", f.text, op.text, op.pos+1, f.text)
	}
	if op.text[0] == '!' {
		return notNode{n}, nil // no field the term looks at matches
	}
	return n, nil
}

// bytesNode matches when any of the fields it looks at matches.
type bytesNode struct {
	field fieldKind
	name  string // fHeaderNamed
	m     bytesMatcher
}

func (n bytesNode) match(r *record) bool {
	switch n.field {
	case fKey:
		return n.m.matchBytes(r.Key, r.Key == nil)
	case fValue:
		return n.m.matchBytes(r.Value, r.Value == nil)
	case fAny:
		if n.m.matchBytes(r.Key, r.Key == nil) || n.m.matchBytes(r.Value, r.Value == nil) {
			return true
		}
	}
	return n.matchHeaders(r.Headers)
}

func (n bytesNode) matchHeaders(hs []admin.Header) bool {
	for _, h := range hs {
		switch {
		case n.field == fHeaderNamed:
			if h.Key == n.name && n.m.matchBytes(h.Value, h.Value == nil) {
				return true
			}
		case n.m.matchBytes([]byte(h.Key), false) || n.m.matchBytes(h.Value, h.Value == nil):
			return true
		}
	}
	return false
}

// hasHeader is header (any header at all) or header.NAME alone.
type hasHeader struct {
	name  string
	named bool
}

func (n hasHeader) match(r *record) bool {
	if !n.named {
		return len(r.Headers) > 0
	}
	for _, h := range r.Headers {
		if h.Key == n.name {
			return true
		}
	}
	return false
}
