package tui

import (
	"regexp"
	"strings"

	"github.com/kqhq/kq/tui/components"
	"github.com/sahilm/fuzzy"
)

// filterRows keeps the rows a filter typed after / matches, in k9s's
// syntax: the text is a case-insensitive regular expression (a plain word
// matches anywhere in the row; one that does not compile yet, half
// typed, is taken literally), !text keeps the rows that do not match, and
// -f text matches fuzzily (its letters in order, as fzf does). The rows
// keep the page's order, so the cursor stays put as the text grows.
func filterRows(rows []components.Row, filter string) []components.Row {
	if filter == "" {
		return rows
	}
	if pattern, ok := strings.CutPrefix(filter, "-f "); ok {
		return fuzzyRows(rows, strings.TrimSpace(pattern))
	}
	pattern, inverse := strings.CutPrefix(filter, "!")
	if pattern == "" {
		return rows // "!" alone, the rest still to be typed
	}
	match := matcher(pattern)
	out := rows[:0:0]
	for _, r := range rows {
		if match(r.Search) != inverse {
			out = append(out, r)
		}
	}
	return out
}

// matcher is the regular expression's test, or a literal one while the
// pattern does not compile.
func matcher(pattern string) func(string) bool {
	if re, err := regexp.Compile("(?i)" + pattern); err == nil {
		return re.MatchString
	}
	needle := strings.ToLower(pattern)
	return func(s string) bool { return strings.Contains(strings.ToLower(s), needle) }
}

// fuzzyRows keeps the rows whose text holds the pattern's letters in
// order.
func fuzzyRows(rows []components.Row, pattern string) []components.Row {
	if pattern == "" {
		return rows
	}
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = r.Search
	}
	keep := make([]bool, len(rows))
	for _, m := range fuzzy.Find(pattern, texts) {
		keep[m.Index] = true
	}
	out := rows[:0:0]
	for i, r := range rows {
		if keep[i] {
			out = append(out, r)
		}
	}
	return out
}
