package snapshot

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin"
)

func TestACLsFor(t *testing.T) {
	mk := func(name string, pt kmsg.ACLResourcePatternType) admin.ACL {
		return admin.ACL{ResourceName: name, PatternType: pt}
	}
	lit, pre := kmsg.ACLResourcePatternTypeLiteral, kmsg.ACLResourcePatternTypePrefixed
	acls := []admin.ACL{mk("orders", lit), mk("*", lit), mk("ord", pre), mk("orders-eu", lit), mk("pay", pre)}
	got := aclsFor(acls, "orders")
	if len(got) != 3 || got[0].ResourceName != "orders" || got[1].ResourceName != "*" || got[2].ResourceName != "ord" {
		t.Fatalf("got %+v", got)
	}
}
