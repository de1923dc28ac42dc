package harness

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta/zkstore"
)

// ZKView is a test's own ZooKeeper session on a cluster of broker
// processes: it reads the znodes the brokers and their controller write,
// so a test checks the cluster's state where Kafka keeps it rather than
// through a broker that may be the one under test. Its reads fail the test.
type ZKView struct {
	*kafkazk.Client
	t testing.TB
}

// ConnectZK opens a ZKView on connect (with its chroot), closed at cleanup.
func ConnectZK(t testing.TB, connect string) *ZKView {
	t.Helper()
	store, err := zkstore.Connect(context.Background(), connect, 10*time.Second, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return &ZKView{Client: kafkazk.New(store, slog.New(slog.DiscardHandler)), t: t}
}

// PartitionState is a partition's state znode,
// /brokers/topics/<topic>/partitions/<p>/state, with the ISR sorted so
// tests compare it without caring in which order the leader wrote it.
type PartitionState struct {
	Leader, LeaderEpoch int32
	ISR                 []int32
}

// States reads the state znodes of a topic's partitions.
func (z *ZKView) States(topic string) map[int32]PartitionState {
	z.t.Helper()
	raw, err := z.PartitionStates(context.Background(), topic)
	if err != nil {
		z.t.Fatalf("read states of %s: %v", topic, err)
	}
	out := make(map[int32]PartitionState, len(raw))
	for p, s := range raw {
		isr := slices.Clone(s.ISR)
		slices.Sort(isr)
		out[p] = PartitionState{Leader: s.Leader, LeaderEpoch: s.LeaderEpoch, ISR: isr}
	}
	return out
}

// Leader returns a partition's leader as its state znode says.
func (z *ZKView) Leader(topic string, p int32) int32 { return z.States(topic)[p].Leader }

// WaitFullIsr waits until every partition of topic has a leader and all
// three replicas in its ISR: a topic is created before its replicas have
// caught up, and a test that cuts a link earlier tests a smaller ISR.
func (z *ZKView) WaitFullIsr(topic string, partitions int32, within time.Duration) {
	z.t.Helper()
	Eventually(z.t, within, "full ISR for "+topic, func() error {
		states := z.States(topic)
		for p := range partitions {
			if s, ok := states[p]; !ok || s.Leader < 0 || len(s.ISR) != 3 {
				return fmt.Errorf("partition %d: %+v", p, s)
			}
		}
		return nil
	})
}

// CreateTopicRF3 creates a topic of replication factor 3 through adm, the
// request bounded by timeout, and waits up to 30s for its full ISR.
func (z *ZKView) CreateTopicRF3(adm *kadm.Client, timeout time.Duration, name string, partitions int32, configs map[string]*string) {
	z.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	r, err := adm.CreateTopic(ctx, partitions, 3, configs, name)
	if err == nil {
		err = r.Err
	}
	if err != nil {
		z.t.Fatalf("create %s: %v", name, err)
	}
	z.WaitFullIsr(name, partitions, 30*time.Second)
}

// RunningAddrs returns, in id order, the client addresses of those of
// brokers whose process runs.
func RunningAddrs(brokers map[int32]*Broker) []string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(brokers)) {
		if b := brokers[id]; !b.Exited() {
			out = append(out, b.Addr)
		}
	}
	return out
}

// WaitBrokersKnown waits until the metadata of every running broker names
// n brokers: registered is not yet known, each broker learns the others
// from the controller's UpdateMetadata, and a topic of replication factor
// n created through a broker that knows fewer is refused
// (INVALID_REPLICATION_FACTOR).
func WaitBrokersKnown(t testing.TB, brokers map[int32]*Broker, n int) {
	t.Helper()
	Eventually(t, 30*time.Second, fmt.Sprintf("%d brokers in every broker's metadata", n), func() error {
		for _, addr := range RunningAddrs(brokers) {
			if err := knowsBrokers(addr, n); err != nil {
				return err
			}
		}
		return nil
	})
}

// knowsBrokers checks that the broker at addr answers metadata naming n
// brokers.
func knowsBrokers(addr string, n int) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return fmt.Errorf("%s: %w", addr, err)
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

// StopAll stops every broker cleanly, in id order, so their logs and
// checkpoints can be read from disk; a broker that fails to stop fails the
// test but does not keep the others running.
func StopAll(t testing.TB, brokers map[int32]*Broker) {
	t.Helper()
	for _, id := range slices.Sorted(maps.Keys(brokers)) {
		if err := brokers[id].Stop(); err != nil {
			t.Errorf("stop broker %d: %v", id, err)
		}
	}
}
