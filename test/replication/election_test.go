package replication

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

// offPreferred returns, from a broker's metadata, the partitions whose
// leader is not their preferred (first) replica, as "p:leader/preferred".
func (c *cluster) offPreferred(topic string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	md, err := kadm.NewClient(c.client()).Metadata(ctx, topic)
	if err != nil {
		return nil, err
	}
	t, ok := md.Topics[topic]
	if !ok || t.Err != nil {
		return nil, fmt.Errorf("topic %s: %v", topic, t.Err)
	}
	var off []string
	for _, p := range t.Partitions.Sorted() {
		if p.Err != nil || len(p.Replicas) == 0 || p.Leader != p.Replicas[0] {
			off = append(off, fmt.Sprintf("%d:%d/%v", p.Partition, p.Leader, p.Replicas))
		}
	}
	return off, nil
}

// restartPreferredLeader restarts (SIGTERM, start) the preferred leader
// of partition 0 and waits for the whole ISR, leaving its partitions led
// by other brokers.
func (c *cluster) restartPreferredLeader(topic string, partitions int32) {
	c.t.Helper()
	id := c.zk.Leader(topic, 0)
	if err := c.brokers[id].Stop(); err != nil {
		c.t.Fatalf("stop broker %d: %v", id, err)
	}
	c.brokers[id].Start()
	c.zk.WaitFullIsr(topic, partitions, 30*time.Second)
}

// TestLeaderElectionCommandMovesLeadersBack: after a broker restarts, its
// partitions stay led elsewhere (auto rebalance off) until `kq
// leader-election --election-type preferred --all-topic-partitions` moves
// them back; asked again, there is nothing to do.
func TestLeaderElectionCommandMovesLeadersBack(t *testing.T) {
	const topic, partitions = "elect", int32(3)
	c := startCluster(t, 3, map[string]string{"auto.leader.rebalance.enable": "false"})
	c.createTopic(topic, partitions, nil)
	c.restartPreferredLeader(topic, partitions)
	off, err := c.offPreferred(topic)
	if err != nil || len(off) == 0 {
		t.Fatalf("after the restart no partition is off its preferred leader (%v, %v)", off, err)
	}
	bootstrap := strings.Join(c.addrs(), ",")
	res := harness.KQ(t, nil, "leader-election", "--bootstrap-server", bootstrap, "--election-type", "preferred", "--all-topic-partitions")
	if res.Code != 0 || !strings.HasPrefix(res.Stdout, "Successfully completed leader election (PREFERRED) for partitions "+topic+"-") {
		t.Fatalf("kq leader-election: exit %d\nstdout %q\nstderr %q", res.Code, res.Stdout, res.Stderr)
	}
	harness.Eventually(t, 10*time.Second, "every partition led by its preferred replica", func() error {
		if off, err := c.offPreferred(topic); err != nil || len(off) > 0 {
			return fmt.Errorf("off preferred %v err %v", off, err)
		}
		return nil
	})
	res = harness.KQ(t, nil, "leader-election", "-b", bootstrap, "--election-type", "PREFERRED", "--all-topic-partitions")
	if res.Code != 0 || res.Stdout != "" {
		t.Fatalf("second run: exit %d stdout %q stderr %q", res.Code, res.Stdout, res.Stderr)
	}
	res = harness.KQ(t, nil, "leader-election", "-b", bootstrap, "--election-type", "preferred", "--topic", topic, "--partition", "1")
	if want := "Valid replica already elected for partitions " + topic + "-1\n"; res.Code != 0 || res.Stdout != want {
		t.Fatalf("one partition: exit %d stdout %q (want %q) stderr %q", res.Code, res.Stdout, want, res.Stderr)
	}
	res = harness.KQ(t, nil, "leader-election", "-b", bootstrap, "--election-type", "unclean", "--topic", topic, "--partition", "9")
	if res.Code != 1 || !strings.Contains(res.Stderr, "Error completing leader election (UNCLEAN) for partition: "+topic+"-9: UNKNOWN_TOPIC_OR_PARTITION") {
		t.Fatalf("unknown partition: exit %d stdout %q stderr %q", res.Code, res.Stdout, res.Stderr)
	}
}

// TestAutoLeaderRebalanceMovesLeadersBack: with
// leader.imbalance.check.interval.seconds=1, the controller gives a
// restarted broker its preferred leaderships back by itself.
func TestAutoLeaderRebalanceMovesLeadersBack(t *testing.T) {
	const topic, partitions = "rebalance", int32(3)
	c := startCluster(t, 3, map[string]string{"leader.imbalance.check.interval.seconds": "1"})
	c.createTopic(topic, partitions, nil)
	start := time.Now()
	c.restartPreferredLeader(topic, partitions)
	harness.Eventually(t, 20*time.Second, "every partition led by its preferred replica again", func() error {
		if off, err := c.offPreferred(topic); err != nil || len(off) > 0 {
			return fmt.Errorf("off preferred %v err %v", off, err)
		}
		return nil
	})
	t.Logf("leadership back on the preferred replicas %v after the SIGTERM", time.Since(start).Round(time.Millisecond))
}
