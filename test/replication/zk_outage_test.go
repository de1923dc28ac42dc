package replication

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

// TestZooKeeperOutage: ZooKeeper is down for longer than the brokers'
// session timeout while acks=all writes go on, then comes back. Without
// ZooKeeper the brokers keep serving what they led (as Kafka does: no
// leader or ISR can change, so writes succeed while the ISR holds); when
// it returns their sessions resume (ZooKeeper restarts the session clocks
// on start-up), every broker is still registered, one controller acts,
// and no acknowledged write is lost.
func TestZooKeeperOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("the outage lasts longer than a session timeout")
	}
	const topic, partitions = "zk-outage", int32(3)
	c := startCluster(t, 3, nil)
	c.createTopic(topic, partitions, minInsync2())
	prod := newChaosProducer(c, topic, partitions)
	stop := prod.start(t)

	outage := fault{what: fmt.Sprintf("ZooKeeper down %v", sessionTimeout+4*time.Second), partition: 0, start: time.Now()}
	c.zkServer.Stop()
	if err := prod.waitAcked(20, 20*time.Second); err != nil {
		t.Fatalf("without ZooKeeper: %v", err)
	}
	time.Sleep(time.Until(outage.start.Add(sessionTimeout + 4*time.Second))) // the fault itself: down this long
	if err := c.zkServer.Restart(); err != nil {
		t.Fatalf("restart ZooKeeper: %v", err)
	}
	c.waitBrokers(3)
	c.zk.WaitFullIsr(topic, partitions, 30*time.Second)
	if err := prod.waitAcked(20, 30*time.Second); err != nil {
		t.Fatalf("after ZooKeeper returned: %v", err)
	}
	outage.end = time.Now()
	c.checkOneController()
	verdict(t, c, prod, stop, topic, partitions, outage)
}

// checkOneController checks that every broker names the same controller
// in its metadata, the one /controller names.
func (c *cluster) checkOneController() {
	c.t.Helper()
	harness.Eventually(c.t, 30*time.Second, "one controller, known to every broker", func() error {
		id, _, err := c.zk.Controller(context.Background())
		if err != nil {
			return err
		}
		for _, addr := range c.addrs() {
			if got := c.controllerSeenBy(addr); got != id {
				return fmt.Errorf("%s names controller %d, /controller says %d", addr, got, id)
			}
		}
		return nil
	})
}

// controllerSeenBy is the controller id in the metadata of the broker at
// addr, -1 when it cannot say.
func (c *cluster) controllerSeenBy(addr string) int32 {
	cl := c.clientFor(addr)
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := kadm.NewClient(cl).BrokerMetadata(ctx)
	if err != nil {
		return -1
	}
	return m.Controller
}
