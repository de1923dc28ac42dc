package pages

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// ACLs lists the cluster's ACLs, every principal's or one's, as
// kafka-acls --list [--principal P] does: what each principal may or may
// not do on which topics, groups, transactional ids and the cluster.
type ACLs struct {
	St styles.Styles
	// Principal is the one shown ("User:alice"); "" shows every one, and
	// enter on a row opens its principal's.
	Principal string
	// Topic, when set, shows instead the ACLs that apply to that topic:
	// its name, the wildcard and the prefixes of its name.
	Topic string
}

// Name implements Page.
func (p ACLs) Name() string {
	switch {
	case p.Topic != "":
		return p.Topic + " › ACLs"
	case p.Principal != "":
		return p.Principal + " › ACLs"
	}
	return "ACLs"
}

// Columns implements Page.
func (p ACLs) Columns() []components.Column {
	cols := []components.Column{
		{Title: "RESOURCE"},
		{Title: "NAME", Shrink: true, MinWidth: 16},
		{Title: "PATTERN", Drop: 2},
		{Title: "OPERATION"},
		{Title: "PERMISSION"},
		{Title: "HOST", Drop: 1},
	}
	if p.Principal == "" {
		cols = append([]components.Column{{Title: "PRINCIPAL", Shrink: true, MinWidth: 16}}, cols...)
	}
	return cols
}

// shown are the page's ACLs, sorted by principal, resource and name.
func (p ACLs) shown(s *snapshot.Snapshot) []admin.ACL {
	acls := s.ACLs
	if p.Topic != "" {
		t, _ := s.Topic(p.Topic)
		acls = t.ACLs
	}
	var out []admin.ACL
	for _, a := range acls {
		if p.Principal == "" || a.Principal == p.Principal {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b admin.ACL) int {
		return cmp.Or(strings.Compare(a.Principal, b.Principal), cmp.Compare(a.ResourceType, b.ResourceType),
			strings.Compare(a.ResourceName, b.ResourceName), cmp.Compare(a.Operation, b.Operation))
	})
	return out
}

// aclKey identifies an ACL row: every field, as two ACLs differ by any.
func aclKey(a admin.ACL) string {
	return strings.Join([]string{a.Principal, a.ResourceType.String(), a.PatternType.String(), a.ResourceName,
		a.Host, a.Operation.String(), a.Permission.String()}, "\x00")
}

// Rows implements Page.
func (p ACLs) Rows(s *snapshot.Snapshot) []components.Row {
	acls := p.shown(s)
	rows := make([]components.Row, 0, len(acls))
	for _, a := range acls {
		cells := []components.Cell{plain(a.ResourceType.String(), p.St), plain(a.ResourceName, p.St),
			components.Text(a.PatternType.String(), p.St.Faint), plain(a.Operation.String(), p.St), p.permission(a),
			plain(a.Host, p.St)}
		if p.Principal == "" {
			cells = append([]components.Cell{plain(a.Principal, p.St)}, cells...)
		}
		rows = append(rows, components.Row{Key: aclKey(a), Cells: cells,
			Search: strings.Join([]string{a.Principal, a.ResourceType.String(), a.ResourceName, a.Operation.String(), a.Permission.String(), a.Host}, " ")})
	}
	return rows
}

// permission marks a DENY, which wins over every ALLOW.
func (p ACLs) permission(a admin.ACL) components.Cell {
	if a.Permission == kmsg.ACLPermissionTypeDeny {
		return components.Text(BadGlyph+" "+a.Permission.String(), p.St.Bad)
	}
	return components.Text(a.Permission.String(), p.St.Good)
}

func (p ACLs) find(s *snapshot.Snapshot, key string) (admin.ACL, bool) {
	for _, a := range s.ACLs {
		if aclKey(a) == key {
			return a, true
		}
	}
	return admin.ACL{}, false
}

// Detail implements Page: the ACL in words.
func (p ACLs) Detail(s *snapshot.Snapshot, key string) components.Cell {
	a, ok := p.find(s, key)
	if !ok {
		return nil
	}
	verb := "may"
	style := p.St.Header
	if a.Permission == kmsg.ACLPermissionTypeDeny {
		verb, style = "may not (DENY wins over any ALLOW)", p.St.Bad
	}
	what := fmt.Sprintf("%s %s", strings.ToLower(a.ResourceType.String()), a.ResourceName)
	switch {
	case a.PatternType == kmsg.ACLResourcePatternTypePrefixed:
		what = fmt.Sprintf("every %s whose name starts with %s", strings.ToLower(a.ResourceType.String()), a.ResourceName)
	case a.ResourceName == "*":
		what = fmt.Sprintf("every %s", strings.ToLower(a.ResourceType.String()))
	}
	host := "from any host"
	if a.Host != "*" {
		host = "from " + a.Host
	}
	return components.Text(fmt.Sprintf("%s %s %s %s, %s", a.Principal, verb, a.Operation, what, host), style)
}

// Open implements Page: from every principal's ACLs, enter shows one
// principal's.
func (p ACLs) Open(s *snapshot.Snapshot, key string) (Page, bool) {
	a, ok := p.find(s, key)
	if !ok || p.Principal != "" {
		return nil, false
	}
	return ACLs{St: p.St, Principal: a.Principal}, true
}

// Empty implements Page.
func (p ACLs) Empty(s *snapshot.Snapshot) string {
	switch {
	case !s.ACLsKnown:
		return "the cluster does not list its ACLs (no authorizer, or no right to describe them)"
	case p.Topic != "":
		return "no ACLs apply to " + p.Topic
	case p.Principal != "":
		return "no ACLs for " + p.Principal
	}
	return "no ACLs"
}
