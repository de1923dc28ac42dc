package tui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
	"github.com/kqhq/kq/tui/snapshot"
)

// groupAdmin deletes groups and their offsets, with the operations kq
// groups --delete and --delete-offsets use; *admin.Client implements it.
type groupAdmin interface {
	DeleteGroups(ctx context.Context, groups ...string) (map[string]error, error)
	DeleteGroupOffsets(ctx context.Context, group, topic string, partitions []int32) (map[int32]error, error)
}

// onGroupPage says whether a group is what the view is about, so that
// ctrl+d deletes the group rather than a topic.
func (m Model) onGroupPage() bool {
	switch m.top().page.(type) {
	case pages.Groups, pages.GroupLag:
		return true
	}
	return false
}

// activeGroupRefusal is Kafka's rule for deleting a group: one with
// members is refused (NON_EMPTY_GROUP), as they would go on committing.
func activeGroupRefusal(g snapshot.Group) string {
	return fmt.Sprintf("%s is %s with %s: Kafka deletes only an empty group (NON_EMPTY_GROUP). Stop its consumers first.",
		g.Name, g.State, pluralWord(len(g.Members), "member"))
}

func groupActive(g snapshot.Group) bool { return g.State != "Empty" && g.State != "Dead" }

// deleteGroup deletes a group and its committed offsets (DeleteGroups),
// once its name is typed out, as for a topic.
func (m Model) deleteGroup(group string) (tea.Model, tea.Cmd) {
	a, ok := m.opts.Source.(groupAdmin)
	if !ok {
		return m.failAction(errNoAction)
	}
	title := "Delete group " + group
	g, ok := m.snap.Group(group)
	switch {
	case !ok:
		return m.failAction(fmt.Errorf("no group %q", group))
	case groupActive(g):
		return m.refusedDialog(title, activeGroupRefusal(g))
	}
	committed := 0
	for _, gp := range g.Partitions {
		if gp.Committed >= 0 {
			committed++
		}
	}
	what := fmt.Sprintf("%s (%s", group, pluralWord(committed, "committed offset"))
	if len(g.Topics) > 0 {
		what += " on " + strings.Join(g.Topics, ", ")
	}
	what += ")"
	return m.openDialog(&dialog{
		title: title,
		plan: func(context.Context, []string) (preview, error) {
			return preview{
				lines: []components.Cell{components.Text(pages.BadGlyph+" Its committed offsets are gone for good: a consumer joining "+
					group+" again starts where auto.offset.reset says.", m.st.Bad)},
				question: "Delete group " + what + "?",
				typed:    group,
				running:  "deleting group " + group + "…",
				run: func(ctx context.Context) (string, error) {
					res, err := a.DeleteGroups(ctx, group)
					if err != nil {
						return "", err
					}
					if err := res[group]; err != nil {
						return "", fmt.Errorf("group %s not deleted: %w", group, err)
					}
					return "deleted group " + group, nil
				},
			}, nil
		},
	})
}

// deleteGroupOffsets deletes a group's committed offsets of one topic
// (OffsetDelete), as kafka-consumer-groups --delete-offsets: the topic is
// the lag row's, the palette's second argument, or asked. Kafka's rule:
// an empty group may lose any topic's offsets, a consumer group with
// members only those of topics no member reads (GROUP_SUBSCRIBED_TO_TOPIC).
func (m Model) deleteGroupOffsets(group string, answers []string) (tea.Model, tea.Cmd) {
	a, ok := m.opts.Source.(groupAdmin)
	if !ok {
		return m.failAction(errNoAction)
	}
	g, ok := m.snap.Group(group)
	if !ok {
		return m.failAction(fmt.Errorf("no group %q", group))
	}
	if len(answers) == 0 {
		answers = m.offsetsTopic(g)
	}
	snap := m.snap
	return m.openDialog(&dialog{
		title: "Delete offsets of group " + group,
		prompts: []prompt{{label: "topic", hint: "committed on: " + strings.Join(g.Topics, ", "), check: func(s string) error {
			if _, ok := snap.Topic(s); !ok && !slices.Contains(g.Topics, s) {
				return fmt.Errorf("no topic %q", s)
			}
			return nil
		}}},
		answers: answers,
		plan: func(_ context.Context, ans []string) (preview, error) {
			if readers := topicReaders(g, ans[0]); readers > 0 {
				return preview{}, fmt.Errorf("%s of %s read %s: Kafka keeps the offsets of a topic the group consumes "+
					"(GROUP_SUBSCRIBED_TO_TOPIC). Stop them, or move them off %s, first.", pluralWord(readers, "member"), group, ans[0], ans[0])
			}
			return m.offsetsPreview(a, g, ans[0]), nil
		},
	})
}

