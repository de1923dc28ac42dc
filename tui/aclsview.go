package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/pages"
)

// aclsCommand is :acls [PRINCIPAL]: the cluster's ACLs, or one
// principal's, over the current view (esc goes back). A principal typed
// without its type ("alice") is a user, as the principal of a SASL login
// is.
func (m Model) aclsCommand(args []string) (tea.Model, tea.Cmd) {
	if len(args) > 1 {
		m.flash = flash{text: "usage: :acls [PRINCIPAL]", bad: true}
		return m, nil
	}
	principal := ""
	if len(args) == 1 {
		principal = args[0]
		if !strings.Contains(principal, ":") {
			principal = "User:" + principal
		}
	}
	m.stack = append(m.stack[:1], frame{page: pages.ACLs{St: m.st, Principal: principal}})
	m.syncCursors()
	return m, nil
}

// topicACLsCommand is :topic-acls [TOPIC]: every ACL that applies to
// the topic (the selected one when not named), whole where the detail
// line names the first few.
func (m Model) topicACLsCommand(args []string) (tea.Model, tea.Cmd) {
	topic, err := targetOf(args, m.selectedTopic, errNoTopic)
	switch {
	case err != nil:
		return m.failAction(err)
	case len(args) > 1:
		m.flash = flash{text: "usage: :topic-acls [TOPIC]", bad: true}
		return m, nil
	}
	if _, ok := m.snap.Topic(topic); m.snap != nil && !ok {
		return m.failAction(fmt.Errorf("no topic %q", topic))
	}
	m.stack = append(m.stack[:1], frame{page: pages.ACLs{St: m.st, Topic: topic}})
	m.syncCursors()
	return m, nil
}

// principals are the principals with ACLs, for Tab after :acls.
func (m Model) principals() []string {
	var names []string
	for _, a := range m.snap.ACLs {
		if !slices.Contains(names, a.Principal) {
			names = append(names, a.Principal)
		}
	}
	slices.Sort(names)
	return names
}
