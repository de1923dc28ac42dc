package pages

import (
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

func TestTopicDetailACLs(t *testing.T) {
	acl := func(name string, pt kmsg.ACLResourcePatternType, principal string, op kmsg.ACLOperation) admin.ACL {
		return admin.ACL{ResourceType: kmsg.ACLResourceTypeTopic, ResourceName: name, PatternType: pt, Principal: principal,
			Host: "*", Operation: op, Permission: kmsg.ACLPermissionTypeAllow}
	}
	lit, pre := kmsg.ACLResourcePatternTypeLiteral, kmsg.ACLResourcePatternTypePrefixed
	tests := []struct {
		name  string
		topic snapshot.Topic
		want  string
	}{
		{"unknown", snapshot.Topic{Name: "t"}, ""},
		{"none", snapshot.Topic{Name: "t", ACLsKnown: true}, " · no ACLs"},
		{"some", snapshot.Topic{Name: "pay-in", ACLsKnown: true, ACLs: []admin.ACL{
			acl("pay-in", lit, "User:a", kmsg.ACLOperationRead), acl("pay-", pre, "User:b", kmsg.ACLOperationWrite)}},
			" · ACLs: User:a ALLOW READ, User:b ALLOW WRITE (prefix pay-)"},
		{"many", snapshot.Topic{Name: "t", ACLsKnown: true, ACLs: []admin.ACL{
			acl("t", lit, "User:a", kmsg.ACLOperationRead), acl("t", lit, "User:b", kmsg.ACLOperationRead),
			acl("t", lit, "User:c", kmsg.ACLOperationRead), acl("*", lit, "User:d", kmsg.ACLOperationDescribe)}},
			" · ACLs: User:a ALLOW READ, User:b ALLOW READ, User:c ALLOW READ, +1 more"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got strings.Builder
			for _, s := range aclSpans(tc.topic, styles.Styles{}) {
				got.WriteString(s.Text)
			}
			if got.String() != tc.want {
				t.Fatalf("got %q, want %q", got.String(), tc.want)
			}
		})
	}
}
