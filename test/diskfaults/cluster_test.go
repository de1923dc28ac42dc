package diskfaults

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta/zkstore"
	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// cluster is a ZooKeeper server, three broker processes (ids 1..3) and a
// session of the test's own for reading znodes. Broker 1 has two log
// dirs, dirs[0] and dirs[1], so one can fail while the other serves.
type cluster struct {
	t       *testing.T
	brokers map[int32]*harness.Broker
	zk      *kafkazk.Client
	dirs    []string // broker 1's log.dirs
}

// startCluster starts ZooKeeper and three brokers; broker 1's log.dirs
// are dirs (made by the caller, e.g. a tmpfs mount), the others have one.
func startCluster(t *testing.T, dirs []string, props map[string]string) *cluster {
	t.Helper()
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq")
	c := &cluster{t: t, brokers: map[int32]*harness.Broker{}, dirs: dirs}
	all := map[string]string{
		"zookeeper.session.timeout.ms": "6000",
		"replica.fetch.backoff.ms":     "100",
		"replica.lag.time.max.ms":      "5000",
	}
	maps.Copy(all, props)
	for id := int32(1); id <= 3; id++ {
		opts := harness.Options{BrokerID: id, Zookeeper: connect, Props: maps.Clone(all)}
		if id == 1 {
			opts.Props["log.dirs"] = strings.Join(dirs, ",")
		}
		c.brokers[id] = harness.StartBroker(t, opts)
	}
	store, err := zkstore.Connect(context.Background(), connect, 10*time.Second, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	c.zk = kafkazk.New(store, slog.New(slog.DiscardHandler))
	harness.Eventually(t, 30*time.Second, "3 brokers in every broker's metadata", func() error {
		for _, b := range c.brokers {
			if err := knowsBrokers(b.Addr, 3); err != nil {
				return err
			}
		}
		return nil
	})
	return c
}

func knowsBrokers(addr string, n int) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := kadm.NewClient(cl).BrokerMetadata(ctx)
	if err != nil || len(m.Brokers) != n {
		return fmt.Errorf("%s: brokers %v err %v", addr, m.Brokers, err)
	}
	return nil
}

// addrs returns the addresses of the brokers whose process runs.
func (c *cluster) addrs() []string {
	var out []string
	for id := int32(1); id <= 3; id++ {
		if b := c.brokers[id]; !b.Exited() {
			out = append(out, b.Addr)
		}
	}
	return out
}

func (c *cluster) client(opts ...kgo.Opt) *kgo.Client {
	c.t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(c.addrs()...)}, opts...)...)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(cl.Close)
	return cl
}

// createTopic creates a topic whose partitions 0, 1 have replicas 1, 2, 3
// and 2, 3 have 2, 1, 3, and so on, with min.insync.replicas=2 and more
// configs, and waits for every partition's whole ISR. With two log dirs,
// broker 1 keeps the even partitions in its first and the odd ones in its
// second (it fills the emptier dir first), so in each dir it leads one of
// four partitions and follows the other.
func (c *cluster) createTopic(name string, partitions int32, configs map[string]string) {
	c.t.Helper()
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = 30000
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = name, -1, -1
	for p := range partitions {
		replicas := []int32{1, 2, 3}
		if p/2%2 == 1 {
			replicas = []int32{2, 1, 3}
		}
		rt.ReplicaAssignment = append(rt.ReplicaAssignment, kmsg.CreateTopicsRequestTopicReplicaAssignment{Partition: p, Replicas: replicas})
	}
	configs = maps.Clone(configs)
	if configs == nil {
		configs = map[string]string{}
	}
	configs["min.insync.replicas"] = "2"
	for _, k := range slices.Sorted(maps.Keys(configs)) {
		v := configs[k]
		rt.Configs = append(rt.Configs, kmsg.CreateTopicsRequestTopicConfig{Name: k, Value: &v})
	}
	req.Topics = []kmsg.CreateTopicsRequestTopic{rt}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := req.RequestWith(ctx, c.client())
	if err != nil {
		c.t.Fatalf("create %s: %v", name, err)
	}
	if err := kerr.ErrorForCode(resp.Topics[0].ErrorCode); err != nil {
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
		out[p] = state{Leader: s.Leader, LeaderEpoch: s.LeaderEpoch, ISR: s.ISR}
	}
	return out
}

// waitFullIsr waits until every partition's state has a leader and all
// three replicas in the ISR.
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

// inDir lists the partitions of topic that broker 1 keeps in log dir dir.
func (c *cluster) inDir(dir, topic string, partitions int32) []int32 {
	var out []int32
	for p := range partitions {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("%s-%d", topic, p))); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// stopAll stops every broker cleanly, so their logs can be read from disk.
func (c *cluster) stopAll() {
	c.t.Helper()
	for _, b := range c.brokers {
		if err := b.Stop(); err != nil {
			c.t.Errorf("stop broker %d: %v", b.Opts.BrokerID, err)
		}
	}
}

// logDirsOf returns the log.dirs of a broker.
func (c *cluster) logDirsOf(id int32) []string {
	if id == 1 {
		return c.dirs
	}
	return []string{filepath.Join(c.brokers[id].DataDir, "logs")}
}

// ledBy returns those of parts whose leader is broker id.
func (c *cluster) ledBy(id int32, topic string, parts []int32) []int32 {
	st := c.states(topic)
	var out []int32
	for _, p := range parts {
		if st[p].Leader == id {
			out = append(out, p)
		}
	}
	return out
}

// topicID returns a topic's id as the brokers' metadata has it.
func (c *cluster) topicID(topic string) [16]byte {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := kadm.NewClient(c.client()).Metadata(ctx, topic)
	if err != nil {
		c.t.Fatalf("metadata of %s: %v", topic, err)
	}
	return m.Topics[topic].ID
}
