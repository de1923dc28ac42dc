package metrics

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// zkCluster is n broker processes (ids 1..n) on one ZooKeeper, each
// serving its metrics on its own port.
type zkCluster struct {
	t       *testing.T
	brokers map[int32]*harness.Broker
	metrics map[int32]string
}

func startZKCluster(t *testing.T, n int, props map[string]string) *zkCluster {
	t.Helper()
	zk := zktest.Start(t)
	c := &zkCluster{t: t, brokers: map[int32]*harness.Broker{}, metrics: map[int32]string{}}
	for id := int32(1); id <= int32(n); id++ {
		all := map[string]string{"replica.fetch.backoff.ms": "100"}
		for k, v := range props {
			all[k] = v
		}
		c.metrics[id] = metricsAddr(t)
		all["kq.metrics.listener"] = c.metrics[id]
		c.brokers[id] = harness.StartBroker(t, harness.Options{BrokerID: id, Zookeeper: zk.ConnectString("/kq"), Props: all})
	}
	for id := range c.brokers {
		waitReady(t, c.metrics[id])
	}
	harness.WaitBrokersKnown(t, c.brokers, n)
	return c
}

// admin returns an admin client of the brokers still running.
func (c *zkCluster) admin() *kadm.Client { return kadm.NewClient(c.client()) }

// client returns a client of the brokers still running.
func (c *zkCluster) client() *kgo.Client {
	c.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(harness.RunningAddrs(c.brokers)...))
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(cl.Close)
	return cl
}

// waitIsr waits until every partition of topic has the ISR isr wants.
func (c *zkCluster) waitIsr(topic string, what string, ok func(replicas, isr []int32, leader int32) bool) {
	c.t.Helper()
	adm := c.admin()
	harness.Eventually(c.t, 60*time.Second, topic+" "+what, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		td, err := adm.ListTopics(ctx, topic)
		if err != nil {
			return err
		}
		t, found := td[topic]
		if !found || t.Err != nil || len(t.Partitions) == 0 {
			return fmt.Errorf("topic %s: %v", topic, t.Err)
		}
		for _, p := range t.Partitions {
			if !ok(p.Replicas, p.ISR, p.Leader) {
				return fmt.Errorf("partition %d: leader %d replicas %v ISR %v", p.Partition, p.Leader, p.Replicas, p.ISR)
			}
		}
		return nil
	})
}

func fullIsr(replicas, isr []int32, _ int32) bool { return len(isr) == len(replicas) }

// sum adds one series over the brokers given; a broker without the series
// (a request it never served) adds 0.
func (c *zkCluster) sum(name string, ids ...int32) (float64, error) {
	var total float64
	for _, id := range ids {
		s, err := scrape(c.metrics[id])
		if err != nil {
			return 0, err
		}
		total += s[name]
	}
	return total, nil
}

func (c *zkCluster) waitSum(name string, want func(float64) bool, what string, ids ...int32) {
	c.t.Helper()
	harness.Eventually(c.t, 60*time.Second, fmt.Sprintf("%s over brokers %v %s", name, ids, what), func() error {
		v, err := c.sum(name, ids...)
		if err != nil {
			return err
		}
		if !want(v) {
			return fmt.Errorf("%s = %v", name, v)
		}
		return nil
	})
}

// TestDeadBrokerRaisesUnderReplicated kills one broker of three: the
// others, leading every partition now, report each as under-replicated;
// when it comes back and catches up, the leaders expand the ISRs and the
// count returns to zero.
func TestDeadBrokerRaisesUnderReplicated(t *testing.T) {
	c := startZKCluster(t, 3, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const parts = 3
	if r, err := c.admin().CreateTopic(ctx, parts, 3, nil, "u"); err != nil || r.Err != nil {
		t.Fatalf("create: %v %v", err, r.Err)
	}
	c.waitIsr("u", "full ISR", fullIsr)
	const urp = "kafka_server_replicamanager_underreplicatedpartitions"
	c.waitSum(urp, equals(0), "= 0", 1, 2, 3)
	c.waitSum("kafka_server_replicamanager_leadercount", func(v float64) bool { return v >= parts }, ">= 3", 1, 2, 3)
	c.waitSum("kafka_controller_kafkacontroller_activecontrollercount", equals(1), "= 1 (one controller)", 1, 2, 3)
	c.waitSum(`kafka_network_requestmetrics_requests_total{request="FetchFollower"}`, func(v float64) bool { return v > 0 }, "> 0", 1, 2, 3)

	c.brokers[3].Kill()
	c.waitIsr("u", "without broker 3", func(_, isr []int32, leader int32) bool {
		return !slices.Contains(isr, 3) && leader != 3 && leader >= 0
	})
	c.waitSum(urp, equals(parts), "= every partition", 1, 2)
	c.waitSum("kafka_controller_kafkacontroller_activecontrollercount", equals(1), "= 1 after the kill", 1, 2)

	expandsBefore, err := c.sum("kafka_server_replicamanager_isrexpands_total", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	c.brokers[3].Start()
	c.waitIsr("u", "full ISR again", fullIsr)
	c.waitSum(urp, equals(0), "= 0 again", 1, 2, 3)
	c.waitSum("kafka_server_replicamanager_isrexpands_total", func(v float64) bool { return v >= expandsBefore+parts },
		fmt.Sprintf(">= %v (each partition's leader took broker 3 back)", expandsBefore+parts), 1, 2)
}
