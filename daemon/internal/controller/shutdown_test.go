package controller_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta/znode"
)

// opsCluster is a controller candidate (broker 9, hosting nothing, so it
// stays controller) and plain broker registrations whose sessions a test
// ends and renews as brokers die and restart.
type opsCluster struct {
	*cluster
	ctl     *controller.Controller
	zk      *kafkazk.Client // the controller's session
	brokers map[int32]*kafkazk.Client
}

const opsController int32 = 9

func newOpsCluster(t *testing.T, rebalance controller.RebalanceConfig, ids ...int32) *opsCluster {
	o := &opsCluster{cluster: newCluster(t), brokers: map[int32]*kafkazk.Client{}}
	o.zk = o.register(opsController)
	ctx, cancel := context.WithCancel(context.Background())
	o.ctl = controller.New(controller.Config{BrokerID: opsController, Store: o.zk, Sender: o.rec,
		Logger: slog.New(slog.DiscardHandler), Rebalance: rebalance})
	done := make(chan struct{})
	go func() { defer close(done); _ = o.ctl.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	for _, id := range ids {
		o.brokers[id] = o.register(id)
	}
	o.eventually("controller active and seeing every broker", func() error {
		if _, err := o.ctl.ElectLeaders(context.Background(), controller.PreferredElection, []controller.TopicPartition{}); err != nil {
			return err
		}
		for _, id := range ids {
			if !o.rec.told(id) {
				return fmt.Errorf("broker %d not told anything yet", id)
			}
		}
		return nil
	})
	return o
}

func (o *opsCluster) ctlLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// register opens a session and registers broker id on it.
func (o *opsCluster) register(id int32) *kafkazk.Client {
	sess, err := o.srv.Connect(6 * time.Second)
	if err != nil {
		o.t.Fatal(err)
	}
	zk := kafkazk.New(sess, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	if err := zk.EnsurePaths(ctx); err != nil {
		o.t.Fatal(err)
	}
	reg := kafkazk.Registration{ID: id, Endpoints: []metadatacache.Endpoint{{Listener: "PLAINTEXT", Host: "127.0.0.1", Port: 9000 + id}}}
	if err := zk.RegisterBroker(ctx, reg); err != nil {
		o.t.Fatal(err)
	}
	return zk
}

// kill ends a broker's session, as its death does.
func (o *opsCluster) kill(id int32) {
	if err := o.srv.ExpireSession(o.brokers[id].Store().SessionID()); err != nil {
		o.t.Fatal(err)
	}
	delete(o.brokers, id)
}

// restart registers a killed broker again (a new broker epoch).
func (o *opsCluster) restart(id int32) { o.brokers[id] = o.register(id) }

func (o *opsCluster) createTopic(name string, assignment map[int32][]int32) {
	o.t.Helper()
	if _, err := o.zk.CreateTopic(context.Background(), kafkazk.TopicSpec{Name: name, Assignment: assignment}); err != nil {
		o.t.Fatal(err)
	}
	o.eventually("states of "+name, func() error {
		states, err := o.zk.PartitionStates(context.Background(), name)
		if err != nil || len(states) != len(assignment) {
			return fmt.Errorf("states %v err %v", states, err)
		}
		return nil
	})
}

func (o *opsCluster) state(topic string, p int32) controller.PartitionState {
	o.t.Helper()
	states, err := o.zk.PartitionStates(context.Background(), topic)
	if err != nil {
		o.t.Fatal(err)
	}
	return states[p]
}

// setIsr writes an ISR as the partition's leader does (compare-and-set,
// then a change notification) and waits until the controller took it in.
func (o *opsCluster) setIsr(topic string, p int32, isr ...int32) {
	o.t.Helper()
	ctx := context.Background()
	s := o.state(topic, p)
	// The controller drops ISR members it does not know live when it takes
	// a change in: wait until it has seen a restarted member come back.
	o.eventually(fmt.Sprintf("the controller knows %v live", isr), func() error {
		live := o.rec.liveTold(s.Leader)
		for _, id := range isr {
			if !slices.Contains(live, id) {
				return fmt.Errorf("live brokers told to %d: %v", s.Leader, live)
			}
		}
		return nil
	})
	s.ISR = isr
	if _, err := o.zk.UpdateLeaderIsr(ctx, topic, p, s); err != nil {
		o.t.Fatal(err)
	}
	if err := o.zk.NotifyIsrChange(ctx, []znode.TopicPartition{{Topic: topic, Partition: p}}); err != nil {
		o.t.Fatal(err)
	}
	o.eventually("controller processed the ISR change", func() error {
		names, _, _, err := o.zk.IsrChanges(ctx)
		if err != nil || len(names) > 0 {
			return fmt.Errorf("pending %v err %v", names, err)
		}
		return nil
	})
}

func (o *opsCluster) epoch(id int32) int64 {
	o.t.Helper()
	e, err := o.zk.BrokerEpoch(context.Background(), id)
	if err != nil {
		o.t.Fatal(err)
	}
	return e
}

// stoppedKeepingLogs lists the partitions of topic a broker was told to
// stop replicating without deleting them.
func (r *recorder) stoppedKeepingLogs(broker int32, topic string) []int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int32
	for _, req := range r.sent[broker] {
		sr, ok := req.(*kmsg.StopReplicaRequest)
		if !ok {
			continue
		}
		for _, t := range sr.Topics {
			for _, ps := range t.PartitionStates {
				if t.Topic == topic && !ps.Delete {
					out = append(out, ps.Partition)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestControlledShutdownMovesLeadersAndShrinksIsrs(t *testing.T) {
	o := newOpsCluster(t, controller.RebalanceConfig{}, 1, 2, 3)
	o.createTopic("t", map[int32][]int32{0: {1, 2, 3}, 1: {2, 1, 3}, 2: {3, 2, 1}, 3: {2}, 4: {2, 3, 1}})
	ctx := context.Background()
	epoch1 := o.state("t", 1).LeaderEpoch

	remaining, err := o.ctl.ControlledShutdown(ctx, 2, o.epoch(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(remaining) != 0 {
		t.Fatalf("remaining %v: t-3 has a single replica and is not reported, as in Kafka", remaining)
	}
	want := map[int32]struct {
		leader int32
		isr    []int32
	}{
		0: {1, []int32{1, 3}},
		1: {1, []int32{1, 3}}, // first of the assignment in the ISR and not shutting down
		2: {3, []int32{3, 1}},
		3: {2, []int32{2}}, // single replica: untouched
		4: {3, []int32{3, 1}},
	}
	for p, w := range want {
		s := o.state("t", p)
		if s.Leader != w.leader || !slices.Equal(s.ISR, w.isr) {
			t.Errorf("t-%d: leader %d isr %v, want %d %v", p, s.Leader, s.ISR, w.leader, w.isr)
		}
	}
	if got := o.state("t", 1).LeaderEpoch; got != epoch1+1 {
		t.Errorf("t-1 leader epoch %d, want %d", got, epoch1+1)
	}
	o.eventually("broker 2 stops following t-0 and t-2, keeping the logs", func() error {
		if got := o.rec.stoppedKeepingLogs(2, "t"); !slices.Equal(got, []int32{0, 2}) {
			return fmt.Errorf("stopped %v", got)
		}
		return nil
	})
	o.eventually("every broker learns the new leaders", func() error {
		for _, b := range []int32{1, 2, 3} {
			if got := o.rec.leaders(b, "t"); got[1] != 1 || got[4] != 3 {
				return fmt.Errorf("broker %d: leaders %v", b, got)
			}
		}
		return nil
	})
}

// The refusals are decisions of the core (testdata/controlled_shutdown);
// these check that they reach the caller as errors.
func TestControlledShutdownRefusals(t *testing.T) {
	o := newOpsCluster(t, controller.RebalanceConfig{}, 1, 2)
	ctx := context.Background()
	if _, err := o.ctl.ControlledShutdown(ctx, 1, o.epoch(1)-1); !errors.Is(err, kerr.StaleBrokerEpoch) {
		t.Fatalf("stale epoch: got %v", err)
	}
	// A candidate that is not the active controller says so.
	other := controller.New(controller.Config{BrokerID: 1, Store: o.brokers[1], Sender: o.rec, Logger: slog.New(slog.DiscardHandler)})
	if _, err := other.ControlledShutdown(ctx, 1, -1); !errors.Is(err, controller.ErrNotController) {
		t.Fatalf("not controller: got %v", err)
	}
}

func TestShuttingDownBrokerIsPassedOverUntilItRestarts(t *testing.T) {
	o := newOpsCluster(t, controller.RebalanceConfig{}, 1, 2)
	o.createTopic("t", map[int32][]int32{0: {1, 2}, 1: {2, 1}})
	ctx := context.Background()
	if _, err := o.ctl.ControlledShutdown(ctx, 1, o.epoch(1)); err != nil {
		t.Fatal(err)
	}
	o.setIsr("t", 0, 2, 1) // broker 1 caught up again while shutting down
	res, err := o.ctl.ElectLeaders(ctx, controller.PreferredElection, []controller.TopicPartition{{Topic: "t", Partition: 0}})
	if err != nil {
		t.Fatal(err)
	}
	if r := res[controller.TopicPartition{Topic: "t", Partition: 0}]; !errors.Is(r.Err, kerr.PreferredLeaderNotAvailable) {
		t.Fatalf("election picked a shutting-down broker: %+v", r)
	}
	o.kill(1)
	o.restart(1)
	o.eventually("restarted broker is eligible again", func() error {
		o.setIsr("t", 0, 2, 1)
		res, err := o.ctl.ElectLeaders(ctx, controller.PreferredElection, []controller.TopicPartition{{Topic: "t", Partition: 0}})
		if err != nil {
			return err
		}
		if r := res[controller.TopicPartition{Topic: "t", Partition: 0}]; r.Err != nil || r.Leader != 1 {
			return fmt.Errorf("result %+v", r)
		}
		return nil
	})
}
