package pages

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// GroupLag is a group's lag per partition, as kafka-consumer-groups
// --describe prints it.
type GroupLag struct {
	St    styles.Styles
	Group string
}

// Name implements Page.
func (p GroupLag) Name() string { return p.Group + " › lag" }

// Columns implements Page.
func (GroupLag) Columns() []components.Column {
	return []components.Column{
		{Title: "TOPIC", Shrink: true, MinWidth: 16},
		{Title: "P", Align: components.Right},
		{Title: "CURRENT-OFFSET", Align: components.Right, Drop: 1},
		{Title: "LOG-END-OFFSET", Align: components.Right, Drop: 2},
		{Title: "LAG", Align: components.Right},
		{Title: "CONSUMER-ID", Shrink: true, MinWidth: 16},
		{Title: "HOST", Drop: 3},
		{Title: "CLIENT-ID", Drop: 4},
	}
}

// rowKey names a partition's row: "/" cannot be in a topic name.
func rowKey(topic string, partition int32) string { return topic + "/" + itoa(partition) }

// Rows implements Page.
func (p GroupLag) Rows(s *snapshot.Snapshot) []components.Row {
	g, ok := s.Group(p.Group)
	if !ok {
		return nil
	}
	rows := make([]components.Row, 0, len(g.Partitions))
	for _, gp := range g.Partitions {
		rows = append(rows, components.Row{
			Key:    rowKey(gp.Topic, gp.Partition),
			Search: fmt.Sprintf("%s %d %s %s %s", gp.Topic, gp.Partition, gp.MemberID, gp.Host, gp.ClientID),
			Cells: []components.Cell{
				plain(gp.Topic, p.St), plain(itoa(gp.Partition), p.St),
				number(gp.Committed, p.St), number(gp.LogEnd, p.St), p.lag(g, gp),
				p.orNone(gp.MemberID), p.orNone(gp.Host), p.orNone(gp.ClientID),
			},
		})
	}
	return rows
}

// lag is marked where the group is falling behind.
func (p GroupLag) lag(g snapshot.Group, gp snapshot.GroupPartition) components.Cell {
	text := components.Count(gp.Lag)
	switch {
	case gp.Lag > 0 && g.Lagging():
		return components.Text(WarnGlyph+" "+text, p.St.Warn)
	case gp.Lag <= 0:
		return components.Text(text, p.St.Faint)
	}
	return plain(text, p.St)
}

func (p GroupLag) orNone(s string) components.Cell {
	if s == "" {
		return components.Text(components.None, p.St.Faint)
	}
	return plain(s, p.St)
}

// Detail implements Page.
func (p GroupLag) Detail(s *snapshot.Snapshot, key string) components.Cell {
	g, ok := s.Group(p.Group)
	if !ok {
		return nil
	}
	i := slices.IndexFunc(g.Partitions, func(gp snapshot.GroupPartition) bool { return rowKey(gp.Topic, gp.Partition) == key })
	if i < 0 {
		return nil
	}
	gp := g.Partitions[i]
	name := gp.Topic + "-" + strconv.Itoa(int(gp.Partition))
	text := fmt.Sprintf("%s: nothing committed", name)
	if gp.Committed != snapshot.Unknown {
		text = fmt.Sprintf("%s: committed %s of %s, lag %s", name, components.Count(gp.Committed),
			components.Count(gp.LogEnd), components.Count(gp.Lag))
	}
	cell := components.Cell{{Text: text, Style: p.St.Header}}
	if gp.MemberID == "" {
		return append(cell, components.Span{Text: "; no member consumes it", Style: p.St.Faint})
	}
	who := fmt.Sprintf("; consumed by %s", gp.MemberID)
	if gp.ClientID != "" {
		who += " (" + gp.ClientID + ")"
	}
	return append(cell, components.Span{Text: who + " on " + gp.Host, Style: p.St.Plain})
}

// Open implements Page: nothing below a partition's lag.
func (GroupLag) Open(*snapshot.Snapshot, string) (Page, bool) { return nil, false }

// Empty implements Page.
func (p GroupLag) Empty(s *snapshot.Snapshot) string {
	if _, ok := s.Group(p.Group); !ok {
		return "group " + p.Group + " does not exist (deleted?)"
	}
	return "group " + p.Group + " has no committed offsets and no assigned partitions"
}
