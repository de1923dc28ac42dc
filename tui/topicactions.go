package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
	"github.com/kqhq/kq/tui/snapshot"
)

// topicAdmin is what the topic actions ask of the cluster; *admin.Client
// implements it.
type topicAdmin interface {
	CreateTopic(ctx context.Context, spec admin.TopicSpec) (admin.CreatedTopic, error)
	DeleteTopics(ctx context.Context, names ...string) error
	AddPartitions(ctx context.Context, topic string, total int32, assignment [][]int32) error
}

// errNoAction is the answer when the cluster client lacks an action.
var errNoAction = errors.New("this cluster client cannot do that")

// topicActions returns the source as a topicAdmin.
func (m Model) topicActions() (topicAdmin, error) {
	if a, ok := m.opts.Source.(topicAdmin); ok {
		return a, nil
	}
	return nil, errNoAction
}

// selectedTopic is the topic an action applies to: the row under the
// cursor in Topics, or the topic whose partitions are shown.
func (m Model) selectedTopic() (string, bool) {
	switch p := m.top().page.(type) {
	case pages.Topics:
		return m.top().cursor.Key, m.top().cursor.Key != ""
	case pages.Partitions:
		return p.Topic, true
	}
	return "", false
}

// createTopic asks for a name, a partition count and a replication factor
// (both may be left to the broker), then creates the topic.
func (m Model) createTopic(answers []string) (tea.Model, tea.Cmd) {
	a, err := m.topicActions()
	if err != nil {
		return m.failAction(err)
	}
	snap := m.snap
	return m.openDialog(&dialog{
		title: "Create topic",
		prompts: []prompt{
			{label: "name", check: func(s string) error {
				if _, ok := snap.Topic(s); ok {
					return fmt.Errorf("topic %s already exists", s)
				}
				return admin.ValidateTopicName(s)
			}},
			{label: "partitions", hint: "empty: the broker's num.partitions", check: optionalCount},
			{label: "replication factor", hint: "empty: the broker's default.replication.factor",
				check: func(s string) error { return replicationFits(s, snap) }},
			{label: "configs", hint: "name=value name2=value2, as kafka-topics --config; empty: the broker's defaults",
				empty: "(none)", check: func(s string) error { _, err := parseTopicConfigs(s); return err }},
		},
		answers: createAnswers(answers),
		plan: func(_ context.Context, ans []string) (preview, error) {
			spec := admin.TopicSpec{Name: ans[0], Partitions: int32(countOr(ans[1])), ReplicationFactor: int16(countOr(ans[2]))}
			spec.Configs, _ = parseTopicConfigs(ans[3]) // checked by the prompt
			q := fmt.Sprintf("Create topic %s with %s and %s?", spec.Name, countText(ans[1], "partitions", "the default partitions"),
				countText(ans[2], "replicas each", "the default replication"))
			return preview{lines: configLines(spec.Configs, m), question: q, running: "creating " + spec.Name + "…", run: func(ctx context.Context) (string, error) {
				if _, err := a.CreateTopic(ctx, spec); err != nil {
					return "", err
				}
				return "created topic " + spec.Name, nil
			}}, nil
		},
	})
}

// optionalCount accepts a positive number or nothing.
func optionalCount(s string) error {
	if s == "" {
		return nil
	}
	if n, err := strconv.Atoi(s); err != nil || n < 1 || n > 1<<15-1 {
		return fmt.Errorf("%q: want a number from 1 to 32767, or nothing for the broker's default", s)
	}
	return nil
}

// replicationFits refuses a replication factor above the live brokers in
// the dialog, where the user can fix it, instead of after the confirmation
// (the broker's INVALID_REPLICATION_FACTOR).
func replicationFits(s string, snap *snapshot.Snapshot) error {
	if err := optionalCount(s); err != nil || s == "" {
		return err
	}
	if n, live := countOr(s), snap.LiveBrokers(); n > live {
		return fmt.Errorf("replication factor %d is larger than the %d live brokers", n, live)
	}
	return nil
}

