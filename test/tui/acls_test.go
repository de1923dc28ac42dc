package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// TestTUIShowsAPrincipalsACLs runs a broker with Kafka's ACL authorizer
// (the PLAINTEXT listener's User:ANONYMOUS a super user), grants a
// consumer with kq acls, and reads in :acls User:consumer what it may do:
// read and describe orders, read its group; the Topics view keeps its
// numbers (reading every resource type's ACLs is not a partial refresh).
func TestTUIShowsAPrincipalsACLs(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Port: harness.FreePort(t), Props: map[string]string{
		"authorizer.class.name":            "kafka.security.authorizer.AclAuthorizer",
		"super.users":                      "User:ANONYMOUS",
		"offsets.topic.replication.factor": "1",
	}})
	kq(t, "-b", b.Addr, "topics", "create", "orders", "-p", "1", "-r", "1")
	kq(t, "-b", b.Addr, "acls", "--add", "--allow-principal", "User:consumer", "--consumer", "--topic", "orders", "--group", "billing")
	kq(t, "-b", b.Addr, "acls", "--add", "--deny-principal", "User:consumer", "--operation", "Write", "--topic", "orders")

	p := startPane(t, 120, 30, harness.Binary(t), "tui", "-b", b.Addr, "--refresh", "500ms")
	p.waitFor(30*time.Second, "the topics view, whole", func(s string) error {
		if err := contains("orders", "● live", "● refreshed")(s); err != nil {
			return err
		}
		if strings.Contains(s, "partial refresh") {
			return fmt.Errorf("a partial refresh")
		}
		return nil
	})
	p.keys(":")
	p.keys(strings.Split("acls consumer", "")...)
	p.keys("Enter")
	rows := []*regexp.Regexp{
		regexp.MustCompile(`TOPIC +orders +LITERAL +READ +ALLOW`),
		regexp.MustCompile(`TOPIC +orders +LITERAL +DESCRIBE +ALLOW`),
		regexp.MustCompile(`TOPIC +orders +LITERAL +WRITE +✖ DENY`),
		regexp.MustCompile(`GROUP +billing +LITERAL +READ +ALLOW`),
	}
	screen := p.waitFor(20*time.Second, "User:consumer's ACLs", func(s string) error {
		if err := contains("User:consumer › ACLs")(s); err != nil {
			return err
		}
		for _, re := range rows {
			if !re.MatchString(s) {
				return fmt.Errorf("no row %s", re)
			}
		}
		return nil
	})
	t.Logf("User:consumer's ACLs:\n%s", screen)
	p.save("acls-principal")
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}
