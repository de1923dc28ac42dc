package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/twmb/franz-go/pkg/kerr"
)

// electAdmin asks the controller for leader elections; *admin.Client
// implements it.
type electAdmin interface {
	ElectLeaders(ctx context.Context, typ admin.ElectionType, partitions map[string][]int32) ([]admin.ElectionResult, error)
}

// maxPreviewLines bounds the partitions a preview names one by one.
const maxPreviewLines = 8

// electLeaders moves the leadership of the topic's partitions back to
// their preferred replicas (the first assigned), as kafka-leader-election
// --election-type PREFERRED: what a restarted broker needs to lead again.
func (m Model) electLeaders(topic string) (tea.Model, tea.Cmd) {
	a, ok := m.opts.Source.(electAdmin)
	if !ok {
		return m.failAction(errNoAction)
	}
	t, ok := m.snap.Topic(topic)
	if !ok {
		return m.failAction(fmt.Errorf("no topic %q", topic))
	}
	off := offPreferred(t)
	if len(off) == 0 {
		m.flash = flash{text: "every partition of " + topic + " is led by its preferred replica: nothing to elect"}
		return m, nil
	}
	ids := make([]int32, len(off))
	for i, p := range off {
		ids[i] = p.ID
	}
	return m.openDialog(&dialog{
		title: "Elect preferred leaders of " + topic,
		plan: func(context.Context, []string) (preview, error) {
			return preview{
				lines:    m.electLines(topic, off),
				question: fmt.Sprintf("Elect the preferred leader of %d partitions of %s?", len(off), topic),
				running:  "electing leaders of " + topic + "…",
				run: func(ctx context.Context) (string, error) {
					res, err := a.ElectLeaders(ctx, admin.PreferredElection, map[string][]int32{topic: ids})
					if err != nil {
						return "", err
					}
					return electionOutcome(topic, res)
				},
			}, nil
		},
	})
}

// offPreferred are the partitions led by another replica than their first.
func offPreferred(t snapshot.Topic) []snapshot.Partition {
	var out []snapshot.Partition
	for _, p := range t.Partitions {
		if len(p.Replicas) > 0 && p.Leader != p.Replicas[0] {
			out = append(out, p)
		}
	}
	return out
}

// electLines names what moves, and what cannot: a preferred replica out of
// the ISR is refused by the controller.
func (m Model) electLines(topic string, off []snapshot.Partition) []components.Cell {
	var lines []components.Cell
	for i, p := range off {
		if i == maxPreviewLines {
			lines = append(lines, components.Text(fmt.Sprintf("… and %d more", len(off)-i), m.st.Faint))
			break
		}
		from := "no leader"
		if !p.Offline() {
			from = fmt.Sprintf("broker %d", p.Leader)
		}
		text := fmt.Sprintf("%s-%d: %s -> broker %d", topic, p.ID, from, p.Replicas[0])
		if !slices.Contains(p.ISR, p.Replicas[0]) {
			lines = append(lines, components.Text(text+" "+pages.WarnGlyph+" not in the ISR: the controller will refuse", m.st.Warn))
			continue
		}
		lines = append(lines, components.Text(text, m.st.Plain))
	}
	return lines
}

// electionOutcome sums up the results; partitions that could not move make
// it an error.
func electionOutcome(topic string, res []admin.ElectionResult) (string, error) {
	var moved, already int
	var failed []string
	for _, r := range res {
		switch {
		case r.Err == nil:
			moved++
		case errors.Is(r.Err, kerr.ElectionNotNeeded):
			already++
		default:
			failed = append(failed, fmt.Sprintf("%s-%d: %v", r.Topic, r.Partition, r.Err))
		}
	}
	text := fmt.Sprintf("elected the preferred leader of %s of %s", pluralWord(moved, "partition"), topic)
	if already > 0 {
		text += fmt.Sprintf(" (%d already had it)", already)
	}
	if len(failed) > 0 {
		return "", fmt.Errorf("%s; %d failed: %s", text, len(failed), strings.Join(failed, ", "))
	}
	return text, nil
}
