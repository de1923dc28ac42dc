package kafkazk

import (
	"context"
	"slices"
	"testing"

	"github.com/kqhq/kq/store/meta/embedded"
	"github.com/kqhq/kq/store/meta/znode"
)

// TestQuotaEntitiesKeepOtherKeys: a quota write keeps a user's other keys
// (SCRAM credentials), every entity kind is listed back, and each write
// leaves a change notification naming the entity as Kafka does.
func TestQuotaEntitiesKeepOtherKeys(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, ctx := newClient(t, srv), context.Background()
	if err := c.SetEntityConfig(ctx, "users", "alice", map[string]string{"SCRAM-SHA-256": "salt=x"}); err != nil {
		t.Fatal(err)
	}
	set := func(typ, name, k, v string) {
		t.Helper()
		err := c.UpdateEntityConfig(ctx, typ, name, func(cfg map[string]string) error { cfg[k] = v; return nil })
		if err != nil {
			t.Fatal(err)
		}
	}
	set("users", "alice", "producer_byte_rate", "1024")
	set("users", UserClientEntityName("alice", "app"), "consumer_byte_rate", "2048")
	set("users", UserClientEntityName("<default>", "<default>"), "request_percentage", "50")
	set("clients", "app", "producer_byte_rate", "10")
	alice, err := c.EntityConfig(ctx, "users", "alice")
	if err != nil || alice["SCRAM-SHA-256"] != "salt=x" || alice["producer_byte_rate"] != "1024" {
		t.Fatalf("alice = %v, %v", alice, err)
	}
	all, err := c.QuotaEntityConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range all {
		got = append(got, e.User+"|"+e.ClientID)
	}
	slices.Sort(got)
	want := []string{"<default>|", "<default>|<default>", "alice|", "alice|app", "|app"}
	if !slices.Equal(got, want) {
		t.Fatalf("entities %v, want %v", got, want)
	}
	changes, _, _, err := c.ConfigChanges(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	last := changes[len(changes)-1]
	if last.EntityType != znode.ConfigTypeClient || last.Name != "app" {
		t.Fatalf("last change %+v", last)
	}
	if u, cl, ok := ParseQuotaEntity(changes[len(changes)-3].EntityType, changes[len(changes)-3].Name); !ok || u != "alice" || cl != "app" {
		t.Fatalf("nested change parsed as %q %q %v", u, cl, ok)
	}
}

func TestParseQuotaEntity(t *testing.T) {
	cases := []struct {
		typ, name, user, client string
		ok                      bool
	}{
		{"users", "alice", "alice", "", true},
		{"users", "alice/clients/app", "alice", "app", true},
		{"users", "<default>/clients/<default>", "<default>", "<default>", true},
		{"users", "alice/other/app", "", "", false},
		{"users", "alice/clients/", "", "", false},
		{"clients", "app", "", "app", true},
		{"clients", "a/b", "", "", false},
		{"topics", "t", "", "", false},
	}
	for _, tc := range cases {
		u, c, ok := ParseQuotaEntity(tc.typ, tc.name)
		if ok != tc.ok || (ok && (u != tc.user || c != tc.client)) {
			t.Errorf("ParseQuotaEntity(%q, %q) = %q %q %v", tc.typ, tc.name, u, c, ok)
		}
	}
}
