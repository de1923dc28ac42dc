package pages

import (
	"fmt"
	"net"
	"strconv"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// Brokers lists every known broker, live and dead.
type Brokers struct{ St styles.Styles }

// Name implements Page.
func (Brokers) Name() string { return "Brokers" }

// Columns implements Page.
func (Brokers) Columns() []components.Column {
	return []components.Column{
		{Title: "ID", Align: components.Right},
		{Title: "HOST:PORT", Shrink: true},
		{Title: "RACK", Drop: 3},
		{Title: "STATE"},
		{Title: "ROLE"},
		{Title: "LEADERS", Align: components.Right},
		{Title: "REPLICAS", Align: components.Right, Drop: 2},
		{Title: "URP", Align: components.Right},
		{Title: "OUT-OF-ISR", Align: components.Right, Drop: 1},
	}
}

// Rows implements Page.
func (p Brokers) Rows(s *snapshot.Snapshot) []components.Row {
	rows := make([]components.Row, 0, len(s.Brokers))
	for _, b := range s.Brokers {
		rows = append(rows, components.Row{
			Key:    itoa(b.ID),
			Search: fmt.Sprintf("%d %s %s", b.ID, address(b), b.Rack),
			Cells: []components.Cell{
				plain(itoa(b.ID), p.St), plain(address(b), p.St), components.Text(orDash(b.Rack), p.St.Faint),
				p.state(b), p.role(b), number(int64(b.Leaders), p.St), number(int64(b.Replicas), p.St),
				count(b.UnderReplicated, WarnGlyph, p.St.Warn, p.St),
				count(b.OutOfSync, WarnGlyph, p.St.Warn, p.St),
			},
		})
	}
	return rows
}

func (p Brokers) state(b snapshot.Broker) components.Cell {
	if b.Alive {
		return components.Text(GoodGlyph+" alive", p.St.Good)
	}
	return components.Text(BadGlyph+" dead", p.St.Bad)
}

func (p Brokers) role(b snapshot.Broker) components.Cell {
	if b.Controller {
		return components.Text("controller", p.St.Header)
	}
	return plain("", p.St)
}

// Detail implements Page.
func (p Brokers) Detail(s *snapshot.Snapshot, key string) components.Cell {
	id, err := strconv.Atoi(key)
	if err != nil {
		return nil
	}
	b, ok := s.Broker(int32(id))
	if !ok {
		return nil
	}
	if !b.Alive {
		return components.Text(deadText(b), p.St.Bad)
	}
	text := fmt.Sprintf("broker %d at %s", b.ID, address(b))
	if b.Controller {
		text += ", the controller"
	}
	text += fmt.Sprintf(": leads %d of its %d replicas", b.Leaders, b.Replicas)
	if b.UnderReplicated > 0 {
		return components.Cell{{Text: text + "; ", Style: p.St.Header},
			{Text: fmt.Sprintf("%s %d it leads are under-replicated", WarnGlyph, b.UnderReplicated), Style: p.St.Warn}}
	}
	return components.Text(text, p.St.Header)
}

func deadText(b snapshot.Broker) string {
	text := fmt.Sprintf("%s broker %d is dead", BadGlyph, b.ID)
	switch {
	case !b.DeadSince.IsZero():
		text += " since " + b.DeadSince.Format("15:04:05")
	case b.Host == "":
		text += " (named as a replica, never seen alive)"
	}
	return text + fmt.Sprintf(": %d of its %d replicas out of ISR", b.OutOfSync, b.Replicas)
}

// Open implements Page: a broker opens on its configs, which only a live
// broker can describe (Kafka sends a broker's DescribeConfigs to it).
func (p Brokers) Open(s *snapshot.Snapshot, key string) (Page, bool) {
	id, err := strconv.Atoi(key)
	if err != nil {
		return nil, false
	}
	if b, ok := s.Broker(int32(id)); !ok || !b.Alive {
		return nil, false
	}
	return Configs{St: p.St, Resource: admin.Resource{Type: admin.BrokerResource, Name: key}}, true
}

// Empty implements Page.
func (Brokers) Empty(*snapshot.Snapshot) string { return "no brokers" }

func address(b snapshot.Broker) string {
	if b.Host == "" {
		return components.None
	}
	return net.JoinHostPort(b.Host, strconv.Itoa(int(b.Port)))
}

func orDash(s string) string {
	if s == "" {
		return components.None
	}
	return s
}
