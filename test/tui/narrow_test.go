package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// TestTUIAt60x15 runs kq tui in a 60x15 pane on a topic with a real-length
// name: the Topics view keeps more of the name than the optional numeric
// columns, its partitions' view names it whole in the tabs line, and the
// footer keeps ? and q. Then the table ergonomics: shift+P sorts by
// partitions, /-f filters fuzzily, /!regex keeps the other rows.
func TestTUIAt60x15(t *testing.T) {
	cluster, _ := harness.StartLocalCluster(t, 1, nil)
	const long = "payments.eu-west-1.settlement-events"
	kq(t, "-b", cluster.Addr, "topics", "create", long, "-p", "4", "-r", "1")
	kq(t, "-b", cluster.Addr, "topics", "create", "audit", "-p", "1", "-r", "1")
	kq(t, "-b", cluster.Addr, "topics", "create", "orders", "-p", "2", "-r", "1")

	p := startPane(t, 60, 15, harness.Binary(t), "tui", "-b", cluster.Addr, "--refresh", "500ms")
	screen := p.waitFor(30*time.Second, "the topics", contains("payments.eu-west-1.settlem", "audit", "? help", "q quit"))
	t.Logf("topics at 60x15:\n%s", screen)
	p.keys(":")
	p.keys(strings.Split("partitions "+long, "")...)
	p.keys("Enter")
	screen = p.waitFor(20*time.Second, "the partitions with the topic named whole", contains("› "+long, "LEADER", "? help", "q quit"))
	t.Logf("partitions at 60x15:\n%s", screen)
	p.keys("Escape")

	rowOrder := func(want ...string) func(string) error {
		return func(s string) error {
			var got []string
			for _, m := range regexp.MustCompile(`(?m)^[▶ ] (\S+) `).FindAllStringSubmatch(s, -1) {
				if m[1] != "TOPIC" {
					got = append(got, m[1])
				}
			}
			ok := len(got) == len(want)
			for i := 0; ok && i < len(got); i++ {
				ok = strings.HasPrefix(got[i], want[i]) // a long name is cut
			}
			if !ok {
				return fmt.Errorf("rows %v, want %v", got, want)
			}
			return nil
		}
	}
	p.keys("P") // PARTS, largest first
	p.waitFor(10*time.Second, "topics by partitions", rowOrder("payments.eu-west-1", "orders", "audit"))
	p.keys("/", "-", "f", " ", "o", "r", "d", "Enter")
	p.waitFor(10*time.Second, "the fuzzy filter", rowOrder("orders"))
	p.keys("Escape", "/", "!", "^", "o", "Enter")
	p.waitFor(10*time.Second, "the inverse filter", rowOrder("payments.eu-west-1", "audit"))
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}
