package pages

import (
	"fmt"
	"strings"

	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// Topics lists every topic with its replication health, produce and
// consume rates and size.
type Topics struct{ St styles.Styles }

// Name implements Page.
func (Topics) Name() string { return "Topics" }

// Columns implements Page.
func (Topics) Columns() []components.Column {
	return []components.Column{
		{Title: "TOPIC", Shrink: true, MinWidth: 24},
		{Title: "PARTS", Align: components.Right},
		{Title: "RF", Align: components.Right, Drop: 3},
		{Title: "URP", Align: components.Right},
		{Title: "<MIN-ISR", Align: components.Right, Drop: 1},
		{Title: "OFFLINE", Align: components.Right},
		{Title: "IN msg/s", Align: components.Right},
		{Title: "OUT msg/s", Align: components.Right, Drop: 2},
		{Title: "SIZE", Align: components.Right, Drop: 4},
		{Title: "MESSAGES", Align: components.Right, Drop: 5},
		{Title: "MIN-ISR", Align: components.Right, Drop: 6},
		{Title: "TOPIC-ID", Drop: 7},
	}
}

// Rows implements Page.
func (p Topics) Rows(s *snapshot.Snapshot) []components.Row {
	rows := make([]components.Row, 0, len(s.Topics))
	for _, t := range s.Topics {
		rows = append(rows, components.Row{
			Key: t.Name, Search: t.Name,
			Cells: []components.Cell{
				p.name(t), number(int64(len(t.Partitions)), p.St), number(int64(t.ReplicationFactor), p.St),
				count(t.UnderReplicated, WarnGlyph, p.St.Warn, p.St),
				count(t.UnderMinISR, WarnGlyph, p.St.Bad, p.St),
				count(t.Offline, BadGlyph, p.St.Bad, p.St),
				partialRate(t, p.St),
				plain(components.Rate(t.ConsumeRate, t.ConsumeRateKnown), p.St), p.size(t),
				partialMessages(t, p.St), p.minISR(t), components.Text(t.ID, p.St.Faint),
			},
		})
	}
	return rows
}

func (p Topics) name(t snapshot.Topic) components.Cell {
	switch {
	case t.Err != nil:
		return components.Cell{{Text: t.Name + " ", Style: p.St.Plain}, {Text: BadGlyph + " error", Style: p.St.Bad}}
	case t.Internal:
		return components.Text(t.Name, p.St.Faint)
	}
	return plain(t.Name, p.St)
}

func (p Topics) size(t snapshot.Topic) components.Cell {
	if t.Size == snapshot.Unknown {
		return components.Text(components.None, p.St.Faint)
	}
	return plain(components.Bytes(t.Size), p.St)
}

func (p Topics) minISR(t snapshot.Topic) components.Cell {
	if t.MinISR == 0 {
		return components.Text(components.None, p.St.Faint)
	}
	return number(int64(t.MinISR), p.St)
}

// Detail implements Page: the topic's shape and health, then the ACLs
// that apply to it when the cluster says.
func (p Topics) Detail(s *snapshot.Snapshot, key string) components.Cell {
	t, ok := s.Topic(key)
	if !ok {
		return nil
	}
	return append(append(p.health(t), partialSpans(t, p.St)...), aclSpans(t, p.St)...)
}

func (p Topics) health(t snapshot.Topic) components.Cell {
	if t.Err != nil {
		return components.Text(fmt.Sprintf("%s %s: %v", BadGlyph, t.Name, t.Err), p.St.Bad)
	}
	text := fmt.Sprintf("%s: %d partitions, RF %d", t.Name, len(t.Partitions), t.ReplicationFactor)
	if t.MinISR > 0 {
		text += fmt.Sprintf(", min.insync.replicas %d", t.MinISR)
	}
	if t.Size != snapshot.Unknown {
		// TopicSizes adds up every replica, as kafka-log-dirs users do.
		text += ", " + components.Bytes(t.Size) + " on disk (all replicas)"
	}
	cell := components.Cell{{Text: text, Style: p.St.Header}}
	var problems []string
	if t.Offline > 0 {
		problems = append(problems, fmt.Sprintf("%s %d offline (no leader)", BadGlyph, t.Offline))
	}
	if t.UnderMinISR > 0 {
		problems = append(problems, fmt.Sprintf("%s %d under min ISR (acks=all fails)", WarnGlyph, t.UnderMinISR))
	}
	if t.UnderReplicated > 0 {
		problems = append(problems, fmt.Sprintf("%s %d under-replicated", WarnGlyph, t.UnderReplicated))
	}
	if len(problems) == 0 {
		return append(cell, components.Span{Text: ": all replicas in sync", Style: p.St.Good})
	}
	style := p.St.Warn
	if t.Offline+t.UnderMinISR > 0 {
		style = p.St.Bad
	}
	return append(cell, components.Span{Text: ": " + strings.Join(problems, ", "), Style: style})
}

// Open implements Page: enter shows the topic's partitions.
func (p Topics) Open(s *snapshot.Snapshot, key string) (Page, bool) {
	if _, ok := s.Topic(key); !ok {
		return nil, false
	}
	return Partitions{St: p.St, Topic: key}, true
}

// Empty implements Page.
func (Topics) Empty(*snapshot.Snapshot) string { return "no topics" }
