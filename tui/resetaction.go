package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
	"github.com/kqhq/kq/tui/snapshot"
)

// resetAdmin plans and commits a group's offsets; *admin.Client
// implements it.
type resetAdmin interface {
	admin.ResetSource
	CommitGroupOffsets(ctx context.Context, group string, offsets []admin.GroupOffset) error
}

// resetHint explains what the reset prompt takes.
const resetHint = "earliest, latest, an offset, +N/-N to shift, a datetime 2025-01-02T15:04, or 1h ago"

// selectedGroup is the group an action applies to: the row under the
// cursor in Groups, or the group whose lag is shown.
func (m Model) selectedGroup() (string, bool) {
	switch p := m.top().page.(type) {
	case pages.Groups:
		return m.top().cursor.Key, m.top().cursor.Key != ""
	case pages.GroupLag:
		return p.Group, true
	}
	return "", false
}

// resetOffsets moves a group's committed offsets, as kafka-consumer-groups
// --reset-offsets: of the topics named (every partition of a topic, or
// the ones listed, committed or not), or with --all-topics' meaning when
// none is named: every partition the group has committed offsets for. The preview is Kafka's dry run (current -> new per partition); the
// commit comes only after y. A group with members is refused, as Kafka
// does: they would overwrite the offsets with their next commit.
func (m Model) resetOffsets(group string, answers []string) (tea.Model, tea.Cmd) {
	a, ok := m.opts.Source.(resetAdmin)
	if !ok {
		return m.failAction(errNoAction)
	}
	title := "Reset offsets of group " + group
	if g, ok := m.snap.Group(group); ok && g.State != "Empty" && g.State != "Dead" {
		return m.refusedDialog(title, (&admin.GroupActiveError{Group: group, State: g.State}).Error()+
			fmt.Sprintf(". Stop its %s first.", pluralWord(len(g.Members), "member")))
	}
	now, snap := m.opts.Now, m.snap
	return m.openDialog(&dialog{
		title: title,
		prompts: []prompt{
			{label: "reset to", hint: resetHint, check: func(s string) error { _, err := parseResetTarget(s, now()); return err }},
			{label: "topics", hint: resetTopicsHint, empty: "(the committed partitions)", check: func(s string) error { _, err := parseResetTopics(s, snap); return err }},
		},
		answers: answers,
		plan: func(ctx context.Context, ans []string) (preview, error) {
			at := now()
			strategy, _ := parseResetTarget(ans[0], at) // checked by the prompts
			topics, _ := parseResetTopics(ans[1], snap)
			req := admin.ResetRequest{Group: group, Topics: topics, AllTopics: len(topics) == 0, Strategy: strategy, Now: at}
			plan, err := admin.PlanReset(ctx, a, req)
			if err != nil {
				return preview{}, err
			}
			if len(plan.Offsets) == 0 {
				return preview{}, fmt.Errorf("group %s has no committed offsets; name the topics to reset", group)
			}
			return m.resetPreview(a, plan, ans[0]), nil
		},
	})
}

// resetPreview shows the plan as Kafka's dry run does, with the change.
func (m Model) resetPreview(a resetAdmin, plan admin.ResetPlan, to string) preview {
	t := &components.Table{
		Columns: []components.Column{{Title: "TOPIC", Shrink: true}, {Title: "P", Align: components.Right},
			{Title: "CURRENT-OFFSET", Align: components.Right}, {Title: "NEW-OFFSET", Align: components.Right},
			{Title: "CHANGE", Align: components.Right}},
		Cursor: components.Cursor{Index: -1}, Header: m.st.ColumnHeader, Plain: m.st.Plain,
	}
	for _, o := range plan.Offsets {
		t.Rows = append(t.Rows, components.Row{Cells: []components.Cell{
			components.Text(o.Topic, m.st.Plain), components.Text(strconv.Itoa(int(o.Partition)), m.st.Plain),
			components.Text(components.Count(o.Current), m.st.Plain), components.Text(components.Count(o.New), m.st.Header),
			m.change(o),
		}})
	}
	var lines []components.Cell
	for _, w := range plan.Warnings {
		lines = append(lines, components.Text(w, m.st.Faint))
	}
	n := len(plan.Offsets)
	return preview{
		lines: lines, table: t,
		question: fmt.Sprintf("Reset %s of group %s to %s?", pluralWord(n, "offset"), plan.Group, to),
		running:  "committing the offsets of " + plan.Group + "…",
		run: func(ctx context.Context) (string, error) {
			if err := a.CommitGroupOffsets(ctx, plan.Group, plan.Commits()); err != nil {
				return "", err
			}
			return fmt.Sprintf("reset %s of group %s", pluralWord(n, "offset"), plan.Group), nil
		},
	}
}

