package tui

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// row is one line of the partitions table as read off the screen.
type row struct {
	partition, leader int // leader -1 for "✖ none"
	replicas, isr     []int
	missing           []int
}

// rowRE reads "▶ 0       1  1,2,3     1,2 ⚠ 3  ..." (the marker only on the
// selected row).
var rowRE = regexp.MustCompile(`^(?:▶| ) +(\d+) +(✖ none|\d+) +([\d,]+) +([\d,]+)(?: ⚠ ([\d,]+))? `)

func partitionRows(screen string) []row {
	var rows []row
	for _, line := range strings.Split(screen, "\n") {
		m := rowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		r := row{leader: -1, replicas: ids(m[3]), isr: ids(m[4]), missing: ids(m[5])}
		r.partition, _ = strconv.Atoi(m[1])
		if m[2] != "✖ none" {
			r.leader, _ = strconv.Atoi(m[2])
		}
		rows = append(rows, r)
	}
	return rows
}

func ids(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(f); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// healthyPartitions accepts a screen with n partitions, each with a leader
// and all rf replicas in sync.
func healthyPartitions(n, rf int) func(string) error {
	return func(screen string) error {
		rows := partitionRows(screen)
		if len(rows) != n {
			return fmt.Errorf("%d partition rows, want %d", len(rows), n)
		}
		for _, r := range rows {
			if r.leader < 0 || len(r.isr) != rf || len(r.missing) > 0 {
				return fmt.Errorf("partition %d: %+v", r.partition, r)
			}
		}
		return nil
	}
}

func kq(t *testing.T, args ...string) {
	t.Helper()
	if res := harness.KQ(t, nil, args...); res.Code != 0 {
		t.Fatalf("kq %v: exit %d: %s", args, res.Code, res.Stderr)
	}
}

func produce(t *testing.T, addr, topic string, n int) {
	t.Helper()
	var lines strings.Builder
	for i := range n {
		fmt.Fprintf(&lines, "record-%d\n", i)
	}
	if res := harness.KQ(t, strings.NewReader(lines.String()), "-b", addr, "produce", "--topic", topic); res.Code != 0 {
		t.Fatalf("produce: exit %d: %s", res.Code, res.Stderr)
	}
}

// TestTUIOnLocalCluster opens the TUI on `kq server --brokers 3`, goes to a
// topic's partitions, then stops the whole cluster: the TUI says it is
// unreachable and keeps running until q.
func TestTUIOnLocalCluster(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 3, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "orders", "-p", "6", "-r", "3")
	produce(t, cluster.Addr, "orders", 1000)

	p := startPane(t, 100, 30, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.waitFor(30*time.Second, "the topics view", contains("orders", "● live", "Brokers 3/3"))
	p.keys("/")
	p.keys(strings.Split("orders", "")...)
	p.keys("Enter", "Enter")
	screen := p.waitFor(10*time.Second, "the partitions of orders", func(s string) error {
		if err := contains("orders › partitions", "1,000")(s); err != nil {
			return err
		}
		return healthyPartitions(6, 3)(s)
	})
	t.Logf("partitions of orders:\n%s", screen)
	p.save("local-partitions")

	cluster.Kill()
	p.waitFor(30*time.Second, "the unreachable status", contains("✖ unreachable", "retrying every 500ms"))
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}

// TestTUIShowsABrokerDying runs three brokers on ZooKeeper, opens a
// topic's partitions, kills the leader of partition 0 and watches the
// screen: the ISRs shrink with the dead broker named as missing, its
// partitions get new leaders, and the Brokers view marks it dead.
func TestTUIShowsABrokerDying(t *testing.T) {
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq")
	var brokers []*harness.Broker
	var addrs []string
	for id := int32(1); id <= 3; id++ {
		b := harness.StartBroker(t, harness.Options{BrokerID: id, Zookeeper: connect})
		brokers, addrs = append(brokers, b), append(addrs, b.Addr)
	}
	kq(t, "-b", addrs[0], "topics", "create", "orders", "-p", "3", "-r", "3")
	produce(t, addrs[0], "orders", 300)

	p := startPane(t, 100, 30, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.waitFor(30*time.Second, "the topics view", contains("orders", "● live"))
	p.keys(":")
	p.keys(strings.Split("partitions orders", "")...)
	p.keys("Enter")
	before := p.waitFor(30*time.Second, "orders with every replica in sync", healthyPartitions(3, 3))
	p.save("zk-partitions-before")
	victim := partitionRows(before)[0].leader

	brokers[victim-1].Kill()
	after := p.waitFor(60*time.Second, fmt.Sprintf("broker %d out of every ISR and leadership", victim), func(s string) error {
		rows := partitionRows(s)
		if len(rows) != 3 {
			return fmt.Errorf("%d rows", len(rows))
		}
		for _, r := range rows {
			if r.leader == victim || r.leader < 0 || !slices.Contains(r.missing, victim) {
				return fmt.Errorf("partition %d: %+v", r.partition, r)
			}
		}
		return nil
	})
	t.Logf("before killing broker %d:\n%s\nafter:\n%s", victim, before, after)
	p.save("zk-partitions-after")

	p.keys("Escape")
	p.keys("BTab") // Brokers, before Topics
	brokersView := p.waitFor(10*time.Second, "the dead broker in the Brokers view", contains("Brokers 2/3", "✖ dead"))
	p.save("zk-brokers-after")
	for _, line := range strings.Split(brokersView, "\n") {
		if strings.Contains(line, "✖ dead") && !strings.HasPrefix(strings.TrimLeft(line, "▶ "), strconv.Itoa(victim)+" ") {
			t.Errorf("a broker other than %d marked dead: %q", victim, line)
		}
	}
}