// offsetsTopic is the topic x means without being told: the lag row's
// under the cursor, or the group's only one.
func (m Model) offsetsTopic(g snapshot.Group) []string {
	if gl, ok := m.top().page.(pages.GroupLag); ok && gl.Group == g.Name {
		if topic, _, ok := strings.Cut(m.top().cursor.Key, "/"); ok {
			return []string{topic}
		}
	}
	if len(g.Topics) == 1 {
		return []string{g.Topics[0]}
	}
	return nil
}

// topicReaders counts the group's members consuming a topic.
func topicReaders(g snapshot.Group, topic string) int {
	var ids []string
	for _, gp := range g.Partitions {
		if gp.Topic == topic && gp.MemberID != "" && !slices.Contains(ids, gp.MemberID) {
			ids = append(ids, gp.MemberID)
		}
	}
	return len(ids)
}

// offsetsPreview lists the offsets that go, every partition of the topic
// (those without a commit are asked too, as Kafka's tool does).
func (m Model) offsetsPreview(a groupAdmin, g snapshot.Group, topic string) preview {
	tbl := &components.Table{
		Columns: []components.Column{{Title: "TOPIC", Shrink: true}, {Title: "P", Align: components.Right},
			{Title: "CURRENT-OFFSET", Align: components.Right}},
		Cursor: components.Cursor{Index: -1}, Header: m.st.ColumnHeader, Plain: m.st.Plain,
	}
	n := 0
	for _, gp := range g.Partitions {
		if gp.Topic != topic || gp.Committed < 0 {
			continue
		}
		n++
		tbl.Rows = append(tbl.Rows, components.Row{Cells: []components.Cell{components.Text(topic, m.st.Plain),
			components.Text(strconv.Itoa(int(gp.Partition)), m.st.Plain), components.Text(components.Count(gp.Committed), m.st.Header)}})
	}
	lines := []components.Cell{components.Text(fmt.Sprintf("%s forgets where it stood on %s: %s there starts where auto.offset.reset says.",
		g.Name, topic, "a consumer of the group"), m.st.Plain)}
	if n == 0 {
		tbl = nil
		lines = append(lines, components.Text(pages.WarnGlyph+" "+g.Name+" has no committed offset on "+topic+" that kq has seen.", m.st.Warn))
	}
	return preview{
		lines: lines, table: tbl,
		question: fmt.Sprintf("Delete group %s's offsets on %s (%s)?", g.Name, topic, pluralWord(n, "partition")),
		running:  "deleting the offsets of " + g.Name + " on " + topic + "…",
		run: func(ctx context.Context) (string, error) {
			res, err := a.DeleteGroupOffsets(ctx, g.Name, topic, nil)
			if err != nil {
				return "", err
			}
			return offsetsOutcome(g.Name, topic, res)
		},
	}
}

// offsetsOutcome says what OffsetDelete did, naming each partition that
// refused and why (GROUP_SUBSCRIBED_TO_TOPIC while a member reads it).
func offsetsOutcome(group, topic string, res map[int32]error) (string, error) {
	var failed []string
	for _, p := range slices.Sorted(maps.Keys(res)) {
		if err := res[p]; err != nil {
			failed = append(failed, fmt.Sprintf("%s-%d: %v", topic, p, err))
		}
	}
	text := fmt.Sprintf("deleted the offsets of group %s on %s (%s)", group, topic, pluralWord(len(res)-len(failed), "partition"))
	if len(failed) > 0 {
		return "", fmt.Errorf("%s; %d refused: %s", text, len(failed), strings.Join(failed, ", "))
	}
	return text, nil
}
