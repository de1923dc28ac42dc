package sslprincipal

import (
	"fmt"
	"regexp"
	"strings"
)

// DefaultRules is ssl.principal.mapping.rules' default: the whole
// distinguished name is the user name.
const DefaultRules = "DEFAULT"

// Mapper turns a certificate's distinguished name into a user name with
// Kafka's ssl.principal.mapping.rules: the first rule whose pattern matches
// the whole name gives the result.
type Mapper struct {
	rules []rule
}

// rule is DEFAULT (pattern nil) or RULE:pattern/replacement/[LU].
type rule struct {
	pattern     *regexp.Regexp
	replacement string
	lower       bool
	upper       bool
	text        string
}

// Parse reads a rules list as Kafka's SslPrincipalMapper does: rules
// separated by commas (a comma inside a RULE's pattern or replacement belongs
// to it), each DEFAULT or RULE:pattern/replacement/ with an optional L or U
// after the last slash; "\" escapes a slash inside pattern and replacement.
// Empty entries are skipped. Patterns are Go (RE2) regular expressions: the
// Java-only constructs (look-around, back-references in patterns) are refused.
func Parse(rules string) (*Mapper, error) {
	p := parser{s: strings.TrimSpace(rules)}
	var out []rule
	for !p.done() {
		r, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return &Mapper{rules: out}, nil
}

// Name applies the rules to a distinguished name; an error means no rule
// matched, which Kafka treats as a failed authentication.
func (m *Mapper) Name(dn string) (string, error) {
	for _, r := range m.rules {
		if name, ok := r.apply(dn); ok {
			return name, nil
		}
	}
	return "", fmt.Errorf("no rules apply to %s, rules %s", dn, m)
}

func (m *Mapper) String() string {
	parts := make([]string, len(m.rules))
	for i, r := range m.rules {
		parts[i] = r.text
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (r rule) apply(dn string) (string, bool) {
	if r.pattern == nil {
		return dn, true
	}
	m := r.pattern.FindStringSubmatchIndex(dn)
	if m == nil || m[0] != 0 || m[1] != len(dn) {
		return "", false // Java's Matcher.matches: the whole name
	}
	out := r.pattern.ReplaceAllStringFunc(dn, func(match string) string {
		return expandJava(r.replacement, r.pattern, dn, match)
	})
	switch {
	case r.lower:
		out = strings.ToLower(out)
	case r.upper:
		out = strings.ToUpper(out)
	}
	return out, true
}

// expandJava writes a Java replacement string for one match: $n is group n
// (more digits are taken while they name an existing group), a $n naming no
// group is literal (as Kafka's escapeLiteralBackReferences makes it), and
// "\" makes the next character literal.
func expandJava(repl string, re *regexp.Regexp, dn, match string) string {
	groups := submatchOf(re, dn, match)
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch {
		case c == '\\' && i+1 < len(repl):
			i++
			b.WriteByte(repl[i])
		case c == '$' && i+1 < len(repl) && isDigit(repl[i+1]):
			n, width := groupRef(repl[i+1:], len(groups)-1)
			if n < 0 {
				b.WriteByte('$')
				continue
			}
			b.WriteString(groups[n])
			i += width
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// submatchOf finds the groups of the match being replaced. ReplaceAllStringFunc
// hands over only the matched text; with the whole-name rule there is
// normally one match, so re-matching the text itself is exact.
func submatchOf(re *regexp.Regexp, dn, match string) []string {
	if g := re.FindStringSubmatch(match); g != nil && g[0] == match {
		return g
	}
	return re.FindStringSubmatch(dn)
}

// groupRef reads the group number at the start of s, Java style: the first
// digit, then further digits while the number stays <= maxGroup. -1 means
// the first digit already names no group.
func groupRef(s string, maxGroup int) (n, width int) {
	n = int(s[0] - '0')
	if n > maxGroup {
		return -1, 0
	}
	width = 1
	for width < len(s) && isDigit(s[width]) {
		next := n*10 + int(s[width]-'0')
		if next > maxGroup {
			break
		}
		n, width = next, width+1
	}
	return n, width
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