// countOr is an optional count's value, admin.BrokerDefault when empty.
func countOr(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return admin.BrokerDefault
	}
	return n
}

func countText(s, unit, none string) string {
	if s == "" {
		return none
	}
	return s + " " + unit
}

// addPartitions grows the selected topic to the count asked. Kafka never
// shrinks a topic, and keyed records map to other partitions afterwards:
// the question says so.
func (m Model) addPartitions(topic string, answers []string) (tea.Model, tea.Cmd) {
	a, err := m.topicActions()
	if err != nil {
		return m.failAction(err)
	}
	t, ok := m.snap.Topic(topic)
	if !ok {
		return m.failAction(fmt.Errorf("no topic %q", topic))
	}
	have := len(t.Partitions)
	return m.openDialog(&dialog{
		title: "Add partitions to " + topic,
		prompts: []prompt{{label: "partitions in all", hint: fmt.Sprintf("now %d", have), check: func(s string) error {
			if n, err := strconv.Atoi(s); err != nil || n <= have || n > 1<<31-1 {
				return fmt.Errorf("%q: want a number above the %d partitions %s has", s, have, topic)
			}
			return nil
		}}},
		answers: answers,
		plan: func(_ context.Context, ans []string) (preview, error) {
			total, _ := strconv.Atoi(ans[0]) // checked by the prompt
			return preview{
				lines: []components.Cell{components.Text(fmt.Sprintf("%s has %d partitions; %d new ones go round the brokers.", topic, have, total-have), m.st.Plain),
					components.Text(pages.WarnGlyph+" Records with keys will map to other partitions from now on.", m.st.Warn)},
				question: fmt.Sprintf("Grow %s from %d to %d partitions?", topic, have, total),
				running:  "adding partitions to " + topic + "…",
				run: func(ctx context.Context) (string, error) {
					if err := a.AddPartitions(ctx, topic, int32(total), nil); err != nil {
						return "", err
					}
					return fmt.Sprintf("%s now has %d partitions", topic, total), nil
				},
			}, nil
		},
	})
}

// deleteTopic deletes the selected topic once its name is typed out: one
// key is too easy to press by mistake for what cannot be undone.
func (m Model) deleteTopic(topic string) (tea.Model, tea.Cmd) {
	a, err := m.topicActions()
	if err != nil {
		return m.failAction(err)
	}
	t, ok := m.snap.Topic(topic)
	switch {
	case !ok:
		return m.failAction(fmt.Errorf("no topic %q", topic))
	case t.Internal:
		return m.failAction(fmt.Errorf("%s is an internal topic of the brokers: not deleted from here", topic))
	}
	what := fmt.Sprintf("%s (%d partitions", topic, len(t.Partitions))
	if n := t.Messages(); n >= 0 {
		what += ", " + components.Count(n) + " messages"
	}
	what += ")"
	return m.openDialog(&dialog{
		title: "Delete topic " + topic,
		plan: func(context.Context, []string) (preview, error) {
			return preview{
				lines:    []components.Cell{components.Text(pages.BadGlyph+" Its records are gone for good; consumers of it stop.", m.st.Bad)},
				question: "Delete topic " + what + "?",
				typed:    topic,
				running:  "deleting " + topic + "…",
				run: func(ctx context.Context) (string, error) {
					if err := a.DeleteTopics(ctx, topic); err != nil {
						return "", err
					}
					return "deleted topic " + topic, nil
				},
			}, nil
		},
	})
}

// failAction reports why an action cannot start.
func (m Model) failAction(err error) (tea.Model, tea.Cmd) {
	m.flash = flash{text: oneLine(err), bad: true}
	return m, nil
}

// argsOr are a command's arguments as a dialog's first answers.
func argsOr(args []string) []string { return append([]string(nil), args...) }

// joinArgs puts back together a datetime or offset typed with spaces.
func joinArgs(args []string) []string {
	if len(args) == 0 {
		return nil
	}
	return []string{strings.Join(args, " ")}
}
