package messages

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/kqhq/kq/admin"
)

// search is what / looks for in keys, values and headers: a substring, ignoring
// case unless it has a capital letter (as less and vim's smartcase), or
// a regular expression written /like this/.
type search struct {
	text string // as typed; "" is no search
	re   *regexp.Regexp
}

// compileSearch reads what was typed after /.
func compileSearch(text string) (search, error) {
	if text == "" {
		return search{}, nil
	}
	if pattern, ok := strings.CutPrefix(text, "/"); ok {
		pattern = strings.TrimSuffix(pattern, "/")
		re, err := regexp.Compile(pattern)
		if err != nil {
			return search{}, fmt.Errorf("invalid regular expression /%s/: %w", pattern, err)
		}
		return search{text: text, re: re}, nil
	}
	pattern := regexp.QuoteMeta(text)
	if !strings.ContainsFunc(text, unicode.IsUpper) {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil { // only text that is not UTF-8 (a paste of raw bytes) gets here
		return search{}, fmt.Errorf("cannot search for %q: %w", text, err)
	}
	return search{text: text, re: re}, nil
}

func (s search) active() bool { return s.re != nil }

// matches says whether the record's key, value or a header's name or
// value matches; every record matches no search.
func (s search) matches(r *admin.Record) bool {
	if s.re == nil {
		return true
	}
	if s.re.Match(r.Key) || s.re.Match(r.Value) {
		return true
	}
	for _, h := range r.Headers {
		if s.re.MatchString(h.Key) || s.re.Match(h.Value) {
			return true
		}
	}
	return false
}

// spans are the matches in text as it is shown, for highlighting.
func (s search) spans(text string) [][]int {
	if s.re == nil {
		return nil
	}
	return s.re.FindAllStringIndex(text, -1)
}
