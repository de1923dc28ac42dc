package tui

import (
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/messages"
	"github.com/kqhq/kq/tui/pages"
)

// lagRow is the partition of the lag row under the cursor, with the
// group's committed offset there (-1 when none).
func (m Model) lagRow() (topic string, partition int32, committed int64, ok bool) {
	f := m.top()
	gl, isLag := f.page.(pages.GroupLag)
	if !isLag || m.snap == nil {
		return "", 0, 0, false
	}
	topic, p, found := strings.Cut(f.cursor.Key, "/")
	n, err := strconv.ParseInt(p, 10, 32)
	if !found || err != nil {
		return "", 0, 0, false
	}
	committed = -1
	if g, ok := m.snap.Group(gl.Group); ok {
		for _, gp := range g.Partitions {
			if gp.Topic == topic && gp.Partition == int32(n) {
				committed = gp.Committed
			}
		}
	}
	return topic, int32(n), committed, true
}

// openLagMessages opens the Messages view of a lag row's partition at
// the group's committed offset: the first record the group has not read
// yet, so what the lag is made of is on screen. A partition without a
// commit opens on its newest records, where a consumer with Kafka's
// default auto.offset.reset (latest) would start.
func (m Model) openLagMessages() (tea.Model, tea.Cmd) {
	topic, partition, committed, ok := m.lagRow()
	if !ok {
		m.flash = flash{text: "select a partition of the group's lag", bad: true}
		return m, nil
	}
	if committed < 0 {
		return m.openMessages(topic, partition, messages.Start{Kind: messages.Newest, N: messages.DefaultNewest})
	}
	return m.openMessages(topic, partition, messages.Start{Kind: messages.FromOffset, N: committed})
}
