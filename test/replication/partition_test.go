package replication

import (
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// TestLeaderCutFromZooKeeper: a partition leader loses ZooKeeper (its link
// blackholed, clients and brokers still reach it) for longer than its
// session timeout, under acks=all writes at min.insync.replicas=2. Its
// session expires, the controller moves leadership away and the followers
// follow the new leader, so the old leader cannot gather the ISR acks an
// acknowledgement needs: whatever it appends alone is never acknowledged,
// and is truncated when the link heals and it rejoins as a follower.
// Nothing acknowledged is lost and the replicas end identical.
func TestLeaderCutFromZooKeeper(t *testing.T) {
	if testing.Short() {
		t.Skip("the partition lasts longer than a session timeout")
	}
	const topic, partitions = "cut-off", int32(3)
	c := startClusterLinks(t, 3, nil, links{zk: true})
	c.createTopic(topic, partitions, minInsync2())
	prod := newChaosProducer(c, topic, partitions)
	stop := prod.start(t)

	victim := c.zk.Leader(topic, 0)
	f := fault{what: fmt.Sprintf("leader %d cut from ZooKeeper", victim), partition: 0, start: time.Now()}
	c.zkLinks[victim].Blackhole()
	c.waitNewLeader(topic, 0, victim, sessionTimeout+10*time.Second)
	time.Sleep(time.Until(f.start.Add(sessionTimeout + 4*time.Second))) // the fault itself: cut this long
	c.zkLinks[victim].Heal()
	c.zk.WaitFullIsr(topic, partitions, 60*time.Second)
	if err := prod.waitAcked(20, 30*time.Second); err != nil {
		t.Fatalf("after the link healed: %v", err)
	}
	f.end = time.Now()
	c.checkOneController()
	verdict(t, c, prod, stop, topic, partitions, f)
}

// TestLeaderCutFromBrokers: a partition leader keeps ZooKeeper and its
// clients but the other brokers cannot reach it (its inter-broker listener
// blackholed: followers cannot fetch from it, nor a controller on another
// broker send to it) under
// acks=all writes at min.insync.replicas=2. It shrinks its ISRs to itself
// through ZooKeeper after replica.lag.time.max.ms, and from then on
// answers NOT_ENOUGH_REPLICAS instead of acknowledging writes it cannot
// replicate. When the link heals the followers catch up and rejoin; nothing
// acknowledged is lost and the replicas end identical.
func TestLeaderCutFromBrokers(t *testing.T) {
	if testing.Short() {
		t.Skip("the partition lasts longer than replica.lag.time.max.ms")
	}
	const topic, partitions = "isolated", int32(3)
	c := startClusterLinks(t, 3, map[string]string{"replica.lag.time.max.ms": "3000"}, links{inbound: true})
	c.createTopic(topic, partitions, minInsync2())
	prod := newChaosProducer(c, topic, partitions)
	stop := prod.start(t)

	victim := c.zk.Leader(topic, 0)
	f := fault{what: fmt.Sprintf("leader %d cut from the brokers", victim), partition: 0, start: time.Now()}
	c.inbound[victim].Blackhole()
	harness.Eventually(t, 30*time.Second, "the isolated leader's ISR shrunk to itself", func() error {
		if isr := c.isrOf(topic, 0); len(isr) != 1 || isr[0] != victim {
			return fmt.Errorf("ISR %v", isr)
		}
		return nil
	})
	before := prod.rec.Acked(0)
	time.Sleep(2 * time.Second) // the fault itself: isolated this long after the shrink
	if got := prod.rec.Acked(0) - before; got != 0 {
		t.Errorf("%d writes acknowledged by a leader alone in its ISR at min.insync.replicas=2", got)
	}
	c.inbound[victim].Heal()
	c.zk.WaitFullIsr(topic, partitions, 60*time.Second)
	if err := prod.waitAcked(20, 30*time.Second); err != nil {
		t.Fatalf("after the link healed: %v", err)
	}
	f.end = time.Now()
	verdict(t, c, prod, stop, topic, partitions, f)
}
