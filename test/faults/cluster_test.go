package faults

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta/zkstore"
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
	zk      *kafkazk.Client
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
	store, err := zkstore.Connect(context.Background(), zk.ConnectString("/kq"), 10*time.Second, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	c.zk = kafkazk.New(store, slog.New(slog.DiscardHandler))
	c.waitKnown()
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

// waitKnown waits until every broker's metadata names all three: a topic
// of RF 3 created through one that knows fewer is refused.
func (c *cluster) waitKnown() {
	c.t.Helper()
	harness.Eventually(c.t, 30*time.Second, "3 brokers in every broker's metadata", func() error {
		for _, b := range c.brokerList() {
			err := c.ask(b.Addr, func(ctx context.Context, adm *kadm.Client) error {
				m, err := adm.BrokerMetadata(ctx)
				if err == nil && len(m.Brokers) != 3 {
					err = fmt.Errorf("brokers %v", m.Brokers)
				}
				return err
			})
			if err != nil {
				return fmt.Errorf("%s: %w", b.Addr, err)
			}
		}
		return nil
	})
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
	err := c.ask(c.brokers[1].Addr, func(ctx context.Context, adm *kadm.Client) error {
		r, err := adm.CreateTopic(ctx, partitions, 3, cfg, name)
		if err == nil {
			err = r.Err
		}
		return err
	})
	if err != nil {
		c.t.Fatalf("create %s: %v", name, err)
	}
	c.waitFullIsr(name, partitions, 30*time.Second)
}

// state is a partition state znode.
type state struct {
	Leader, LeaderEpoch int32
	ISR                 []int32
}

func (c *cluster) states(topic string) map[int32]state {
	c.t.Helper()
	raw, err := c.zk.PartitionStates(context.Background(), topic)
	if err != nil {
		c.t.Fatalf("read states of %s: %v", topic, err)
	}
	out := make(map[int32]state, len(raw))
	for p, s := range raw {
		isr := slices.Clone(s.ISR)
		slices.Sort(isr)
		out[p] = state{Leader: s.Leader, LeaderEpoch: s.LeaderEpoch, ISR: isr}
	}
	return out
}

func (c *cluster) waitFullIsr(topic string, partitions int32, within time.Duration) {
	c.t.Helper()
	harness.Eventually(c.t, within, "full ISR for "+topic, func() error {
		states := c.states(topic)
		for p := range partitions {
			if s, ok := states[p]; !ok || s.Leader < 0 || len(s.ISR) != 3 {
				return fmt.Errorf("partition %d: %+v", p, s)
			}
		}
		return nil
	})
}

// waitIsr waits until a partition's ISR is exactly want (sorted).
func (c *cluster) waitIsr(topic string, p int32, want []int32, within time.Duration) {
	c.t.Helper()
	harness.Eventually(c.t, within, fmt.Sprintf("ISR of %s-%d %v", topic, p, want), func() error {
		if got := c.states(topic)[p].ISR; !slices.Equal(got, want) {
			return fmt.Errorf("ISR %v", got)
		}
		return nil
	})
}

func (c *cluster) leader(topic string, p int32) int32 { return c.states(topic)[p].Leader }

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

// stopAll stops every broker cleanly, so their logs can be read.
func (c *cluster) stopAll() {
	c.t.Helper()
	for _, b := range c.brokerList() {
		if err := b.Stop(); err != nil {
			c.t.Errorf("stop broker %d: %v", b.Opts.BrokerID, err)
		}
	}
}
