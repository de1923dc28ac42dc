package tui

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/pages"
)

// The configs view (pages.Configs) shows what DescribeConfigs says of a
// topic or a broker. Configs are not in the snapshot, which every topic
// would make heavy: the view reads its resource's configs when it opens
// and again after each refresh while it is on the stack.

// configSource is what the configs view asks of the cluster;
// *admin.Client has it.
type configSource interface {
	DescribeConfigs(ctx context.Context, res admin.Resource) ([]admin.ConfigEntry, error)
	AlterConfigs(ctx context.Context, res admin.Resource, changes []admin.ConfigChange) error
}

// configsMsg is one read of a resource's configs.
type configsMsg struct {
	res     admin.Resource
	entries []admin.ConfigEntry
	err     error
}

func (m Model) configSource() (configSource, error) {
	if s, ok := m.opts.Source.(configSource); ok {
		return s, nil
	}
	return nil, errNoAction
}

// loadConfigs reads res's configs off the UI's goroutine.
func (m Model) loadConfigs(res admin.Resource) tea.Cmd {
	src, err := m.configSource()
	if err != nil {
		return func() tea.Msg { return configsMsg{res: res, err: err} }
	}
	ctx, timeout := m.opts.Context, m.opts.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		entries, err := src.DescribeConfigs(ctx, res)
		return configsMsg{res: res, entries: entries, err: err}
	}
}

// reloadConfigs reads again the configs of every configs view on the
// stack; nil when there is none.
func (m Model) reloadConfigs() tea.Cmd {
	var cmds []tea.Cmd
	for _, f := range m.stack {
		if p, ok := f.page.(pages.Configs); ok {
			cmds = append(cmds, m.loadConfigs(p.Resource))
		}
	}
	return tea.Batch(cmds...)
}

// applyConfigs puts a read's configs into the views of its resource. A
// failed read keeps the configs shown and says so.
func (m Model) applyConfigs(msg configsMsg) Model {
	for i, f := range m.stack {
		p, ok := f.page.(pages.Configs)
		if !ok || p.Resource != msg.res {
			continue
		}
		p.Err = msg.err
		if msg.err == nil {
			p.Entries, p.Loaded = msg.entries, true
		}
		m.stack[i].page = p
	}
	m.cache = &rowCache{} // the rows changed without a new snapshot
	m.syncCursors()
	return m
}

// configsView is the configs view on top of the stack, if it is.
func (m Model) configsView() (pages.Configs, bool) {
	p, ok := m.top().page.(pages.Configs)
	return p, ok
}

// configsOnTop reads the configs of a configs view just opened.
func (m Model) configsOnTop() tea.Cmd {
	if p, ok := m.configsView(); ok && !p.Loaded {
		return m.loadConfigs(p.Resource)
	}
	return nil
}

// configsTarget is the resource whose configs C opens from the row under
// the cursor: a topic (Topics, a topic's partitions) or a broker.
func (m Model) configsTarget() (admin.Resource, bool) {
	if topic, ok := m.selectedTopic(); ok {
		return admin.Resource{Type: admin.TopicResource, Name: topic}, true
	}
	if _, ok := m.top().page.(pages.Brokers); ok && m.top().cursor.Key != "" {
		return admin.Resource{Type: admin.BrokerResource, Name: m.top().cursor.Key}, true
	}
	return admin.Resource{}, false
}

// configKey handles C (open the configs of the selection) and, in the
// configs view, e (edit the config under the cursor).
func (m Model) configKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	if key.Matches(msg, m.keys.Configs) {
		res, ok := m.configsTarget()
		if !ok {
			next, cmd := m.failAction(fmt.Errorf("select a topic or a broker to see its configs"))
			return next, cmd, true
		}
		next, cmd := m.openConfigs(res)
		return next, cmd, true
	}
	if p, ok := m.configsView(); ok && key.Matches(msg, m.keys.EditConfig) {
		next, cmd := m.editConfig(p, m.top().cursor.Key, nil)
		return next, cmd, true
	}
	return m, nil, false
}

// openConfigs shows res's configs over the current view.
func (m Model) openConfigs(res admin.Resource) (tea.Model, tea.Cmd) {
	if p, ok := m.configsView(); ok && p.Resource == res {
		return m, nil
	}
	m.stack = append(m.stack, frame{page: pages.Configs{St: m.st, Resource: res}})
	m.syncCursors()
	return m, m.loadConfigs(res)
}

