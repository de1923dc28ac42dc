package kafkazk

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
)

func aclClient(t testing.TB) *Client {
	t.Helper()
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s, err := srv.Connect(6 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(s, slog.New(slog.DiscardHandler))
}

// TestACLRoundTrip: ACLs written are read back, each change is announced
// where Kafka's brokers look, and removing the last entry removes the node.
func TestACLRoundTrip(t *testing.T) {
	c := aclClient(t)
	ctx := context.Background()
	if err := c.EnsureACLPaths(ctx); err != nil {
		t.Fatal(err)
	}
	lit := authz.Pattern{Type: kmsg.ACLResourceTypeTopic, Name: "t", PatternType: kmsg.ACLResourcePatternTypeLiteral}
	pre := authz.Pattern{Type: kmsg.ACLResourceTypeGroup, Name: "g-", PatternType: kmsg.ACLResourcePatternTypePrefixed}
	e := authz.Entry{Principal: "User:a", Host: "*", Operation: kmsg.ACLOperationRead, Permission: kmsg.ACLPermissionTypeAllow}
	for _, p := range []authz.Pattern{lit, pre} {
		if _, err := c.UpdateACLs(ctx, p, func(cur []authz.Entry) []authz.Entry { return append(cur, e) }); err != nil {
			t.Fatal(err)
		}
	}
	data, _, err := c.Store().Get(ctx, "/kafka-acl/Topic/t")
	if want := `{"version":1,"acls":[{"principal":"User:a","permissionType":"Allow","operation":"Read","host":"*"}]}`; err != nil || string(data) != want {
		t.Fatalf("znode %s: %v", data, err)
	}
	if _, _, err := c.Store().Get(ctx, "/kafka-acl-extended/prefixed/Group/g-"); err != nil {
		t.Fatal(err)
	}
	changed, _, _, err := c.ACLChanges(ctx, ACLChangeCursor{})
	if err != nil || !slices.Equal(changed, []authz.Pattern{lit, pre}) {
		t.Fatalf("changes %v %v", changed, err)
	}
	all, err := c.LoadACLs(ctx)
	if err != nil || len(all) != 2 || !slices.Equal(all[pre], []authz.Entry{e}) {
		t.Fatalf("loaded %v %v", all, err)
	}
	if _, err := c.UpdateACLs(ctx, lit, func([]authz.Entry) []authz.Entry { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Store().Exists(ctx, "/kafka-acl/Topic/t"); ok {
		t.Fatal("an empty ACL node was kept")
	}
}

// FuzzACLNode: whatever bytes an ACL node holds, reading it never fails
// the load, and what is read is valid or left out.
func FuzzACLNode(f *testing.F) {
	for _, s := range []string{
		`{"version":1,"acls":[{"principal":"User:a","permissionType":"Allow","operation":"Read","host":"*"}]}`,
		`{"version":1,"acls":[{"principal":"a","permissionType":"Allow","operation":"Read","host":"*"}]}`,
		`{"version":1,"acls":[{"principal":"User:a","permissionType":"Maybe","operation":"Fly","host":"*"}]}`,
		`{"version":2}`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	c := aclClient(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := "/kafka-acl/Topic/t"
		_ = c.Store().Delete(ctx, path, meta.AnyVersion)
		if _, err := meta.CreateRecursive(ctx, c.Store(), path, data, meta.Persistent); err != nil {
			t.Fatal(err)
		}
		all, err := c.LoadACLs(ctx)
		if err != nil {
			t.Fatalf("load failed on a malformed node: %v", err)
		}
		for p, entries := range all {
			for _, e := range entries {
				if err := (authz.Binding{Pattern: p, Entry: e}).Validate(); err != nil {
					t.Fatalf("invalid ACL loaded: %v", err)
				}
			}
		}
	})
}
