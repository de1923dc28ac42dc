package pages

import (
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// maxDetailACLs bounds the ACLs the one detail line names.
const maxDetailACLs = 3

// aclSpans are the detail line's ACLs: nothing when the cluster does not
// say, "no ACLs" (no one but super users may use the topic when the
// brokers deny by default), or the first few as principal, permission and
// operation, with how many more.
func aclSpans(t snapshot.Topic, st styles.Styles) []components.Span {
	if !t.ACLsKnown {
		return nil
	}
	if len(t.ACLs) == 0 {
		return []components.Span{{Text: " · no ACLs", Style: st.Faint}}
	}
	var parts []string
	for i, a := range t.ACLs {
		if i == maxDetailACLs {
			parts = append(parts, fmt.Sprintf("+%d more", len(t.ACLs)-maxDetailACLs))
			break
		}
		parts = append(parts, aclText(a))
	}
	return []components.Span{{Text: " · ACLs: " + strings.Join(parts, ", "), Style: st.Faint}}
}

// aclText is one ACL as "User:alice ALLOW READ", with the pattern when it
// is not the topic's own name.
func aclText(a admin.ACL) string {
	s := fmt.Sprintf("%s %v %v", a.Principal, a.Permission, a.Operation)
	if a.Host != "*" {
		s += " from " + a.Host
	}
	switch {
	case a.PatternType == kmsg.ACLResourcePatternTypePrefixed:
		s += " (prefix " + a.ResourceName + ")"
	case a.ResourceName == "*":
		s += " (all topics)"
	}
	return s
}
