package snapshot

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin"
)

func TestACLsFor(t *testing.T) {
	mk := func(name string, pt kmsg.ACLResourcePatternType) admin.ACL {
		return admin.ACL{ResourceType: kmsg.ACLResourceTypeTopic, ResourceName: name, PatternType: pt}
	}
	// A group of the topic's name is not the topic's: every resource
	// type's ACLs are read.
	group := admin.ACL{ResourceType: kmsg.ACLResourceTypeGroup, ResourceName: "orders", PatternType: kmsg.ACLResourcePatternTypeLiteral}
	lit, pre := kmsg.ACLResourcePatternTypeLiteral, kmsg.ACLResourcePatternTypePrefixed
	acls := []admin.ACL{mk("orders", lit), mk("*", lit), mk("ord", pre), mk("orders-eu", lit), mk("pay", pre), group}
	got := aclsFor(acls, "orders")
	if len(got) != 3 || got[0].ResourceName != "orders" || got[1].ResourceName != "*" || got[2].ResourceName != "ord" {
		t.Fatalf("got %+v", got)
	}
}
