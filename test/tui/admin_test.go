package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// TestTUIDeletesAGroup commits offsets with a group that then leaves, and
// deletes the group from its lag view (ctrl+d, its name typed out); kq
// groups --list no longer has it. Its offsets are first deleted (x) from
// the same view, as kafka-consumer-groups --delete-offsets would.
func TestTUIDeletesAGroup(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 1, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "orders", "-p", "1", "-r", "1")
	kq(t, "-b", cluster.Addr, "topics", "create", "audit", "-p", "1", "-r", "1")
	produce(t, cluster.Addr, "orders", 100)
	produce(t, cluster.Addr, "audit", 10)
	kq(t, "-b", cluster.Addr, "consume", "orders", "--group", "old-app", "--from-beginning", "--max-messages", "100")
	kq(t, "-b", cluster.Addr, "consume", "audit", "--group", "old-app", "--from-beginning", "--max-messages", "10")
	res := harness.KQ(t, strings.NewReader("unread-0\nunread-1\n"), "-b", cluster.Addr, "produce", "--topic", "orders")
	if res.Code != 0 {
		t.Fatalf("produce: exit %d: %s", res.Code, res.Stderr)
	}

	p := startPane(t, 120, 30, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.waitFor(30*time.Second, "the topics view", contains("orders", "● live"))
	p.keys(":")
	p.keys(strings.Split("lag old-app", "")...)
	p.keys("Enter")
	p.waitFor(20*time.Second, "old-app's lag on both topics", contains("old-app › lag", "audit ", "orders "))

	// enter on orders' row: its messages from the group's committed
	// offset, the two records it has not read.
	p.keys("G", "Enter")
	screen := p.waitFor(20*time.Second, "the unread records of orders", contains("› messages", "offset 100", "unread-0", "unread-1"))
	t.Logf("messages at the committed offset:\n%s", screen)
	p.keys("Escape")
	p.waitFor(10*time.Second, "back on the lag", contains("old-app › lag"))

	// The first row is audit's: x deletes the group's offsets of audit.
	p.keys("g", "x")
	screen = p.waitFor(10*time.Second, "the offsets' preview", contains("Delete group old-app's offsets on audit (1 partition)?", "y/N"))
	t.Logf("delete offsets preview:\n%s", screen)
	p.keys("y")
	p.waitFor(20*time.Second, "audit gone from old-app's lag", func(s string) error {
		if err := contains("✔ deleted the offsets of group old-app on audit", "orders ")(s); err != nil {
			return err
		}
		if regexp.MustCompile(`(?m)^[▶ ] audit `).MatchString(s) {
			return fmt.Errorf("audit still in the lag")
		}
		return nil
	})

	p.keys("C-d")
	screen = p.waitFor(10*time.Second, "the group's deletion asked", contains("Delete group old-app (", "type old-app to confirm"))
	t.Logf("delete group preview:\n%s", screen)
	p.save("delete-group")
	p.keys(strings.Split("old-app", "")...)
	p.keys("Enter")
	p.waitFor(20*time.Second, "the deletion reported", contains("✔ deleted group old-app"))
	res = harness.KQ(t, nil, "-b", cluster.Addr, "groups", "--list")
	if res.Code != 0 || strings.Contains(res.Stdout, "old-app") {
		t.Fatalf("kq groups --list after the TUI's deletion: exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}

// TestTUISwitchesContext runs two clusters named as profiles east and
// west in a config file, starts on east in the Brokers view, and switches
// with :ctx west: the header names west, the Brokers view stays and shows
// west's broker; :topics shows west's topic and not east's.
func TestTUISwitchesContext(t *testing.T) {
	east, _ := harness.StartLocalCluster(t, 1, nil)
	west, _ := harness.StartLocalCluster(t, 1, nil)
	kq(t, "-b", east.Addr, "topics", "create", "east-orders", "-p", "1", "-r", "1")
	kq(t, "-b", west.Addr, "topics", "create", "west-events", "-p", "3", "-r", "1")
	config := filepath.Join(t.TempDir(), "config.yaml")
	yaml := fmt.Sprintf("current-profile: east\nprofiles:\n  east:\n    bootstrap-server: %s\n  west:\n    bootstrap-server: %s\n", east.Addr, west.Addr)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}

	p := startPane(t, 120, 30, "env", "KQ_CONFIG="+config, harness.Binary(t), "tui", "--refresh", "500ms")
	p.waitFor(30*time.Second, "east's topics", contains("ctx east", "east-orders", "● live"))
	p.keys("BTab") // Brokers
	p.waitFor(10*time.Second, "east's broker", contains("HOST:PORT", east.Addr[strings.LastIndex(east.Addr, ":"):]))
	p.keys(":", "c", "t", "x", "Enter")
	p.waitFor(10*time.Second, "the profiles listed", contains("profiles: east (current), west; :ctx NAME switches"))
	p.keys(":")
	p.keys(strings.Split("ctx west", "")...)
	p.keys("Enter")
	westPort := west.Addr[strings.LastIndex(west.Addr, ":"):]
	screen := p.waitFor(30*time.Second, "west's broker in the Brokers view", contains("ctx west", "HOST:PORT", westPort, "● live"))
	t.Logf("after :ctx west:\n%s", screen)
	p.save("ctx-west")
	p.keys(":")
	p.keys(strings.Split("topics", "")...)
	p.keys("Enter")
	p.waitFor(20*time.Second, "west's topics only", func(s string) error {
		if err := contains("west-events", "ctx west")(s); err != nil {
			return err
		}
		if strings.Contains(s, "east-orders") {
			return fmt.Errorf("east's topic still shown")
		}
		return nil
	})
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}
