package replication

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

// sessionTimeout is the brokers' zookeeper.session.timeout.ms.
const sessionTimeout = 6 * time.Second

// cluster is a ZooKeeper server, n broker processes (ids 1..n) and a
// session of the test's own for reading znodes.
type cluster struct {
	t       *testing.T
	connect string
	brokers map[int32]*harness.Broker
	zk      *harness.ZKView
	// zkServer is the ZooKeeper process, for tests that stop it.
	zkServer *zktest.Server
	// zkLinks are the brokers' links to ZooKeeper when they go through
	// fault proxies (startClusterLinks).
	zkLinks map[int32]*harness.FaultProxy
	// inbound are the proxies in front of each broker's inter-broker
	// listener when links.inbound is set.
	inbound map[int32]*harness.FaultProxy
}

func startCluster(t *testing.T, n int, props map[string]string) *cluster {
	t.Helper()
	return startClusterLinks(t, n, props, links{})
}

// links says which of a cluster's links go through fault proxies.
type links struct {
	// zk: each broker reaches ZooKeeper through its own proxy
	// (cluster.zkLinks), so a test can cut one broker off ZooKeeper.
	zk bool
	// inbound: brokers reach each broker through a proxy in front of its
	// inter-broker listener INTERNAL (cluster.inbound), while clients use
	// its PLAINTEXT listener directly, so a test can cut one broker off the
	// other brokers (replication, the controller) but not off clients.
	inbound bool
}

// startClusterLinks is startCluster with some links behind fault proxies.
func startClusterLinks(t *testing.T, n int, props map[string]string, l links) *cluster {
	t.Helper()
	zk := zktest.Start(t)
	c := &cluster{t: t, connect: zk.ConnectString("/kq"), brokers: map[int32]*harness.Broker{}, zkServer: zk,
		zkLinks: map[int32]*harness.FaultProxy{}, inbound: map[int32]*harness.FaultProxy{}}
	all := map[string]string{
		"zookeeper.session.timeout.ms": fmt.Sprint(sessionTimeout.Milliseconds()),
		"replica.fetch.backoff.ms":     "100",
	}
	for k, v := range props {
		all[k] = v
	}
	for id := int32(1); id <= int32(n); id++ {
		opts := harness.Options{BrokerID: id, Zookeeper: c.connect, Props: maps.Clone(all)}
		if l.zk {
			c.zkLinks[id] = harness.StartProxy(t, zk.Addr())
			opts.Zookeeper = c.zkLinks[id].Addr() + "/kq"
		}
		if l.inbound {
			opts.Port = harness.FreePort(t)
			internal := fmt.Sprintf("127.0.0.1:%d", harness.FreePort(t))
			c.inbound[id] = harness.StartProxy(t, internal)
			opts.Props["listeners"] = fmt.Sprintf("PLAINTEXT://127.0.0.1:%d,INTERNAL://%s", opts.Port, internal)
			opts.Props["advertised.listeners"] = fmt.Sprintf("PLAINTEXT://127.0.0.1:%d,INTERNAL://%s", opts.Port, c.inbound[id].Addr())
			opts.Props["listener.security.protocol.map"] = "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT"
			opts.Props["inter.broker.listener.name"] = "INTERNAL"
		}
		c.brokers[id] = harness.StartBroker(t, opts)
	}
	c.zk = harness.ConnectZK(t, c.connect)
	c.waitBrokers(n)
	harness.WaitBrokersKnown(t, c.brokers, n)
	return c
}

// addrs returns the addresses of the brokers whose process runs.
func (c *cluster) addrs() []string { return harness.RunningAddrs(c.brokers) }

func (c *cluster) client(opts ...kgo.Opt) *kgo.Client {
	c.t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(c.addrs()...)}, opts...)...)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(cl.Close)
	return cl
}

// clientFor returns a client of one broker, for the caller to close.
func (c *cluster) clientFor(addr string) *kgo.Client {
	c.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		c.t.Fatal(err)
	}
	return cl
}

func (c *cluster) waitBrokers(n int) {
	c.t.Helper()
	harness.Eventually(c.t, 30*time.Second, fmt.Sprintf("%d live brokers", n), func() error {
		live, _, err := c.zk.LiveBrokers(context.Background())
		if err != nil || len(live) != n {
			return fmt.Errorf("live %v err %v", live, err)
		}
		return nil
	})
}

// createTopic creates a topic with replication factor 3 and waits until
// every partition has its whole assignment in the ISR.
func (c *cluster) createTopic(name string, partitions int32, configs map[string]*string) {
	c.t.Helper()
	c.zk.CreateTopicRF3(kadm.NewClient(c.client()), 30*time.Second, name, partitions, configs)
}

// waitNewLeader waits until the partition has a live leader other than
// old, and returns it.
func (c *cluster) waitNewLeader(topic string, p, old int32, within time.Duration) int32 {
	c.t.Helper()
	var got int32
	harness.Eventually(c.t, within, fmt.Sprintf("%s-%d led by a broker other than %d", topic, p, old), func() error {
		s := c.zk.States(topic)[p]
		if s.Leader < 0 || s.Leader == old {
			return fmt.Errorf("state %+v", s)
		}
		got = s.Leader
		return nil
	})
	return got
}

// isrOf returns a partition's ISR as its state znode says, sorted.
func (c *cluster) isrOf(topic string, p int32) []int32 { return c.zk.States(topic)[p].ISR }
