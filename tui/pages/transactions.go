package pages

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// Transactions lists the transactional ids with their state, producer and
// how long their open transaction has run; one open past its timeout is
// marked, as it holds its partitions' last stable offset back.
type Transactions struct{ St styles.Styles }

// Name implements Page.
func (Transactions) Name() string { return "Transactions" }

// Columns implements Page.
func (Transactions) Columns() []components.Column {
	return []components.Column{
		{Title: "TRANSACTIONAL-ID", Shrink: true, MinWidth: 20},
		{Title: "STATE"},
		// The producer and its partitions are in the detail line: they go
		// before the id is cut (bug 10).
		{Title: "PRODUCER-ID", Align: components.Right, Drop: 2},
		{Title: "EPOCH", Align: components.Right, Drop: 3},
		{Title: "PARTITIONS", Align: components.Right, Drop: 1},
		{Title: "AGE", Align: components.Right},
		{Title: "TIMEOUT", Align: components.Right},
		{Title: "COORDINATOR", Align: components.Right, Drop: 4},
	}
}

// Rows implements Page.
func (p Transactions) Rows(s *snapshot.Snapshot) []components.Row {
	rows := make([]components.Row, 0, len(s.Transactions))
	for _, t := range s.Transactions {
		rows = append(rows, components.Row{
			Key: t.ID, Search: t.ID + " " + t.State + " " + strings.Join(txnTopics(t), " "),
			Cells: []components.Cell{
				p.id(t, s), p.state(t, s), plain(strconv.FormatInt(t.ProducerID, 10), p.St), number(int64(t.ProducerEpoch), p.St),
				p.partitions(t), p.age(t, s), p.timeout(t), plain(itoa(t.Coordinator), p.St),
			},
		})
	}
	return rows
}

func (p Transactions) id(t snapshot.Transaction, s *snapshot.Snapshot) components.Cell {
	switch {
	case t.Err != nil:
		return components.Cell{{Text: t.ID + " ", Style: p.St.Plain}, {Text: BadGlyph, Style: p.St.Bad}}
	case t.TimedOut(s.At):
		return components.Text(t.ID, p.St.Warn)
	}
	return plain(t.ID, p.St)
}

// state colours Kafka's transaction states: Ongoing is work (a warning
// past its timeout), a prepare is markers being written, Complete and
// Empty are at rest.
func (p Transactions) state(t snapshot.Transaction, s *snapshot.Snapshot) components.Cell {
	state := t.State
	switch state {
	case snapshot.TxnOngoing:
		if t.TimedOut(s.At) {
			return components.Text(state, p.St.Warn)
		}
		return components.Text(state, p.St.Good)
	case "PrepareCommit", "PrepareAbort", "PrepareEpochFence":
		return components.Text(state, p.St.Warn)
	case "Dead":
		return components.Text(BadGlyph+" "+state, p.St.Bad)
	}
	return components.Text(state, p.St.Faint)
}

func (p Transactions) partitions(t snapshot.Transaction) components.Cell {
	if len(t.Partitions) == 0 {
		return components.Text("0", p.St.Faint)
	}
	return number(int64(len(t.Partitions)), p.St)
}

// age is how long the open transaction has run, marked past its timeout.
func (p Transactions) age(t snapshot.Transaction, s *snapshot.Snapshot) components.Cell {
	age, ok := t.Age(s.At)
	switch {
	case !ok:
		return components.Text("-", p.St.Faint)
	case t.TimedOut(s.At):
		return components.Text(WarnGlyph+" "+components.Age(age), p.St.Warn)
	}
	return plain(components.Age(age), p.St)
}

func (p Transactions) timeout(t snapshot.Transaction) components.Cell {
	if t.Timeout <= 0 {
		return components.Text(components.None, p.St.Faint)
	}
	return plain(duration(t.Timeout), p.St)
}

// duration renders a configured duration in its largest whole unit, as it
// was most likely set: 60000 ms is "1m", 90 s "90s", 1500 ms "1.5s".
func duration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.String()
}

// Detail implements Page: where the transaction stands and the
// partitions it holds first, as the line is cut on narrow terminals, then
// its producer and coordinator.
func (p Transactions) Detail(s *snapshot.Snapshot, key string) components.Cell {
	t, ok := s.Transaction(key)
	if !ok {
		return nil
	}
	cell := components.Cell{{Text: t.ID + ": ", Style: p.St.Header}}
	age, open := t.Age(s.At)
	switch {
	case t.Err != nil:
		cell = append(cell, components.Span{Text: fmt.Sprintf("%s %v", BadGlyph, t.Err), Style: p.St.Bad})
	case t.TimedOut(s.At):
		cell = append(cell, components.Span{Text: fmt.Sprintf("%s open %s, past its %s timeout%s", WarnGlyph,
			components.Age(age), duration(t.Timeout), txnStale(t, s)), Style: p.St.Warn})
	case open:
		cell = append(cell, components.Span{Text: fmt.Sprintf("%s for %s of its %s timeout%s", t.State,
			components.Age(age), duration(t.Timeout), txnStale(t, s)), Style: p.St.Plain})
	default:
		cell = append(cell, components.Span{Text: t.State + ", no open transaction" + txnStale(t, s), Style: p.St.Plain})
	}
	if len(t.Partitions) > 0 {
		cell = append(cell, components.Span{Text: "; " + partitionList(t.Partitions), Style: p.St.Plain})
	}
	about := fmt.Sprintf("; producer %d epoch %d, coordinator %d", t.ProducerID, t.ProducerEpoch, t.Coordinator)
	return append(cell, components.Span{Text: about, Style: p.St.Faint})
}

// txnStale says how old a description is when a refresh left it for
// later.
func txnStale(t snapshot.Transaction, s *snapshot.Snapshot) string {
	if !t.Stale(s) || t.DescribedAt.IsZero() {
		return ""
	}
	return " (as of " + components.Age(s.At.Sub(t.DescribedAt)) + " ago)"
}

// partitionList names partitions by topic: "orders-0,1 payments-2".
func partitionList(tps []snapshot.TopicPartition) string {
	var parts []string
	for i, tp := range tps {
		if i > 0 && tps[i-1].Topic == tp.Topic {
			parts[len(parts)-1] += "," + itoa(tp.Partition)
			continue
		}
		parts = append(parts, tp.Topic+"-"+itoa(tp.Partition))
	}
	return strings.Join(parts, " ")
}

// txnTopics are the topics a transaction wrote to, in order.
func txnTopics(t snapshot.Transaction) []string {
	var out []string
	for _, tp := range t.Partitions {
		if len(out) == 0 || out[len(out)-1] != tp.Topic {
			out = append(out, tp.Topic)
		}
	}
	return out
}

// Open implements Page: nothing below a transaction; its partitions are
// in the detail line.
func (Transactions) Open(*snapshot.Snapshot, string) (Page, bool) { return nil, false }

// Empty implements Page.
func (Transactions) Empty(s *snapshot.Snapshot) string {
	if !s.TransactionsKnown {
		return "this cluster client cannot list transactions"
	}
	return "no transactional ids"
}
