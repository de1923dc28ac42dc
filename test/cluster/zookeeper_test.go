package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// startZKCluster starts ZooKeeper and n brokers (ids 1..n) on it.
func startZKCluster(t *testing.T, n int) []*harness.Broker {
	bs, _ := startZKClusterConnect(t, n)
	return bs
}

// startZKClusterConnect also returns the brokers' zookeeper.connect.
func startZKClusterConnect(t *testing.T, n int) ([]*harness.Broker, string) {
	t.Helper()
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq")
	var brokers []*harness.Broker
	for id := 1; id <= n; id++ {
		brokers = append(brokers, harness.StartBroker(t, harness.Options{BrokerID: int32(id), Zookeeper: connect}))
	}
	return brokers, connect
}

func seeds(bs []*harness.Broker) []string {
	var out []string
	for _, b := range bs {
		if !b.Exited() {
			out = append(out, b.Addr)
		}
	}
	return out
}

func adminFor(t *testing.T, addrs ...string) *kadm.Client {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return kadm.NewClient(cl)
}

// brokerMetadata asks with a fresh client, so no client-side metadata
// cache hides a change.
func brokerMetadata(ctx context.Context, addrs ...string) (kadm.BrokerDetails, int32, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		return nil, -1, err
	}
	defer cl.Close()
	md, err := kadm.NewClient(cl).BrokerMetadata(ctx)
	return md.Brokers, md.Controller, err
}

// leaders returns each partition's leader as one broker reports it.
func leaders(ctx context.Context, addr, topic string) (map[int32]int32, int32, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return nil, -1, err
	}
	defer cl.Close()
	md, err := kadm.NewClient(cl).Metadata(ctx, topic)
	if err != nil {
		return nil, -1, err
	}
	out := map[int32]int32{}
	for _, p := range md.Topics[topic].Partitions {
		out[p.Partition] = p.Leader
	}
	return out, md.Controller, nil
}

func TestZooKeeperClusterAgreesOnMetadata(t *testing.T) {
	bs, connect := startZKClusterConnect(t, 3)
	checkClusterAgrees(t, seeds(bs))
	checkCLIShowsCluster(t, bs[2].Addr)
	checkZKCLI(t, connect)
}

// checkClusterAgrees creates a 6-partition topic through the first broker
// and checks every broker reports the same leaders, spread over all of
// them; records produced through one broker land; the topic deletes and
// recreates at once. It returns the leaders.
func checkClusterAgrees(t *testing.T, addrs []string) map[int32]int32 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, a := range addrs {
		harness.Eventually(t, 20*time.Second, "all brokers live, seen by "+a, func() error {
			brokers, _, err := brokerMetadata(ctx, a)
			if err != nil || len(brokers) != len(addrs) {
				return fmt.Errorf("brokers %v err %v", brokers, err)
			}
			return nil
		})
	}
	adm := adminFor(t, addrs[0])
	if r, err := adm.CreateTopic(ctx, 6, 1, nil, "spread"); err != nil || r.Err != nil {
		t.Fatalf("create: %v %v", err, r.Err)
	}
	var want map[int32]int32
	for _, a := range addrs {
		harness.Eventually(t, 20*time.Second, "broker "+a+" agrees", func() error {
			got, _, err := leaders(ctx, a, "spread")
			if err != nil || len(got) != 6 {
				return fmt.Errorf("leaders %v err %v", got, err)
			}
			if want == nil {
				want = got
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				return fmt.Errorf("leaders %v, first broker said %v", got, want)
			}
			return nil
		})
	}
	led := map[int32]int{}
	for _, l := range want {
		led[l]++
	}
	if len(led) != len(addrs) {
		t.Fatalf("leaders %v: want the 6 partitions spread over %d brokers", want, len(addrs))
	}
	checkProduceLands(ctx, t, addrs, adm)
	if r, err := adm.DeleteTopics(ctx, "spread"); err != nil || r["spread"].Err != nil {
		t.Fatalf("delete: %v %+v", err, r)
	}
	if r, err := adm.CreateTopic(ctx, 2, 1, nil, "spread2"); err != nil || r.Err != nil {
		t.Fatalf("create after delete: %v %v", err, r.Err)
	}
	return want
}

