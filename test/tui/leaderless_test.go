package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// cell reads a column of a table row off the screen: the row is the line
// whose first word (after the cursor mark) is key, the column the one
// headed title in the header line (the one starting with first, the
// table's first title). Numeric columns are right aligned, so the cell is
// the text that ends where the title ends.
func cell(screen, first, key, title string) (string, error) {
	lines := strings.Split(screen, "\n")
	end := -1
	for _, l := range lines {
		if i := strings.Index(l, title); i >= 0 && strings.HasPrefix(strings.TrimSpace(l), first+" ") {
			end = len([]rune(l[:i])) + len([]rune(title))
			break
		}
	}
	if end < 0 {
		return "", fmt.Errorf("no column %q", title)
	}
	for _, l := range lines {
		if f := strings.Fields(strings.TrimLeft(l, "▶ ")); len(f) == 0 || f[0] != key {
			continue
		}
		r := []rune(l)
		if len(r) < end {
			return "", fmt.Errorf("row %s ends before column %s: %q", key, title, l)
		}
		left := strings.TrimRight(string(r[:end]), " ")
		if i := strings.LastIndex(left, "  "); i >= 0 {
			left = left[i:]
		}
		return strings.TrimSpace(left), nil
	}
	return "", fmt.Errorf("no row %q", key)
}

// cellsAre is a waitFor condition: each "row/COLUMN" shows the value.
func cellsAre(want map[string]string) func(string) error {
	return func(screen string) error {
		for at, value := range want {
			key, title, _ := strings.Cut(at, "/")
			got, err := cell(screen, "TOPIC", key, title)
			if err != nil {
				return err
			}
			if got != value {
				return fmt.Errorf("%s %s is %q, want %q", key, title, got, value)
			}
		}
		return nil
	}
}

// zkBrokers starts n broker processes on one ZooKeeper.
func zkBrokers(t *testing.T, n int32) ([]*harness.Broker, []string) {
	t.Helper()
	connect := zktest.Start(t).ConnectString("/kq")
	var brokers []*harness.Broker
	var addrs []string
	for id := int32(1); id <= n; id++ {
		b := harness.StartBroker(t, harness.Options{BrokerID: id, Zookeeper: connect})
		brokers, addrs = append(brokers, b), append(addrs, b.Addr)
	}
	return brokers, addrs
}

// TestTUILeaderlessPartition runs three brokers on ZooKeeper with a
// topic whose one partition lives on broker 3 alone (RF 1) and a topic on
// brokers 1 and 2, then kills broker 3: the RF 1 topic is offline with
// its offsets unknown, and the healthy topic keeps its MESSAGES, IN
// msg/s, and its partitions their log start and high watermark (a single
// leaderless partition used to blank them for every topic).
func TestTUILeaderlessPartition(t *testing.T) {
	brokers, addrs := zkBrokers(t, 3)
	kq(t, "-b", addrs[0], "topics", "create", "healthy", "--replica-assignment", "1:2,2:1,1:2")
	kq(t, "-b", addrs[0], "topics", "create", "fragile", "--replica-assignment", "3")
	produce(t, addrs[0], "healthy", 300)
	produce(t, addrs[0], "fragile", 40)

	p := startPane(t, 160, 30, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	before := p.waitFor(30*time.Second, "both topics counted", cellsAre(map[string]string{
		"healthy/MESSAGES": "300", "fragile/MESSAGES": "40", "healthy/IN msg/s": "0", "fragile/OFFLINE": "0",
	}))
	t.Logf("before:\n%s", before)

	brokers[2].Kill()
	after := p.waitFor(60*time.Second, "fragile offline, healthy still counted", cellsAre(map[string]string{
		"fragile/OFFLINE": "✖ 1", "fragile/MESSAGES": "—",
		"healthy/MESSAGES": "300", "healthy/IN msg/s": "0", "healthy/OFFLINE": "0",
	}))
	t.Logf("after killing broker 3:\n%s", after)
	// An offline partition is not a failed read: the refresh is whole.
	p.waitFor(10*time.Second, "a whole refresh", func(s string) error {
		if strings.Contains(s, "partial refresh") {
			return fmt.Errorf("the refresh is called partial")
		}
		return contains("● refreshed")(s)
	})
	p.save("leaderless-topics")

	// The healthy topic's partitions keep their offsets too.
	p.keys(":")
	p.keys(strings.Split("partitions healthy", "")...)
	p.keys("Enter")
	parts := p.waitFor(10*time.Second, "the partitions of healthy", contains("healthy › partitions"))
	for _, id := range []string{"0", "1", "2"} {
		for _, col := range []string{"LOG-START", "HW"} {
			if v, err := cell(parts, "P", id, col); err != nil || v == "—" {
				t.Errorf("healthy-%s %s: %q %v; screen:\n%s", id, col, v, err, parts)
			}
		}
	}
}

// TestTUIRateKeptAcrossAction creates a topic from the TUI on brokers on
// ZooKeeper (where the new partitions are leaderless for a moment) and reads
// every screen until the new topic has a rate of its own: the other
// topic's IN msg/s is never blanked by the action or the refreshes after
// it.
func TestTUIRateKeptAcrossAction(t *testing.T) {
	_, addrs := zkBrokers(t, 3)
	kq(t, "-b", addrs[0], "topics", "create", "orders", "-p", "3", "-r", "3")
	produce(t, addrs[0], "orders", 100)

	p := startPane(t, 160, 30, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.waitFor(30*time.Second, "the rate of orders", cellsAre(map[string]string{"orders/IN msg/s": "0"}))
	p.keys(":")
	p.keys(strings.Split("create-topic clicks 3 1", "")...)
	p.keys("Enter")
	p.waitFor(10*time.Second, "the confirmation", contains("y/N"))
	p.keys("y")
	ordersKept := func(done func(string) error) func(string) error {
		blanked := 0
		return func(s string) error {
			if v, err := cell(s, "TOPIC", "orders", "IN msg/s"); err == nil && v != "0" {
				blanked++
				t.Errorf("orders IN msg/s %q after the action; screen:\n%s", v, s)
			}
			if blanked > 3 {
				return nil // enough said
			}
			return done(s)
		}
	}
	p.waitFor(30*time.Second, "clicks with a rate", ordersKept(cellsAre(map[string]string{"clicks/IN msg/s": "0"})))

	// Deleting it: the refreshes list it while the brokers delete it.
	p.keys(":")
	p.keys(strings.Split("delete clicks", "")...)
	p.keys("Enter")
	p.keys(strings.Split("clicks", "")...)
	p.keys("Enter")
	p.waitFor(30*time.Second, "clicks gone", ordersKept(func(s string) error {
		if _, err := cell(s, "TOPIC", "clicks", "IN msg/s"); err == nil {
			return fmt.Errorf("clicks still listed")
		}
		return contains("Topics 1")(s)
	}))
}
