package authz

import (
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

const (
	topic    = kmsg.ACLResourceTypeTopic
	group    = kmsg.ACLResourceTypeGroup
	cluster  = kmsg.ACLResourceTypeCluster
	literal  = kmsg.ACLResourcePatternTypeLiteral
	prefixed = kmsg.ACLResourcePatternTypePrefixed
	allow    = kmsg.ACLPermissionTypeAllow
	deny     = kmsg.ACLPermissionTypeDeny
	read     = kmsg.ACLOperationRead
	write    = kmsg.ACLOperationWrite
	describe = kmsg.ACLOperationDescribe
	all      = kmsg.ACLOperationAll
)

func entry(principal, host string, op kmsg.ACLOperation, perm kmsg.ACLPermissionType) Entry {
	return Entry{Principal: principal, Host: host, Operation: op, Permission: perm}
}

func TestAuthorize(t *testing.T) {
	acls := map[Pattern][]Entry{
		{topic, "orders", literal}: {
			entry("User:alice", "*", read, allow),
			entry("User:bob", "*", write, allow),
			entry("User:carol", "10.0.0.1", read, allow),
			entry("User:dave", "*", all, allow),
			entry("User:dave", "*", write, deny),
		},
		{topic, "pay-", prefixed}:                {entry("User:alice", "*", write, allow)},
		{topic, "pay-secret", literal}:           {entry("User:alice", "*", all, deny)},
		{topic, "*", literal}:                    {entry("User:*", "*", describe, allow)},
		{group, "g", literal}:                    {entry("User:alice", "*", read, allow)},
		{cluster, ClusterName, literal}:          {entry("User:ops", "*", kmsg.ACLOperationAlterConfigs, allow)},
		{topic, "broken", literal}:               {entry("nocolon", "*", read, allow)},
		{group, "bad/name", literal}:             {entry("User:alice", "*", read, allow)},
		{kmsg.ACLResourceTypeUser, "x", literal}: {entry("User:alice", "*", read, allow)},
	}
	a := New(Config{SuperUsers: []string{"User:admin"}})
	a.Swap(NewSnapshot(acls))
	tests := []struct {
		principal, host string
		op              kmsg.ACLOperation
		t               kmsg.ACLResourceType
		name            string
		want            bool
	}{
		{"User:alice", "1.2.3.4", read, topic, "orders", true},
		{"User:alice", "1.2.3.4", write, topic, "orders", false},
		{"User:alice", "1.2.3.4", describe, topic, "orders", true}, // Read implies Describe
		{"User:bob", "1.2.3.4", describe, topic, "orders", true},   // Write implies Describe
		{"User:bob", "1.2.3.4", read, topic, "orders", false},
		{"User:carol", "10.0.0.1", read, topic, "orders", true},
		{"User:carol", "10.0.0.2", read, topic, "orders", false}, // host mismatch
		{"User:dave", "h", read, topic, "orders", true},          // All
		{"User:dave", "h", write, topic, "orders", false},        // Deny beats Allow
		{"User:alice", "h", write, topic, "pay-in", true},        // prefixed
		{"User:alice", "h", write, topic, "pay-secret", false},   // literal Deny All beats prefixed Allow
		{"User:alice", "h", write, topic, "pay", false},          // shorter than the prefix
		{"User:eve", "h", describe, topic, "anything", true},     // wildcard resource and principal
		{"User:eve", "h", read, topic, "anything", false},
		{"User:eve", "h", read, topic, "no-acls", false}, // deny by default
		{"User:admin", "h", write, topic, "pay-secret", true},
		{"User:alice", "h", read, group, "g", true},
		{"User:alice", "h", describe, group, "g", true},
		{"User:alice", "h", read, group, "other", false},
		{"User:ops", "h", kmsg.ACLOperationDescribeConfigs, cluster, ClusterName, true}, // AlterConfigs implies DescribeConfigs
		{"User:ops", "h", kmsg.ACLOperationAlter, cluster, ClusterName, false},
		{"User:eve", "h", read, topic, "broken", false}, // a malformed ACL never grants
		{"User:alice", "h", read, group, "bad/name", false},
		{"User:alice", "h", read, kmsg.ACLResourceTypeUser, "x", false}, // Read is no User operation
		{"User:alice", "h", read, kmsg.ACLResourceType(99), "x", false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s_%v_%v_%s", tc.principal, tc.op, tc.t, tc.name), func(t *testing.T) {
			if got := a.Authorize(tc.principal, tc.host, tc.op, tc.t, tc.name); got != tc.want {
				t.Fatalf("Authorize = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAllowEveryoneIfNoACLFound(t *testing.T) {
	acls := map[Pattern][]Entry{{topic, "guarded", literal}: {entry("User:alice", "*", read, allow)}}
	tests := []struct {
		allowEmpty bool
		name       string
		want       bool
	}{
		{true, "open", true},
		{true, "guarded", false}, // an ACL exists, for someone else
		{false, "open", false},
	}
	for _, tc := range tests {
		a := New(Config{AllowEveryoneIfNoACLFound: tc.allowEmpty})
		a.Swap(NewSnapshot(acls))
		if got := a.Authorize("User:bob", "h", read, topic, tc.name); got != tc.want {
			t.Errorf("allowEmpty=%v %s: got %v, want %v", tc.allowEmpty, tc.name, got, tc.want)
		}
	}
}

func TestAuthorizeAny(t *testing.T) {
	tests := []struct {
		name string
		acls map[Pattern][]Entry
		want bool
	}{
		{"literal allow", map[Pattern][]Entry{{topic, "t", literal}: {entry("User:p", "*", write, allow)}}, true},
		{"prefixed allow", map[Pattern][]Entry{{topic, "t", prefixed}: {entry("User:p", "*", write, allow)}}, true},
		{"other principal", map[Pattern][]Entry{{topic, "t", literal}: {entry("User:q", "*", write, allow)}}, false},
		{"denied on that topic", map[Pattern][]Entry{{topic, "t", literal}: {
			entry("User:p", "*", write, allow), entry("User:p", "*", write, deny)}}, false},
		{"wildcard deny", map[Pattern][]Entry{
			{topic, "t", literal}: {entry("User:p", "*", write, allow)},
			{topic, "*", literal}: {entry("User:*", "*", write, deny)}}, false},
		{"no acls", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := New(Config{})
			a.Swap(NewSnapshot(tc.acls))
			if got := a.AuthorizeAny("User:p", "h", write, topic); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAuthorizedOperations(t *testing.T) {
	a := New(Config{})
	a.Swap(NewSnapshot(map[Pattern][]Entry{{topic, "t", literal}: {entry("User:p", "*", read, allow)}}))
	want := int32(1<<read | 1<<describe)
	if got := a.AuthorizedOperations("User:p", "h", topic, "t"); got != want {
		t.Fatalf("got %b, want %b", got, want)
	}
}

func TestParsePrincipal(t *testing.T) {
	tests := []struct {
		in, typ, name string
		ok            bool
	}{
		{"User:alice", "User", "alice", true},
		{"User:CN=a,O=b:c", "User", "CN=a,O=b:c", true},
		{"User:*", "User", "*", true},
		{"alice", "", "", false},
		{":alice", "", "", false},
		{"User:", "", "", false},
	}
	for _, tc := range tests {
		typ, name, err := ParsePrincipal(tc.in)
		if (err == nil) != tc.ok || typ != tc.typ || name != tc.name {
			t.Errorf("ParsePrincipal(%q) = %q, %q, %v", tc.in, typ, name, err)
		}
	}
}

func FuzzParsePrincipal(f *testing.F) {
	for _, s := range []string{"User:alice", "User:*", "", ":", "a:b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, name, err := ParsePrincipal(s)
		if err == nil && typ+":"+name != s {
			t.Fatalf("%q split into %q and %q", s, typ, name)
		}
	})
}
