package replication

import (
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

// fault is one injected failure and when the cluster was whole again.
type fault struct {
	what       string
	partition  int32 // the partition whose leader (or follower) was hit
	start, end time.Time
}

// TestFaultInjection: acks=all writes of unique values
// to an RF=3 topic with min.insync.replicas=2 while the test SIGKILLs
// partition leaders, freezes a leader past its session timeout and thaws
// it, kills a follower, and restarts a leader cleanly. Afterwards every
// acknowledged value is present, in acknowledgement order per partition,
// and all replicas hold identical logs up to the high watermark.
func TestFaultInjection(t *testing.T) {
	if testing.Short() {
		t.Skip("fault injection takes about a minute")
	}
	const topic, partitions = "chaos", int32(3)
	c := startCluster(t, 3, nil)
	c.createTopic(topic, partitions, minInsync2())
	prod := newChaosProducer(c, topic, partitions)
	stop := prod.start(t)
	healthy := func() {
		c.zk.WaitFullIsr(topic, partitions, 30*time.Second)
		if err := prod.waitAcked(20, 30*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	healthy()
	var faults []fault
	faults = append(faults, killLeader(c, topic, 0, healthy))
	faults = append(faults, freezeLeader(c, topic, 1, healthy))
	faults = append(faults, killLeader(c, topic, 2, healthy))
	faults = append(faults, killFollower(c, topic, 0, healthy))
	faults = append(faults, restartLeader(c, topic, 1, healthy))
	stop()
	if err := prod.flush(30 * time.Second); err != nil {
		t.Fatalf("flush: %v", err)
	}
	c.zk.WaitFullIsr(topic, partitions, 30*time.Second)
	report(t, c, prod, topic, faults)
	harness.StopAll(c.t, c.brokers)
	for p := range partitions {
		checkReplicasAgree(t, c, topic, p)
	}
}

// killLeader SIGKILLs a partition's leader, waits for a new one, and
// restarts the broker.
func killLeader(c *cluster, topic string, p int32, healthy func()) fault {
	old := c.zk.Leader(topic, p)
	f := fault{what: fmt.Sprintf("SIGKILL leader %d", old), partition: p, start: time.Now()}
	c.brokers[old].Kill()
	c.waitNewLeader(topic, p, old, sessionTimeout+5*time.Second)
	c.brokers[old].Start()
	healthy()
	f.end = time.Now()
	return f
}

// freezeLeader SIGSTOPs a partition's leader past its session timeout,
// then thaws it: it must come back as a follower.
func freezeLeader(c *cluster, topic string, p int32, healthy func()) fault {
	old := c.zk.Leader(topic, p)
	f := fault{what: fmt.Sprintf("SIGSTOP leader %d for %v", old, sessionTimeout+2*time.Second), partition: p, start: time.Now()}
	c.brokers[old].Freeze()
	c.waitNewLeader(topic, p, old, sessionTimeout+5*time.Second)
	time.Sleep(time.Until(f.start.Add(sessionTimeout + 2*time.Second))) // the fault itself: frozen this long
	c.brokers[old].Thaw()
	healthy()
	f.end = time.Now()
	return f
}

// killFollower SIGKILLs a broker that follows the partition and, once the
// controller dropped it from the ISR, restarts it.
func killFollower(c *cluster, topic string, p int32, healthy func()) fault {
	leader := c.zk.Leader(topic, p)
	victim := int32(1)
	for victim == leader {
		victim++
	}
	f := fault{what: fmt.Sprintf("SIGKILL follower %d", victim), partition: p, start: time.Now()}
	c.brokers[victim].Kill()
	c.waitBrokers(2)
	c.brokers[victim].Start()
	healthy()
	f.end = time.Now()
	return f
}

// restartLeader stops a partition's leader with SIGTERM and starts it
// again.
func restartLeader(c *cluster, topic string, p int32, healthy func()) fault {
	old := c.zk.Leader(topic, p)
	f := fault{what: fmt.Sprintf("SIGTERM+restart leader %d", old), partition: p, start: time.Now()}
	if err := c.brokers[old].Stop(); err != nil {
		c.t.Errorf("stop broker %d: %v", old, err)
	}
	c.brokers[old].Start()
	healthy()
	f.end = time.Now()
	return f
}

// report reads every partition back as the checker's final consumer,
// logs the checker's table and each fault's unavailability, and fails the
// test on an anomaly: an acknowledged record lost, two values at one
// offset (an acknowledged record elsewhere than its offset), records
// written out of the order they were acknowledged in, reads going
// backwards or skipping, and duplicates from an idempotent producer.
func report(t *testing.T, c *cluster, prod *chaosProducer, topic string, faults []fault) checker.Result {
	t.Helper()
	r := prod.check(t, c.consumeRecords(topic))
	h := prod.rec.History()
	for _, f := range faults {
		t.Logf("  %-34s partition %d unavailable (longest gap between acks) %v", f.what, f.partition,
			checker.UnavailableBetween(h, f.partition, f.start, f.end).Round(time.Millisecond))
	}
	return r
}
