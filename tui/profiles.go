package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/messages"
	"github.com/kqhq/kq/tui/snapshot"
)

// Profiles are the named clusters of kq's config file, which :ctx (k9s's
// word for it) switches between without leaving the TUI.
type Profiles interface {
	// Names lists the profiles, sorted.
	Names() ([]string, error)
	// Open connects to the profile called name. It may dial, so the
	// model calls it off the UI's goroutine.
	Open(name string) (Cluster, error)
}

// Cluster is one profile's connection: what Options.Source,
// Options.Messages and Options.Address are for the cluster started on.
type Cluster struct {
	Source   snapshot.Source
	Messages messages.Source // nil: the Messages view says it cannot
	Address  string
	// Close releases the clients; the model calls it when it switches
	// away, or nil.
	Close func()
}

// ctxMsg is a profile opened (or not) for :ctx.
type ctxMsg struct {
	name    string
	cluster Cluster
	err     error
}

// ctxCommand is :ctx: alone it lists the profiles, with a name it
// switches to that profile's cluster.
func (m Model) ctxCommand(args []string) (tea.Model, tea.Cmd) {
	if m.opts.Profiles == nil {
		m.flash = flash{text: "no profiles: kq tui was started without a config file's profiles", bad: true}
		return m, nil
	}
	names, err := m.opts.Profiles.Names()
	switch {
	case err != nil:
		m.flash = flash{text: "profiles: " + oneLine(err), bad: true}
		return m, nil
	case len(args) == 0:
		m.flash = flash{text: m.profileList(names)}
		return m, nil
	case len(args) > 1:
		m.flash = flash{text: "usage: :ctx [PROFILE]", bad: true}
		return m, nil
	case !slices.Contains(names, args[0]):
		m.flash = flash{text: fmt.Sprintf("no profile %q; %s", args[0], m.profileList(names)), bad: true}
		return m, nil
	case args[0] == m.opts.Profile:
		m.flash = flash{text: "already on " + args[0]}
		return m, nil
	}
	name, profiles := args[0], m.opts.Profiles
	m.flash = flash{text: "connecting to " + name + "…"}
	return m, func() tea.Msg {
		c, err := profiles.Open(name)
		return ctxMsg{name: name, cluster: c, err: err}
	}
}

// profileList names the profiles, the one in use marked.
func (m Model) profileList(names []string) string {
	if len(names) == 0 {
		return "no profiles in the config file"
	}
	shown := make([]string, len(names))
	for i, n := range names {
		shown[i] = n
		if n == m.opts.Profile {
			shown[i] = n + " (current)"
		}
	}
	return "profiles: " + strings.Join(shown, ", ") + "; :ctx NAME switches"
}

// switchCluster puts the opened profile's cluster under the views. The
// view on screen stays (its rows come from the new cluster at the next
// refresh, which starts now); the last snapshot goes, as its numbers are
// the other cluster's, and so do the refreshes still under way there.
func (m Model) switchCluster(msg ctxMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.flash = flash{text: fmt.Sprintf("✖ profile %s: %s", msg.name, oneLine(msg.err)), bad: true}
		return m, nil
	}
	if m.closeCluster != nil {
		m.closeCluster()
	}
	c := msg.cluster
	m.opts.Source, m.opts.Messages, m.opts.Address, m.opts.Profile = c.Source, c.Messages, c.Address, msg.name
	m.closeCluster = c.Close
	m.clusterGen++
	m.snap, m.conn = nil, connection{}
	m.flash = flash{text: "✔ switched to " + msg.name}
	next, cmd := m.refresh()
	next.tickGen++ // the old cluster's tick chain ends
	return next, cmd
}
