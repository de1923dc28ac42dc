package pages

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// Groups lists the consumer groups with their total lag and its trend.
type Groups struct{ St styles.Styles }

// Glyphs of a lag's direction.
const (
	UpGlyph   = "↑"
	DownGlyph = "↓"
)

// Name implements Page.
func (Groups) Name() string { return "Groups" }

// Columns implements Page.
func (Groups) Columns() []components.Column {
	return []components.Column{
		// A long group name is cut only to 20 characters before the
		// member count and the topics go (bug 10: names first).
		{Title: "GROUP", Shrink: true, MinWidth: 20},
		{Title: "STATE"},
		{Title: "PROTOCOL", Drop: 3},
		{Title: "MEMBERS", Align: components.Right, Drop: 1},
		{Title: "TOPICS", Shrink: true, Drop: 2},
		{Title: "LAG", Align: components.Right},
		{Title: "TREND"},
		{Title: "OUT msg/s", Align: components.Right, Drop: 4},
		{Title: "COORDINATOR", Align: components.Right, Drop: 5},
	}
}

// Rows implements Page.
func (p Groups) Rows(s *snapshot.Snapshot) []components.Row {
	rows := make([]components.Row, 0, len(s.Groups))
	for _, g := range s.Groups {
		rows = append(rows, components.Row{
			Key: g.Name, Search: g.Name + " " + g.State + " " + strings.Join(g.Topics, " "),
			Cells: []components.Cell{
				plain(g.Name, p.St), p.state(g.State), p.orDash(g.Protocol), number(int64(len(g.Members)), p.St),
				p.topics(g), p.lag(g, s), p.trend(g), plain(consumeRate(g), p.St), plain(itoa(g.Coordinator), p.St),
			},
		})
	}
	return rows
}

// state colours Kafka's group states: Stable is consuming, a rebalance is
// a pause, Dead is gone.
func (p Groups) state(state string) components.Cell {
	switch state {
	case "Stable":
		return components.Text(state, p.St.Good)
	case "PreparingRebalance", "CompletingRebalance":
		return components.Text(state, p.St.Warn)
	case "Dead":
		return components.Text(BadGlyph+" "+state, p.St.Bad)
	}
	return components.Text(state, p.St.Faint)
}

func (p Groups) orDash(s string) components.Cell {
	if s == "" {
		return components.Text(components.None, p.St.Faint)
	}
	return plain(s, p.St)
}

// topics names the group's topic, or the first and how many more.
func (p Groups) topics(g snapshot.Group) components.Cell {
	switch len(g.Topics) {
	case 0:
		return components.Text(components.None, p.St.Faint)
	case 1:
		return plain(g.Topics[0], p.St)
	}
	return components.Cell{{Text: g.Topics[0], Style: p.St.Plain}, {Text: fmt.Sprintf(" +%d", len(g.Topics)-1), Style: p.St.Faint}}
}

// lag is the total lag: marked when growing, faint when its numbers are
// from an earlier refresh.
func (p Groups) lag(g snapshot.Group, s *snapshot.Snapshot) components.Cell {
	text := components.Count(g.Lag)
	if g.LagPartial {
		text = PartialGlyph + text // partitions whose log end is unread are left out
	}
	switch {
	case g.Lagging():
		return components.Text(WarnGlyph+" "+text, p.St.Warn)
	case g.LagPartial:
		return components.Text(text, p.St.Warn)
	case g.Stale(s) || g.Lag == snapshot.Unknown:
		return components.Text(text, p.St.Faint)
	}
	return plain(text, p.St)
}

// trend is the sparkline of the last refreshes' lag and where it heads.
func (p Groups) trend(g snapshot.Group) components.Cell {
	spark := components.Sparkline(g.LagHistory)
	switch g.Trend() {
	case 1:
		return p.arrow(spark, UpGlyph+" growing", p.St.Warn)
	case -1:
		return p.arrow(spark, DownGlyph+" shrinking", p.St.Good)
	}
	return components.Text(spark, p.St.Faint)
}

func (p Groups) arrow(spark, hint string, style lipgloss.Style) components.Cell {
	return components.Cell{{Text: spark, Style: style}, {Text: " " + hint, Style: style}}
}

// consumeRate is what the group commits per second over all its topics.
func consumeRate(g snapshot.Group) string {
	var sum float64
	for _, r := range g.ConsumeRates {
		sum += r
	}
	return components.Rate(sum, len(g.ConsumeRates) > 0)
}

// Detail implements Page: the lag first, as the line is cut on narrow
// terminals, then what the group is.
func (p Groups) Detail(s *snapshot.Snapshot, key string) components.Cell {
	g, ok := s.Group(key)
	if !ok {
		return nil
	}
	about := fmt.Sprintf("; %s, %s", g.State, plural(len(g.Members), "member"))
	if g.Protocol != "" {
		about += " (" + g.Protocol + ")"
	}
	about += fmt.Sprintf(", coordinator %d", g.Coordinator)
	cell := components.Cell{{Text: g.Name + ": ", Style: p.St.Header}}
	switch {
	case g.Err != nil:
		cell = append(cell, components.Span{Text: fmt.Sprintf("%s %v", BadGlyph, g.Err), Style: p.St.Bad})
	case g.Lagging():
		cell = append(cell, components.Span{Text: fmt.Sprintf("%s lag %s and growing%s%s", WarnGlyph, components.Count(g.Lag),
			reading(g), staleNote(g, s)), Style: p.St.Warn})
	case g.Lag == snapshot.Unknown:
		cell = append(cell, components.Span{Text: "no committed offsets", Style: p.St.Faint})
	default:
		cell = append(cell, components.Span{Text: fmt.Sprintf("lag %s%s%s", components.Count(g.Lag), reading(g), staleNote(g, s)), Style: p.St.Plain})
	}
	return append(cell, components.Span{Text: about, Style: p.St.Faint})
}

// reading is the group's consume rate in words, when known.
func reading(g snapshot.Group) string {
	if len(g.ConsumeRates) == 0 {
		return ""
	}
	return ", reading " + consumeRate(g) + " msg/s"
}

// staleNote says how old a group's numbers are when a large cluster's
// refresh left the group for later.
func staleNote(g snapshot.Group, s *snapshot.Snapshot) string {
	if !g.Stale(s) || g.DescribedAt.IsZero() {
		return ""
	}
	return " (as of " + components.Age(s.At.Sub(g.DescribedAt)) + " ago)"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Open implements Page: enter shows the group's lag per partition.
func (p Groups) Open(s *snapshot.Snapshot, key string) (Page, bool) {
	if _, ok := s.Group(key); !ok {
		return nil, false
	}
	return GroupLag{St: p.St, Group: key}, true
}

// Empty implements Page.
func (Groups) Empty(s *snapshot.Snapshot) string {
	if !s.GroupsKnown {
		return "this cluster client cannot list consumer groups"
	}
	return "no consumer groups"
}