func checkProduceLands(ctx context.Context, t *testing.T, addrs []string, adm *kadm.Client) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs[len(addrs)-1]), kgo.DefaultProduceTopic("spread"))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for i := range 60 {
		if err := cl.ProduceSync(ctx, kgo.StringRecord(fmt.Sprint(i))).FirstErr(); err != nil {
			t.Fatalf("produce %d: %v", i, err)
		}
	}
	ends, err := adm.ListEndOffsets(ctx, "spread")
	if err != nil {
		t.Fatal(err)
	}
	total := int64(0)
	ends.Each(func(o kadm.ListedOffset) { total += o.Offset })
	if total != 60 {
		t.Fatalf("end offsets sum to %d, want 60", total)
	}
}

func TestZooKeeperControllerFailover(t *testing.T) {
	bs := startZKCluster(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var first int32 = -1
	harness.Eventually(t, 20*time.Second, "a controller", func() error {
		_, c, err := brokerMetadata(ctx, bs[0].Addr)
		if err != nil || c < 1 {
			return fmt.Errorf("controller %d err %v", c, err)
		}
		first = c
		return nil
	})
	bs[first-1].Kill()
	rest := slices.DeleteFunc(slices.Clone(bs), func(b *harness.Broker) bool { return b.Opts.BrokerID == first })
	harness.Eventually(t, 30*time.Second, "a new controller among the survivors", func() error {
		brokers, c, err := brokerMetadata(ctx, seeds(rest)...)
		if err != nil {
			return err
		}
		if c == first || c < 1 || len(brokers) != 2 {
			return fmt.Errorf("controller %d with brokers %v", c, brokers)
		}
		return nil
	})
	bs[first-1].Start()
	harness.Eventually(t, 30*time.Second, "the killed broker rejoins", func() error {
		brokers, _, err := brokerMetadata(ctx, seeds(bs)...)
		if err != nil || len(brokers) != 3 {
			return fmt.Errorf("brokers %v err %v", brokers, err)
		}
		return nil
	})
}

// checkCLIShowsCluster checks `kq topics --describe` prints Kafka's
// partition lines.
func checkCLIShowsCluster(t *testing.T, addr string) {
	t.Helper()
	// spread2 was created through another broker: this one learns of it
	// with the controller's UpdateMetadata, a moment later.
	var res harness.Result
	harness.Eventually(t, 10*time.Second, "kq topics --describe on "+addr, func() error {
		res = harness.KQ(t, nil, "-b", addr, "topics", "--describe", "--topic", "spread2")
		if res.Code != 0 {
			return fmt.Errorf("exit %d: %s", res.Code, res.Stderr)
		}
		return nil
	})
	for p := range 2 {
		if !strings.Contains(res.Stdout, fmt.Sprintf("Topic: spread2\tPartition: %d\tLeader: ", p)) || !strings.Contains(res.Stdout, "\tReplicas: ") || !strings.Contains(res.Stdout, "\tIsr: ") {
			t.Fatalf("describe output lacks partition %d in Kafka's format:\n%s", p, res.Stdout)
		}
	}
}

// checkZKCLI checks `kq zk` shows the registrations and epochs.
func checkZKCLI(t *testing.T, connect string) {
	t.Helper()
	res := harness.KQ(t, nil, "zk", "ls", "/brokers/ids", "--zookeeper", connect)
	if res.Code != 0 || res.Stdout != "1\n2\n3\n" {
		t.Fatalf("kq zk ls /brokers/ids: exit %d, stdout %q, stderr %s", res.Code, res.Stdout, res.Stderr)
	}
	res = harness.KQ(t, nil, "zk", "get", "/controller_epoch", "--zookeeper", connect)
	if res.Code != 0 || strings.TrimSpace(res.Stdout) == "" {
		t.Fatalf("kq zk get /controller_epoch: exit %d, stdout %q, stderr %s", res.Code, res.Stdout, res.Stderr)
	}
	res = harness.KQ(t, nil, "zk", "get", "/no/such/node", "--zookeeper", connect)
	if res.Code != 3 {
		t.Fatalf("kq zk get of a missing node: exit %d, want 3 (not found)", res.Code)
	}
}
