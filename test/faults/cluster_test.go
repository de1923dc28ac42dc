package faults

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

// sessionTimeout is the brokers' zookeeper.session.timeout.ms.
const sessionTimeout = 6 * time.Second

// cluster is ZooKeeper and three brokers (ids 1..3) whose every link goes
// through a fault proxy, and a session of the test's own for reading
// znodes.
type cluster struct {
	t       *testing.T
	zk      *harness.ZKView
	brokers map[int32]*harness.Broker
	// zkLinks: each broker's link to ZooKeeper.
	zkLinks map[int32]*harness.FaultProxy
	// peers: the links into each broker's inter-broker listener INTERNAL,
	// one per connecting broker (link).
	peers map[int32]*harness.PairLinks
	// clients: the link of every client into each broker's PLAINTEXT
	// listener, which the broker advertises.
	clients map[int32]*harness.FaultProxy
}

func startCluster(t *testing.T, props map[string]string) *cluster {
	t.Helper()
	zk := zktest.Start(t)
	c := &cluster{t: t, brokers: map[int32]*harness.Broker{}, zkLinks: map[int32]*harness.FaultProxy{},
		peers: map[int32]*harness.PairLinks{}, clients: map[int32]*harness.FaultProxy{}}
	for id := int32(1); id <= 3; id++ {
		c.brokers[id] = harness.StartBroker(t, c.options(id, zk.Addr(), props))
	}
	c.zk = harness.ConnectZK(t, zk.ConnectString("/kq"))
	harness.WaitBrokersKnown(t, c.brokers, 3)
	return c
}

// options configures broker id with its three kinds of links.
func (c *cluster) options(id int32, zkAddr string, props map[string]string) harness.Options {
	c.zkLinks[id] = harness.StartProxy(c.t, zkAddr)
	port := harness.FreePort(c.t)
	internal := fmt.Sprintf("127.0.0.1:%d", harness.FreePort(c.t))
	c.peers[id] = harness.StartPairLinks(c.t, internal)
	c.clients[id] = harness.StartProxy(c.t, fmt.Sprintf("127.0.0.1:%d", port))
	all := map[string]string{
		"zookeeper.session.timeout.ms":   fmt.Sprint(sessionTimeout.Milliseconds()),
		"replica.fetch.backoff.ms":       "100",
		"replica.lag.time.max.ms":        "3000",
		"listeners":                      fmt.Sprintf("PLAINTEXT://127.0.0.1:%d,INTERNAL://%s", port, internal),
		"advertised.listeners":           fmt.Sprintf("PLAINTEXT://%s,INTERNAL://%s", c.clients[id].Addr(), c.peers[id].Addr()),
		"listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT",
		"inter.broker.listener.name":     "INTERNAL",
	}
	for k, v := range props {
		all[k] = v
	}
	return harness.Options{BrokerID: id, Zookeeper: c.zkLinks[id].Addr() + "/kq", Port: port, Props: all}
}

// link is the link from broker from to broker to's inter-broker listener.
func (c *cluster) link(from, to int32) *harness.FaultProxy {
	return c.peers[to].From(c.brokers[from].Pid())
}

// pairs returns the links between id and every other broker, both ways.
func (c *cluster) pairs(id int32) []*harness.FaultProxy {
	var out []*harness.FaultProxy
	for other := range c.brokers {
		if other != id {
			out = append(out, c.link(id, other), c.link(other, id))
		}
	}
	return out
}

// clientAddrs are the brokers' advertised client addresses (the proxies).
func (c *cluster) clientAddrs() []string {
	var out []string
	for id := int32(1); id <= 3; id++ {
		out = append(out, c.clients[id].Addr())
	}
	return out
}

// ask runs fn with a client of one broker's own PLAINTEXT listener,
// which no fault touches: the test's own questions.
func (c *cluster) ask(addr string, fn func(ctx context.Context, adm *kadm.Client) error) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return fn(ctx, kadm.NewClient(cl))
}

// createTopic creates an RF 3 topic with min.insync.replicas=2 and waits
// for every partition's whole assignment in the ISR.
func (c *cluster) createTopic(name string, partitions int32) {
	c.createTopicMinIsr(name, partitions, "2")
}

// createTopicMinIsr is createTopic with another min.insync.replicas.
func (c *cluster) createTopicMinIsr(name string, partitions int32, minIsr string) {
	c.createTopicConfigs(name, partitions, map[string]string{"min.insync.replicas": minIsr})
}

// createTopicConfigs creates an RF 3 topic with configs and waits for
// every partition's whole assignment in the ISR.
func (c *cluster) createTopicConfigs(name string, partitions int32, configs map[string]string) {
	c.t.Helper()
	cfg := map[string]*string{}
	for k, v := range configs {
		cfg[k] = &v
	}
	// Through broker 1's own PLAINTEXT listener, which no fault touches.
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.brokers[1].Addr))
	if err != nil {
		c.t.Fatal(err)
	}
	defer cl.Close()
	c.zk.CreateTopicRF3(kadm.NewClient(cl), 10*time.Second, name, partitions, cfg)
}

// waitIsr waits until a partition's ISR is exactly want (sorted).
func (c *cluster) waitIsr(topic string, p int32, want []int32, within time.Duration) {
	c.t.Helper()
	harness.Eventually(c.t, within, fmt.Sprintf("ISR of %s-%d %v", topic, p, want), func() error {
		if got := c.zk.States(topic)[p].ISR; !slices.Equal(got, want) {
			return fmt.Errorf("ISR %v", got)
		}
		return nil
	})
}

// controller is the broker /controller names.
func (c *cluster) controller() int32 {
	c.t.Helper()
	id, _, err := c.zk.Controller(context.Background())
	if err != nil {
		c.t.Fatalf("read /controller: %v", err)
	}
	return id
}

// brokerList returns the brokers by id.
func (c *cluster) brokerList() []*harness.Broker {
	return []*harness.Broker{c.brokers[1], c.brokers[2], c.brokers[3]}
}
