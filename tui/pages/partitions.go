package pages

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// Partitions lists the partitions of one topic: leadership, ISR with the
// missing replicas named, offsets (last stable, high watermark, log end)
// and produce rate.
type Partitions struct {
	St    styles.Styles
	Topic string
}

// Name implements Page.
func (p Partitions) Name() string { return p.Topic + " › partitions" }

// Columns implements Page.
func (Partitions) Columns() []components.Column {
	return []components.Column{
		{Title: "P", Align: components.Right},
		{Title: "LEADER", Align: components.Right},
		{Title: "REPLICAS"},
		{Title: "ISR"},
		{Title: "LOG-START", Align: components.Right},
		// The offsets in their order, LSO <= HW <= LEO, kept longest: a
		// partition's messages are HW minus log start, and its epoch is
		// in the detail line.
		{Title: "LSO", Align: components.Right, Drop: 1},
		{Title: "HW", Align: components.Right},
		{Title: "LEO", Align: components.Right, Drop: 2},
		{Title: "msg/s", Align: components.Right},
		{Title: "MESSAGES", Align: components.Right, Drop: 3},
		{Title: "EPOCH", Align: components.Right, Drop: 4},
	}
}

// Rows implements Page.
func (p Partitions) Rows(s *snapshot.Snapshot) []components.Row {
	t, ok := s.Topic(p.Topic)
	if !ok {
		return nil
	}
	rows := make([]components.Row, 0, len(t.Partitions))
	for _, part := range t.Partitions {
		id := itoa(part.ID)
		rows = append(rows, components.Row{
			Key: id, Search: id,
			Cells: []components.Cell{
				plain(id, p.St), p.leader(part), plain(components.IDs(part.Replicas), p.St), p.isr(part, t.MinISR),
				number(part.LogStart, p.St), p.lastStable(part), number(part.HighWatermark, p.St), p.logEnd(part),
				plain(components.Rate(part.Rate, part.RateKnown), p.St), number(part.Messages(), p.St),
				plain(strconv.Itoa(int(part.LeaderEpoch)), p.St),
			},
		})
	}
	return rows
}

// logEnd shows the leader's log end offset, marked when it is past the
// high watermark (records the ISR has not replicated yet).
func (p Partitions) logEnd(part snapshot.Partition) components.Cell {
	cell := number(part.LogEnd, p.St)
	if part.LogEnd != snapshot.Unknown && part.HighWatermark != snapshot.Unknown && part.LogEnd > part.HighWatermark {
		for i := range cell {
			cell[i].Style = p.St.Warn
		}
	}
	return cell
}

// lastStable shows the last stable offset, marked when it is below the
// high watermark: an open transaction holds read_committed consumers
// back.
func (p Partitions) lastStable(part snapshot.Partition) components.Cell {
	if part.HeldBack() > 0 {
		return components.Text(components.Count(part.LastStable), p.St.Warn)
	}
	return number(part.LastStable, p.St)
}

func (p Partitions) leader(part snapshot.Partition) components.Cell {
	if part.Offline() {
		return components.Text(BadGlyph+" none", p.St.Bad)
	}
	return plain(itoa(part.Leader), p.St)
}

// isr shows the in-sync replicas, then the missing ones after a glyph; red
// when the ISR is below min.insync.replicas.
func (p Partitions) isr(part snapshot.Partition, minISR int) components.Cell {
	style := p.St.Good
	if part.UnderMinISR(minISR) || part.Offline() {
		style = p.St.Bad
	}
	cell := components.Cell{{Text: components.IDs(part.ISR), Style: style}}
	if part.UnderReplicated() {
		cell = append(cell, components.Span{Text: " " + WarnGlyph + " " + components.IDs(part.Missing), Style: p.St.Warn})
	}
	return cell
}

