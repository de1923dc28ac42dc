package groups

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// TestCoordinatorFailover kills the broker coordinating a consuming group
// on a 3-broker ZooKeeper cluster: the group moves to the new leader of its
// __consumer_offsets partition, keeps its committed offsets, and every
// record is consumed, at most the uncommitted ones twice.
func TestCoordinatorFailover(t *testing.T) {
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq")
	props := map[string]string{
		"group.initial.rebalance.delay.ms": "0", "offsets.topic.num.partitions": "10",
		"offsets.topic.replication.factor": "3", "default.replication.factor": "3",
	}
	var brokers []*harness.Broker
	for id := int32(1); id <= 3; id++ {
		brokers = append(brokers, harness.StartBroker(t, harness.Options{BrokerID: id, Zookeeper: connect, Props: props}))
	}
	addrs := []string{brokers[0].Addr, brokers[1].Addr, brokers[2].Addr}
	producer, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	adm := kadm.NewClient(producer)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A broker serves before every other has registered with it: RF=3 needs
	// all three in the metadata it answers from.
	harness.Eventually(t, 30*time.Second, "three brokers in every broker's metadata", func() error {
		for _, addr := range addrs {
			cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
			if err != nil {
				return err
			}
			m, err := kadm.NewClient(cl).BrokerMetadata(ctx)
			cl.Close()
			if err != nil || len(m.Brokers) != 3 {
				return fmt.Errorf("%s: brokers %v err %v", addr, m.Brokers, err)
			}
		}
		return nil
	})
	if resp, err := adm.CreateTopic(ctx, 3, 3, nil, "pay"); err != nil || resp.Err != nil {
		t.Fatalf("create topic: %v %v", err, resp.Err)
	}
	tr := newTracker(t, "pay", 3)
	ends := produce(t, producer, "pay", 300)
	startMember(t, tr, addrs[0], "g", "a", nil)
	startMember(t, tr, addrs[1], "g", "b", nil)
	tr.waitFor(60*time.Second, "both members own the partitions", tr.ownedBy("a", "b"))
	tr.waitFor(30*time.Second, "the first records consumed", tr.consumedUpTo(ends))

	committedEnds := maps.Clone(ends)
	harness.Eventually(t, 30*time.Second, "the group committed every record so far", func() error {
		offs, err := adm.FetchOffsets(ctx, "g")
		if err != nil {
			return err
		}
		for p, end := range committedEnds {
			if o, ok := offs.Lookup("pay", p); !ok || o.At != end {
				return fmt.Errorf("pay-%d committed at %d, end %d", p, o.At, end)
			}
		}
		return nil
	})
	described, err := adm.DescribeGroups(ctx, "g")
	if err != nil {
		t.Fatal(err)
	}
	old := described["g"].Coordinator.NodeID
	start := time.Now()
	brokers[old-1].Kill()
	t.Logf("killed broker %d, the group's coordinator", old)

	mergeEnds(ends, produce(t, producer, "pay", 300))
	tr.waitFor(90*time.Second, "every record consumed after the failover", tr.consumedUpTo(ends))
	t.Logf("consumption resumed after the coordinator's death within %v; records re-delivered: %d of %d",
		time.Since(start), tr.redelivered(), sum(ends))
	if n := tr.redeliveredBelow(committedEnds); n != 0 {
		t.Fatalf("%d records committed before the failover were delivered again", n)
	}
	harness.Eventually(t, 60*time.Second, "a new coordinator with the committed offsets", func() error {
		d, err := adm.DescribeGroups(ctx, "g")
		if err != nil {
			return err
		}
		if c := d["g"].Coordinator.NodeID; c == old || c < 0 {
			return fmt.Errorf("coordinator still %d", c)
		}
		offs, err := adm.FetchOffsets(ctx, "g")
		if err != nil {
			return err
		}
		if o, ok := offs.Lookup("pay", 0); !ok || o.At <= 0 {
			return fmt.Errorf("no committed offset for pay-0 yet")
		}
		return nil
	})
}
