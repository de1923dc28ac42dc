package replication

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

// metadataIsr asks a broker (its metadata cache, fed by the controller's
// UpdateMetadata) for a partition's ISR, sorted.
func (c *cluster) metadataIsr(addr, topic string, p int32) ([]int32, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl := c.clientFor(addr)
	defer cl.Close()
	md, err := kadm.NewClient(cl).Metadata(ctx, topic)
	if err != nil {
		return nil, err
	}
	pd, ok := md.Topics[topic].Partitions[p]
	if !ok {
		return nil, fmt.Errorf("no partition %d in metadata", p)
	}
	isr := slices.Clone(pd.ISR)
	slices.Sort(isr)
	return isr, nil
}

// A follower that stops fetching (frozen, its session still alive) leaves
// the ISR after replica.lag.time.max.ms by the leader's own write, before
// the controller would notice its session expire; the change reaches every
// broker's metadata through the isr_change notification; acks=all goes on
// with the two left; thawed, the follower catches up and rejoins.
func TestLaggingFollowerLeavesAndRejoinsIsr(t *testing.T) {
	const lag = 1500 * time.Millisecond
	c := startCluster(t, 3, map[string]string{
		"replica.lag.time.max.ms": fmt.Sprint(lag.Milliseconds()),
		// Long enough that only the leader can be the one shrinking the ISR.
		"zookeeper.session.timeout.ms": "20000",
	})
	c.createTopic("lag", 1, minInsync2())
	cl := c.producer()
	leader := c.zk.Leader("lag", 0)
	controller, _, err := c.zk.Controller(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	victim := int32(1) // a follower, and not the controller that must propagate the change
	for victim == leader || victim == controller {
		victim++
	}
	frozenAt := time.Now()
	c.brokers[victim].Freeze()
	defer c.brokers[victim].Thaw()
	produceN(t, cl, "lag", 0, "frozen", 50) // waits until the ISR drops the victim
	shrunk := time.Since(frozenAt)
	if isr := c.isrOf("lag", 0); slices.Contains(isr, victim) || len(isr) != 2 {
		t.Fatalf("ISR %v after acks=all writes with broker %d frozen, want it dropped", isr, victim)
	}
	t.Logf("frozen follower dropped from the ISR and acks=all served after %v (replica.lag.time.max.ms %v)", shrunk.Round(time.Millisecond), lag)
	other := c.brokers[leader].Addr
	for id, b := range c.brokers {
		if id != leader && id != victim {
			other = b.Addr
		}
	}
	harness.Eventually(t, 10*time.Second, "a follower's metadata shows the shrunk ISR", func() error {
		isr, err := c.metadataIsr(other, "lag", 0)
		if err != nil || slices.Contains(isr, victim) || len(isr) != 2 {
			return fmt.Errorf("isr %v err %v", isr, err)
		}
		return nil
	})
	c.brokers[victim].Thaw()
	c.zk.WaitFullIsr("lag", 1, 20*time.Second)
	harness.Eventually(t, 10*time.Second, "metadata shows the whole ISR again", func() error {
		isr, err := c.metadataIsr(other, "lag", 0)
		if err != nil || len(isr) != 3 {
			return fmt.Errorf("isr %v err %v", isr, err)
		}
		return nil
	})
	names, _, _, err := c.zk.IsrChanges(context.Background())
	if err != nil || len(names) != 0 {
		t.Fatalf("ISR change notifications left behind: %v (err %v)", names, err)
	}
}
