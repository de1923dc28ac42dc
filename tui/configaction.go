package tui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
)

// errNoConfig says where e works.
var errNoConfig = errors.New("select a config first (the configs view: d on a topic, enter on a broker)")

// editConfig asks for the new value of a config of the configs view on
// screen, then previews the change (IncrementalAlterConfigs SET, or
// DELETE of the override when the answer is empty) and applies it once
// confirmed. answers may hold the value already (the palette's).
func (m Model) editConfig(p pages.Configs, name string, answers []string) (tea.Model, tea.Cmd) {
	if m.opts.ReadOnly {
		return m.refuseReadOnly()
	}
	src, err := m.configSource()
	if err != nil {
		return m.failAction(err)
	}
	e, ok := p.Entry(name)
	switch {
	case name == "" || !ok && p.Loaded:
		return m.failAction(fmt.Errorf("%w: no config %q", errNoConfig, name))
	case !p.Loaded:
		return m.failAction(errors.New("the configs are not read yet"))
	case e.ReadOnly:
		return m.failAction(fmt.Errorf("%s of %s is read-only: set it in the broker's server.properties", name, p.Resource))
	}
	// The row edited stays under the cursor, in view once the dialog
	// closes (:set-config names one anywhere in the list).
	m.top().cursor.Key = name
	m.syncCursors()
	prefill := ""
	if !e.Sensitive && e.Value != nil {
		prefill = *e.Value
	}
	return m.openDialog(&dialog{
		title: fmt.Sprintf("Edit %s of %s", name, p.Resource),
		prompts: []prompt{{label: "new value", hint: "empty: delete " + name + " from " + p.Resource.String() +
			" (back to " + fallbackText(e) + ")", prefill: prefill, secret: e.Sensitive, empty: "(delete the override)",
			check: func(string) error { return nil }}},
		answers: answers,
		plan: func(ctx context.Context, ans []string) (preview, error) {
			return m.configPlan(ctx, src, p.Resource, e, ans[0])
		},
	})
}

// configValidator asks the broker whether it would take a change, without
// making it; *admin.Client has it. A source without it is not asked.
type configValidator interface {
	ValidateConfigChanges(ctx context.Context, res admin.Resource, changes []admin.ConfigChange) error
}

// configPlan previews setting e to value (deleting its override when
// value is empty), refused when the broker says it would refuse it.
func (m Model) configPlan(ctx context.Context, src configSource, res admin.Resource, e admin.ConfigEntry, value string) (preview, error) {
	now := components.Text(fmt.Sprintf("now   %s = %s  (%s)", e.Name, pages.ConfigValue(e), e.Source), m.st.Plain)
	change := admin.ConfigChange{Name: e.Name, Op: admin.OpSet, Value: value}
	var then components.Cell
	var question string
	if value == "" {
		if !pages.IsOverride(e) {
			return preview{}, fmt.Errorf("%s is not set on %s (its value comes from %s): nothing to delete", e.Name, res, e.Source)
		}
		change = admin.ConfigChange{Name: e.Name, Op: admin.OpDelete}
		then = components.Text("then  "+e.Name+" = "+fallbackText(e), m.st.Header)
		question = fmt.Sprintf("Delete %s from %s?", e.Name, res)
	} else {
		shown := value
		if e.Sensitive {
			shown = pages.HiddenValue
		}
		then = components.Text(fmt.Sprintf("then  %s = %s  (%s)", e.Name, shown, dynamicSource(res)), m.st.Header)
		question = fmt.Sprintf("Set %s of %s to %s?", e.Name, res, shown)
	}
	if v, ok := src.(configValidator); ok {
		if err := v.ValidateConfigChanges(ctx, res, []admin.ConfigChange{change}); err != nil {
			return preview{}, fmt.Errorf("the broker would refuse it: %w", err)
		}
	}
	return preview{
		lines:    []components.Cell{now, then, components.Text("IncrementalAlterConfigs "+opName(change.Op)+" "+e.Name, m.st.Faint)},
		question: question,
		running:  "changing " + e.Name + " of " + res.String() + "…",
		run: func(ctx context.Context) (string, error) {
			if err := src.AlterConfigs(ctx, res, []admin.ConfigChange{change}); err != nil {
				return "", err
			}
			if change.Op == admin.OpDelete {
				return fmt.Sprintf("deleted %s from %s", e.Name, res), nil
			}
			return fmt.Sprintf("set %s of %s", e.Name, res), nil
		},
	}, nil
}

func opName(op admin.AlterOp) string {
	if op == admin.OpDelete {
		return "DELETE"
	}
	return "SET"
}

// dynamicSource is the source a value set from here has.
func dynamicSource(res admin.Resource) admin.ConfigSource {
	switch {
	case res.Type == admin.TopicResource:
		return admin.SourceDynamicTopic
	case res.Name == "":
		return admin.SourceDynamicDefaultBroker
	}
	return admin.SourceDynamicBroker
}

// fallbackText is what a config reads once its override is deleted: the
// next synonym DescribeConfigs lists, which the broker falls back to.
func fallbackText(e admin.ConfigEntry) string {
	for _, s := range e.Synonyms {
		if s.Source == e.Source {
			continue
		}
		v := "null"
		switch {
		case e.Sensitive:
			v = pages.HiddenValue
		case s.Value != nil:
			v = *s.Value
		}
		return fmt.Sprintf("%s from %s", v, s.Source)
	}
	return "the default"
}

// configEditCommand is :set-config NAME [VALUE...] on the configs view
// on screen; without a value it asks, and an empty answer deletes.
func (m Model) configEditCommand(name string, args []string) (tea.Model, tea.Cmd) {
	p, ok := m.configsView()
	if !ok {
		return m.failAction(errNoConfig)
	}
	if len(args) == 0 {
		return m.failAction(fmt.Errorf("usage: :%s NAME [VALUE]", name))
	}
	var answers []string
	if len(args) > 1 {
		answers = []string{strings.Join(args[1:], " ")}
	}
	return m.editConfig(p, args[0], answers)
}

// createAnswers are :create-topic's arguments as the dialog's answers:
// NAME PARTITIONS RF, then configs, none when RF is the last given.
func createAnswers(args []string) []string {
	if len(args) < 3 {
		return args
	}
	return append(args[:3:3], strings.Join(args[3:], " "))
}

// parseTopicConfigs reads "name=value name2=value2", the create-topic
// dialog's configs; a name given twice is refused, as kafka-topics does.
func parseTopicConfigs(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range strings.Fields(s) {
		name, value, ok := strings.Cut(f, "=")
		_, dup := out[name]
		switch {
		case !ok || name == "":
			return nil, fmt.Errorf("config %q: want name=value", f)
		case dup:
			return nil, fmt.Errorf("config %s given twice", name)
		}
		out[name] = value
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// configLines list a new topic's configs in its preview.
func configLines(configs map[string]string, m Model) []components.Cell {
	var lines []components.Cell
	for _, name := range slices.Sorted(maps.Keys(configs)) {
		lines = append(lines, components.Text("config  "+name+"="+configs[name], m.st.Plain))
	}
	return lines
}
