package diskfaults

import (
	"context"
	"fmt"
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

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// cluster is a ZooKeeper server, three broker processes (ids 1..3) and a
// session of the test's own for reading znodes. Broker 1 has two log
// dirs, dirs[0] and dirs[1], so one can fail while the other serves.
type cluster struct {
	t       *testing.T
	brokers map[int32]*harness.Broker
	zk      *harness.ZKView
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
	c.zk = harness.ConnectZK(t, connect)
	harness.WaitBrokersKnown(t, c.brokers, 3)
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
	c.zk.WaitFullIsr(name, partitions, 30*time.Second)
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

// logDirsOf returns the log.dirs of a broker.
func (c *cluster) logDirsOf(id int32) []string {
	if id == 1 {
		return c.dirs
	}
	return []string{filepath.Join(c.brokers[id].DataDir, "logs")}
}

// ledBy returns those of parts whose leader is broker id.
func (c *cluster) ledBy(id int32, topic string, parts []int32) []int32 {
	st := c.zk.States(topic)
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