// Detail implements Page.
func (p Partitions) Detail(s *snapshot.Snapshot, key string) components.Cell {
	t, ok := s.Topic(p.Topic)
	if !ok {
		return nil
	}
	i := slices.IndexFunc(t.Partitions, func(part snapshot.Partition) bool { return itoa(part.ID) == key })
	if i < 0 {
		return nil
	}
	part := t.Partitions[i]
	return p.health(s, t, part)
}

// heldBack says how far an open transaction holds read_committed
// consumers back, when it does.
func (p Partitions) heldBack(part snapshot.Partition) components.Cell {
	n := part.HeldBack()
	if n == 0 {
		return nil
	}
	return components.Text(fmt.Sprintf("; %s open transaction: LSO %s, %s behind HW",
		WarnGlyph, components.Count(part.LastStable), components.Count(n)), p.St.Warn)
}

// health is the partition's leadership and replication in words, with
// an open transaction holding its consumers back before "all replicas in
// sync", as the line is cut on narrow terminals.
func (p Partitions) health(s *snapshot.Snapshot, t snapshot.Topic, part snapshot.Partition) components.Cell {
	name := fmt.Sprintf("%s-%d", t.Name, part.ID)
	switch {
	case part.Offline():
		return components.Text(fmt.Sprintf("%s %s offline: leader -1, no live in-sync replica; ISR %s%s",
			BadGlyph, name, components.IDs(part.ISR), deadNote(s, part.ISR)), p.St.Bad)
	case part.UnderReplicated():
		style := p.St.Warn
		if part.UnderMinISR(t.MinISR) {
			style = p.St.Bad
		}
		return append(components.Text(fmt.Sprintf("%s %s: leader %d, %s out of ISR%s%s", WarnGlyph, name, part.Leader,
			replicaWord(part.Missing), deadNote(s, part.Missing), minISRNote(part, t.MinISR)), style), p.heldBack(part)...)
	case part.Err != nil:
		return append(components.Text(fmt.Sprintf("%s %s: %v", BadGlyph, name, part.Err), p.St.Bad), p.heldBack(part)...)
	}
	text := fmt.Sprintf("%s: leader %d (epoch %d)", name, part.Leader, part.LeaderEpoch)
	if len(part.Replicas) > 0 && part.Replicas[0] != part.Leader {
		// A leader off its preferred replica is what a restart leaves
		// behind until a preferred-leader election.
		text += fmt.Sprintf(", not the preferred %d", part.Replicas[0])
	}
	held := p.heldBack(part)
	if held == nil {
		return components.Cell{{Text: text, Style: p.St.Header}, {Text: ": all replicas in sync", Style: p.St.Good}}
	}
	return append(append(components.Text(text, p.St.Header), held...), components.Span{Text: "; all replicas in sync", Style: p.St.Good})
}

func replicaWord(ids []int32) string {
	if len(ids) == 1 {
		return "replica " + components.IDs(ids)
	}
	return "replicas " + components.IDs(ids)
}

// deadNote names which of ids are dead brokers.
func deadNote(s *snapshot.Snapshot, ids []int32) string {
	var dead []string
	for _, id := range ids {
		if b, ok := s.Broker(id); ok && !b.Alive {
			dead = append(dead, itoa(id))
		}
	}
	switch len(dead) {
	case 0:
		return ""
	case 1:
		return " (broker " + dead[0] + " dead)"
	}
	return " (brokers " + strings.Join(dead, ",") + " dead)"
}

func minISRNote(part snapshot.Partition, minISR int) string {
	if !part.UnderMinISR(minISR) {
		return ""
	}
	return fmt.Sprintf(", ISR below min.insync.replicas %d", minISR)
}

// Open implements Page: nothing below a partition yet (messages will be).
func (Partitions) Open(*snapshot.Snapshot, string) (Page, bool) { return nil, false }

// Empty implements Page.
func (p Partitions) Empty(s *snapshot.Snapshot) string {
	if _, ok := s.Topic(p.Topic); !ok {
		return "topic " + p.Topic + " does not exist (deleted?)"
	}
	return "no partitions"
}