// configCommand is :configs [TOPIC | broker ID], the selection's configs
// without an argument, and :set-config / :delete-config on the configs
// view on screen. It reports whether name is one of them.
func (m Model) configCommand(name string, args []string) (tea.Model, tea.Cmd, bool) {
	switch name {
	case "configs", "config":
	case "set-config", "alter-config":
		next, cmd := m.configEditCommand(name, args)
		return next, cmd, true
	default:
		return m, nil, false
	}
	res, err := configsArgs(args)
	if err == nil && len(args) == 0 {
		var ok bool
		if res, ok = m.configsTarget(); !ok {
			err = fmt.Errorf("usage: :configs TOPIC, :configs broker ID, or select a topic or a broker")
		}
	}
	if err == nil {
		err = m.knownResource(res)
	}
	if err != nil {
		next, cmd := m.failAction(err)
		return next, cmd, true
	}
	if res.Type == admin.TopicResource {
		m.switchView(m.viewIndex("Topics"))
		m.openTopic(res.Name)
		m.stack = m.stack[:1] // the topic selected, its configs over the list
	} else {
		m.switchView(m.viewIndex("Brokers"))
		m.stack = m.stack[:1]
		m.top().filter, m.top().cursor.Key = "", res.Name
		m.syncCursors()
	}
	next, cmd := m.openConfigs(res)
	return next, cmd, true
}

// knownResource refuses a topic or broker the last refresh did not see.
func (m Model) knownResource(res admin.Resource) error {
	if m.snap == nil {
		return nil // the read says
	}
	if res.Type == admin.TopicResource {
		if _, ok := m.snap.Topic(res.Name); !ok {
			return fmt.Errorf("no topic %q", res.Name)
		}
		return nil
	}
	id, _ := strconv.ParseInt(res.Name, 10, 32) // checked by configsArgs
	if _, ok := m.snap.Broker(int32(id)); !ok {
		return fmt.Errorf("no broker %s", res.Name)
	}
	return nil
}

// configsArgs reads :configs' arguments: TOPIC, topic TOPIC, broker ID.
func configsArgs(args []string) (admin.Resource, error) {
	switch {
	case len(args) == 0:
		return admin.Resource{}, nil
	case len(args) == 1:
		return admin.Resource{Type: admin.TopicResource, Name: args[0]}, nil
	case len(args) == 2 && args[0] == "topic":
		return admin.Resource{Type: admin.TopicResource, Name: args[1]}, nil
	case len(args) == 2 && args[0] == "broker":
		if _, err := strconv.ParseInt(args[1], 10, 32); err != nil {
			return admin.Resource{}, fmt.Errorf("broker %q: want a broker id", args[1])
		}
		return admin.Resource{Type: admin.BrokerResource, Name: args[1]}, nil
	}
	return admin.Resource{}, fmt.Errorf("usage: :configs TOPIC or :configs broker ID")
}

// withRoomFor adds the footer keys of configs and produce in the view on
// screen, before help, as far as they fit without pushing other keys
// out: ? lists them anyway. Produce is an action, gone when read-only.
func (m Model) withRoomFor(items []footerItem) []footerItem {
	var extra []footerItem
	if _, ok := m.top().page.(pages.Configs); ok && !m.opts.ReadOnly {
		extra = append(extra, footerItem{keyNames(m.keys.EditConfig), "edit"})
	}
	if _, ok := m.selectedTopic(); ok {
		extra = append(extra, footerItem{keyNames(m.keys.Configs), "configs"})
		if !m.opts.ReadOnly {
			extra = append(extra, footerItem{keyNames(m.keys.Produce), "produce"})
		}
	}
	at := slices.IndexFunc(items, func(it footerItem) bool { return it.desc == "help" })
	if at < 0 {
		at = len(items)
	}
	for _, it := range extra {
		next := slices.Insert(slices.Clone(items), at, it)
		if footerWidth(next) > m.width && it.desc != "edit" {
			break
		}
		items, at = next, at+1
	}
	return items
}

// configNames are the names of the configs view on screen, for the
// palette's completion of :set-config.
func (m Model) configNames() []string {
	p, _ := m.configsView()
	names := make([]string, 0, len(p.Entries))
	for _, e := range p.Entries {
		names = append(names, e.Name)
	}
	return names
}
