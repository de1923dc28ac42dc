package authz

import (
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/kqhq/kq/test/harness"
)

// TestSaramaACLAdmin: sarama's cluster admin creates, lists and deletes
// ACLs (its DescribeAcls v1, CreateAcls v1, DeleteAcls v1).
func TestSaramaACLAdmin(t *testing.T) {
	b, connect := startSecured(t)
	mustKQ(t, "acls", "--zookeeper", connect, "--add", "--allow-principal", anonymous, "--operation", "Alter", "--operation", "Describe", "--cluster")
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V2_8_0_0
	cfg.ClientID = "kq-authz"
	admin, err := sarama.NewClusterAdmin([]string{b.Addr}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	anyFilter := sarama.AclFilter{Version: 1, ResourceType: sarama.AclResourceAny, ResourcePatternTypeFilter: sarama.AclPatternAny,
		Operation: sarama.AclOperationAny, PermissionType: sarama.AclPermissionAny}
	harness.Eventually(t, 10*time.Second, "the cluster ACL applied", func() error {
		_, err := admin.ListAcls(anyFilter)
		return err
	})
	res := sarama.Resource{ResourceType: sarama.AclResourceTopic, ResourceName: "orders-", ResourcePatternType: sarama.AclPatternPrefixed}
	acl := sarama.Acl{Principal: "User:bob", Host: "*", Operation: sarama.AclOperationRead, PermissionType: sarama.AclPermissionAllow}
	if err := admin.CreateACL(res, acl); err != nil {
		t.Fatalf("sarama CreateACL: %v", err)
	}
	listed, err := admin.ListAcls(anyFilter)
	if err != nil || !hasACL(listed, "orders-", "User:bob") {
		t.Fatalf("sarama ListAcls: %v %+v", err, listed)
	}
	name := "orders-"
	matched, err := admin.DeleteACL(sarama.AclFilter{Version: 1, ResourceType: sarama.AclResourceTopic, ResourceName: &name,
		ResourcePatternTypeFilter: sarama.AclPatternPrefixed, Operation: sarama.AclOperationAny, PermissionType: sarama.AclPermissionAny}, false)
	if err != nil || len(matched) != 1 {
		t.Fatalf("sarama DeleteACL: %v %+v", err, matched)
	}
	listed, err = admin.ListAcls(anyFilter)
	if err != nil || hasACL(listed, "orders-", "User:bob") {
		t.Fatalf("after DeleteACL: %v %+v", err, listed)
	}
}

func hasACL(rs []sarama.ResourceAcls, name, principal string) bool {
	for _, r := range rs {
		for _, a := range r.Acls {
			if r.ResourceName == name && a.Principal == principal {
				return true
			}
		}
	}
	return false
}