// change is how far an offset moves: back (records read again) or ahead
// (records skipped).
func (m Model) change(o admin.OffsetReset) components.Cell {
	if o.Current < 0 {
		return components.Text(components.None, m.st.Faint)
	}
	switch d := o.New - o.Current; {
	case d > 0:
		return components.Text("+"+components.Count(d), m.st.Warn)
	case d < 0:
		return components.Text("-"+components.Count(-d), m.st.Plain)
	}
	return components.Text("0", m.st.Faint)
}

// resetTopicsHint explains what the topics prompt takes.
const resetTopicsHint = "empty: the partitions it has committed; or topics, space-separated, each TOPIC or TOPIC:0,1"

// parseResetTopics reads the topics prompt's answer, Kafka's --topic
// syntax (TOPIC or TOPIC:P,P) for each space-separated word, checked
// against the cluster's topics. None means the committed partitions.
func parseResetTopics(s string, snap *snapshot.Snapshot) ([]admin.TopicPartitions, error) {
	var out []admin.TopicPartitions
	for _, word := range strings.Fields(s) {
		name, list, hasList := strings.Cut(word, ":")
		t, ok := snap.Topic(name)
		if !ok {
			return nil, fmt.Errorf("no topic %q", name)
		}
		tp := admin.TopicPartitions{Topic: name}
		if hasList {
			for _, f := range strings.Split(list, ",") {
				p, err := strconv.ParseInt(f, 10, 32)
				if err != nil || p < 0 || int(p) >= len(t.Partitions) {
					return nil, fmt.Errorf("%q: %s has partitions 0 to %d", word, name, len(t.Partitions)-1)
				}
				tp.Partitions = append(tp.Partitions, int32(p))
			}
		}
		out = append(out, tp)
	}
	return out, nil
}

// parseResetTarget reads the reset prompt's answer.
func parseResetTarget(s string, now time.Time) (admin.ResetStrategy, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "earliest", "e", "beginning", "start":
		return admin.ResetStrategy{Kind: admin.ResetToEarliest}, nil
	case "latest", "l", "end":
		return admin.ResetStrategy{Kind: admin.ResetToLatest}, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if s[0] == '+' || s[0] == '-' {
			return admin.ResetStrategy{Kind: admin.ResetShiftBy, Offset: n}, nil
		}
		return admin.ResetStrategy{Kind: admin.ResetToOffset, Offset: n}, nil
	}
	if ago, ok := strings.CutSuffix(s, " ago"); ok {
		d, err := time.ParseDuration(strings.TrimSpace(ago))
		if err != nil || d < 0 {
			return admin.ResetStrategy{}, fmt.Errorf("%q: want a duration such as 90m or 2h before ago", s)
		}
		return admin.ResetStrategy{Kind: admin.ResetByDuration, Duration: d}, nil
	}
	t, err := admin.ParseResetDatetime(s, now.Location())
	if err != nil {
		return admin.ResetStrategy{}, fmt.Errorf("%q: want %s", s, resetHint)
	}
	return admin.ResetStrategy{Kind: admin.ResetToDatetime, Time: t}, nil
}

// refusedDialog shows why an action cannot be done; any key closes it.
func (m Model) refusedDialog(title, why string) (tea.Model, tea.Cmd) {
	m.dialogs++
	m.dialog = &dialog{id: m.dialogs, title: title, stage: stageRefused, problem: why}
	return m, nil
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%s %ss", components.Count(int64(n)), word)
}
