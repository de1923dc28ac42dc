package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin"
)

// acls gives the cluster an authorizer with alice (read orders, the
// payments- prefix, her group, and denied the cluster's ALTER) and bob.
func (f *fixture) acls() {
	acl := func(principal string, rt kmsg.ACLResourceType, name string, pt kmsg.ACLResourcePatternType, op kmsg.ACLOperation, perm kmsg.ACLPermissionType) admin.ACL {
		return admin.ACL{Principal: principal, ResourceType: rt, ResourceName: name, PatternType: pt, Host: "*", Operation: op, Permission: perm}
	}
	lit, pre, allow := kmsg.ACLResourcePatternTypeLiteral, kmsg.ACLResourcePatternTypePrefixed, kmsg.ACLPermissionTypeAllow
	f.cluster.SetACLs(
		acl("User:alice", kmsg.ACLResourceTypeTopic, "orders", lit, kmsg.ACLOperationRead, allow),
		acl("User:alice", kmsg.ACLResourceTypeTopic, "payments-", pre, kmsg.ACLOperationWrite, allow),
		acl("User:alice", kmsg.ACLResourceTypeGroup, "reporting", lit, kmsg.ACLOperationRead, allow),
		acl("User:alice", kmsg.ACLResourceTypeCluster, "kafka-cluster", lit, kmsg.ACLOperationAlter, kmsg.ACLPermissionTypeDeny),
		acl("User:bob", kmsg.ACLResourceTypeTopic, "*", lit, kmsg.ACLOperationDescribe, allow),
	)
	f.refreshAt(4 * time.Second)
}

func TestPrincipalACLs(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.acls()
	f.command("acls")
	if got := f.shown(); len(got) != 5 || f.page() != "ACLs" {
		t.Fatalf("on %q with %d rows, want every ACL (5)", f.page(), len(got))
	}
	golden(t, "acls", f.m.View())
	f.keys("enter") // alice's first ACL: her ACLs
	if f.page() != "User:alice › ACLs" || len(f.shown()) != 4 {
		t.Fatalf("enter led to %q with %d rows", f.page(), len(f.shown()))
	}
	f.keys("G")
	if view := f.m.View(); !strings.Contains(view, "User:alice may not (DENY wins over any ALLOW) ALTER cluster kafka-cluster") {
		t.Fatalf("the DENY is not explained:\n%s", view)
	}
	golden(t, "acls_principal", f.m.View())
	f.keys("esc", "esc")
	f.command("acls bob") // a bare name is a user
	if f.page() != "User:bob › ACLs" || len(f.shown()) != 1 {
		t.Fatalf("on %q with %v", f.page(), f.shown())
	}
	if view := f.m.View(); !strings.Contains(view, "User:bob may DESCRIBE every topic, from any host") {
		t.Fatalf("the wildcard is not explained:\n%s", view)
	}
	f.keys(":")
	f.typeText("acls User:a")
	f.keys("tab")
	if got := f.m.input.Value(); got != "acls User:alice " {
		t.Fatalf("tab completed to %q", got)
	}
}

func TestACLsWithoutAnAuthorizer(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.command("acls alice")
	if view := f.m.View(); !strings.Contains(view, "the cluster does not list its ACLs") {
		t.Fatalf("no word of the missing authorizer:\n%s", view)
	}
}

// TestTopicACLs: :topic-acls lists every ACL that applies to a topic,
// where the detail line names three.
func TestTopicACLs(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.acls()
	f.keys("j", "j") // orders: alice's READ and bob's wildcard (not payments-)
	f.command("topic-acls")
	if f.page() != "orders › ACLs" || len(f.shown()) != 2 {
		t.Fatalf("on %q with %v", f.page(), f.shown())
	}
	golden(t, "topic_acls", f.m.View())
	f.command("topic-acls nope")
	if view := f.m.View(); !strings.Contains(view, `no topic "nope"`) {
		t.Fatalf("an unknown topic was not refused:\n%s", view)
	}
}
