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
)

// startController registers a broker and runs its controller candidate,
// returning both so a test can call the controller's operations.
func (c *cluster) startController(id int32) (*kafkazk.Client, *controller.Controller) {
	sess, err := c.srv.Connect(6 * time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	zk := kafkazk.New(sess, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	if err := zk.EnsurePaths(ctx); err != nil {
		c.t.Fatal(err)
	}
	reg := kafkazk.Registration{ID: id, Endpoints: []metadatacache.Endpoint{{Listener: "PLAINTEXT", Host: "127.0.0.1", Port: 9000 + id}}}
	if err := zk.RegisterBroker(ctx, reg); err != nil {
		c.t.Fatal(err)
	}
	ctl := controller.New(controller.Config{BrokerID: id, Store: zk, Sender: c.rec, Logger: slog.New(slog.DiscardHandler)})
	done := make(chan struct{})
	go func() { defer close(done); _ = ctl.Run(ctx) }()
	c.t.Cleanup(func() { cancel(); <-done })
	c.clients[id] = zk
	return zk, ctl
}

// reassignCluster starts brokers 1..n (1 the controller, seeing all the
// others) and creates topic t with the given assignment, every replica in
// the ISR.
func reassignCluster(t *testing.T, n int32, assignment map[int32][]int32) (*cluster, *kafkazk.Client, map[int32]*controller.Controller) {
	c := newCluster(t)
	ctls := map[int32]*controller.Controller{}
	zk1, ctl := c.startController(1)
	ctls[1] = ctl
	c.eventually("broker 1 is controller", func() error { return isController(zk1, 1) })
	for id := int32(2); id <= n; id++ {
		_, ctls[id] = c.startController(id)
	}
	c.eventually("controller sees every broker", func() error {
		for id := int32(2); id <= n; id++ {
			if !c.rec.told(id) {
				return fmt.Errorf("broker %d not told anything yet", id)
			}
		}
		return nil
	})
	if _, err := zk1.CreateTopic(context.Background(), kafkazk.TopicSpec{Name: "t", Assignment: assignment}); err != nil {
		t.Fatal(err)
	}
	c.eventually("every partition led", func() error {
		if got := c.rec.leaders(1, "t"); len(got) != len(assignment) {
			return fmt.Errorf("leaders %v", got)
		}
		return nil
	})
	return c, zk1, ctls
}

func isController(zk *kafkazk.Client, id int32) error {
	if got, _, _ := zk.Controller(context.Background()); got != id {
		return fmt.Errorf("controller %d, want %d", got, id)
	}
	return nil
}

var t0 = controller.TopicPartition{Topic: "t", Partition: 0}

func alter(t *testing.T, ctl *controller.Controller, tp controller.TopicPartition, replicas []int32) error {
	t.Helper()
	res, err := ctl.AlterPartitionReassignments(context.Background(), map[controller.TopicPartition][]int32{tp: replicas})
	if err != nil {
		t.Fatalf("AlterPartitionReassignments: %v", err)
	}
	return res[tp]
}

// leaderGrowsIsr writes what a partition leader writes when followers
// catch up: the state with a larger ISR, then the notification.
func leaderGrowsIsr(t *testing.T, zk *kafkazk.Client, p int32, isr []int32) {
	t.Helper()
	ctx := context.Background()
	states, err := zk.PartitionStates(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	s := states[p]
	s.ISR = isr
	if _, err := zk.UpdateLeaderIsr(ctx, "t", p, s); err != nil {
		t.Fatal(err)
	}
}

// assignmentIs waits for the assignment znode of t-0.
func assignmentIs(c *cluster, zk *kafkazk.Client, replicas, adding, removing []int32) {
	c.t.Helper()
	c.eventually(fmt.Sprintf("assignment %v adding %v removing %v", replicas, adding, removing), func() error {
		a, _, err := zk.Assignment(context.Background(), "t")
		if err != nil {
			return err
		}
		if !slices.Equal(a.Replicas[0], replicas) || !slices.Equal(a.Adding[0], adding) || !slices.Equal(a.Removing[0], removing) {
			return fmt.Errorf("replicas %v adding %v removing %v", a.Replicas[0], a.Adding[0], a.Removing[0])
		}
		return nil
	})
}

// toldReplicas returns the latest LeaderAndIsr state of t-0 sent to broker.
func (r *recorder) toldReplicas(broker int32) (kmsg.LeaderAndISRRequestTopicPartition, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var last kmsg.LeaderAndISRRequestTopicPartition
	found := false
	for _, req := range r.sent[broker] {
		lai, ok := req.(*kmsg.LeaderAndISRRequest)
		if !ok {
			continue
		}
		for _, ts := range lai.TopicStates {
			for _, ps := range ts.PartitionStates {
				if ts.Topic == "t" && ps.Partition == 0 {
					last, found = ps, true
				}
			}
		}
	}
	return last, found
}

func (c *cluster) toldToFollow(broker int32, replicas []int32) {
	c.t.Helper()
	c.eventually(fmt.Sprintf("broker %d told replicas %v", broker, replicas), func() error {
		ps, ok := c.rec.toldReplicas(broker)
		if !ok || !slices.Equal(ps.Replicas, replicas) {
			return fmt.Errorf("told %+v (%v)", ps, ok)
		}
		return nil
	})
}

func listed(t *testing.T, ctl *controller.Controller) map[controller.TopicPartition]controller.Reassignment {
	t.Helper()
	got, err := ctl.ListPartitionReassignments(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestReassignGrowsReplicationFactor(t *testing.T) {
	c, zk, ctls := reassignCluster(t, 3, map[int32][]int32{0: {1}})
	if err := alter(t, ctls[1], t0, []int32{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	assignmentIs(c, zk, []int32{1, 2, 3}, []int32{2, 3}, nil)
	c.toldToFollow(2, []int32{1, 2, 3})
	c.toldToFollow(3, []int32{1, 2, 3})
	if got := listed(t, ctls[1])[t0]; !slices.Equal(got.Adding, []int32{2, 3}) || len(got.Removing) != 0 {
		t.Fatalf("listed %+v", got)
	}
	leaderGrowsIsr(t, zk, 0, []int32{1, 2})
	leaderGrowsIsr(t, zk, 0, []int32{1, 2, 3})
	assignmentIs(c, zk, []int32{1, 2, 3}, nil, nil)
	if got := listed(t, ctls[1]); len(got) != 0 {
		t.Fatalf("still listed: %+v", got)
	}
	if s := state(t, zk); s.Leader != 1 || !slices.Equal(s.ISR, []int32{1, 2, 3}) {
		t.Fatalf("state %+v", s)
	}
}

func TestReassignMovesLeaderOutOfRemovedReplicas(t *testing.T) {
	c, zk, ctls := reassignCluster(t, 4, map[int32][]int32{0: {1, 2, 3}})
	before := state(t, zk)
	if err := alter(t, ctls[1], t0, []int32{2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	assignmentIs(c, zk, []int32{2, 3, 4, 1}, []int32{4}, []int32{1})
	c.toldToFollow(4, []int32{2, 3, 4, 1})
	if s := state(t, zk); s.LeaderEpoch <= before.LeaderEpoch || s.Leader != 1 {
		t.Fatalf("phase one: state %+v, want leader 1 at an epoch above %d", s, before.LeaderEpoch)
	}
	leaderGrowsIsr(t, zk, 0, []int32{1, 2, 3, 4})
	assignmentIs(c, zk, []int32{2, 3, 4}, nil, nil)
	s := state(t, zk)
	if s.Leader != 2 || !slices.Equal(s.ISR, []int32{2, 3, 4}) {
		t.Fatalf("state %+v, want leader 2 isr [2 3 4]", s)
	}
	c.eventually("removed replica stopped and deleted", func() error {
		if !c.rec.stopped(1, "t") {
			return errors.New("broker 1 not stopped")
		}
		return nil
	})
	c.toldToFollow(4, []int32{2, 3, 4})
}

func TestReassignCancelRevertsToOrigin(t *testing.T) {
	c, zk, ctls := reassignCluster(t, 4, map[int32][]int32{0: {1, 2, 3}})
	if err := alter(t, ctls[1], t0, []int32{2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	assignmentIs(c, zk, []int32{2, 3, 4, 1}, []int32{4}, []int32{1})
	if err := alter(t, ctls[1], t0, nil); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	// As Kafka, the origin keeps the order of the full replica list: the
	// znode never recorded the original order.
	assignmentIs(c, zk, []int32{2, 3, 1}, nil, nil)
	if s := state(t, zk); s.Leader != 1 {
		t.Fatalf("state %+v, want leader 1", s)
	}
	c.eventually("the adding replica stopped", func() error {
		if !c.rec.stopped(4, "t") || c.rec.stopped(1, "t") {
			return fmt.Errorf("stopped: 4 %v, 1 %v", c.rec.stopped(4, "t"), c.rec.stopped(1, "t"))
		}
		return nil
	})
	err := alter(t, ctls[1], t0, nil)
	if !errors.Is(err, kerr.NoReassignmentInProgress) {
		t.Fatalf("second cancel: %v, want NO_REASSIGNMENT_IN_PROGRESS", err)
	}
}

func TestReassignResumesAfterControllerFailover(t *testing.T) {
	c, zk1, ctls := reassignCluster(t, 4, map[int32][]int32{0: {2, 3}})
	if err := alter(t, ctls[1], t0, []int32{3, 4}); err != nil {
		t.Fatal(err)
	}
	assignmentIs(c, zk1, []int32{3, 4, 2}, []int32{4}, []int32{2})
	epochBefore := state(t, zk1).LeaderEpoch
	if err := c.srv.ExpireSession(zk1.Store().SessionID()); err != nil {
		t.Fatal(err)
	}
	zk2 := c.clients[2]
	var next *controller.Controller
	c.eventually("another controller", func() error {
		id, _, err := zk2.Controller(context.Background())
		if err != nil || id < 2 {
			return fmt.Errorf("controller %d %v", id, err)
		}
		next = ctls[id]
		return nil
	})
	c.eventually("the new controller resumed with a new leader epoch", func() error {
		if s := state(t, zk2); s.LeaderEpoch <= epochBefore {
			return fmt.Errorf("epoch %d, before %d", s.LeaderEpoch, epochBefore)
		}
		if _, ok := listed(t, next)[t0]; !ok {
			return errors.New("not listed by the new controller")
		}
		return nil
	})
	leaderGrowsIsr(t, zk2, 0, []int32{2, 3, 4})
	assignmentIs(c, zk2, []int32{3, 4}, nil, nil)
	if s := state(t, zk2); s.Leader != 3 || !slices.Equal(s.ISR, []int32{3, 4}) {
		t.Fatalf("state %+v, want leader 3 isr [3 4]", s)
	}
}

func TestReassignFromAdminZnode(t *testing.T) {
	c, zk, _ := reassignCluster(t, 3, map[int32][]int32{0: {1}, 1: {2}})
	ctx := context.Background()
	req := map[controller.TopicPartition][]int32{t0: {1, 3}, {Topic: "t", Partition: 1}: {2}, {Topic: "gone", Partition: 0}: {1}}
	if err := zk.RequestReassignment(ctx, req); err != nil {
		t.Fatal(err)
	}
	assignmentIs(c, zk, []int32{1, 3}, []int32{3}, nil)
	c.eventually("done and unknown entries dropped from the znode", func() error {
		reqs, _, err := zk.ReassignRequests(ctx)
		if err != nil || len(reqs) != 1 || reqs[t0] == nil {
			return fmt.Errorf("requests %v %v", reqs, err)
		}
		return nil
	})
	leaderGrowsIsr(t, zk, 0, []int32{1, 3})
	assignmentIs(c, zk, []int32{1, 3}, nil, nil)
	c.eventually("znode deleted", func() error {
		if _, ok, err := zk.Store().Exists(ctx, "/admin/reassign_partitions"); err != nil || ok {
			return fmt.Errorf("exists %v %v", ok, err)
		}
		return nil
	})
}

// The refusals are decisions of the core (testdata/reassignment); this
// checks one reaches the caller, and that only the controller answers.
func TestAlterPartitionReassignmentsRefusals(t *testing.T) {
	_, _, ctls2 := reassignCluster(t, 3, map[int32][]int32{0: {1, 2}})
	if err := alter(t, ctls2[1], t0, []int32{1, 1}); !errors.Is(err, kerr.InvalidReplicaAssignment) {
		t.Fatalf("duplicate replicas: got %v", err)
	}
	t.Run("not the controller", func(t *testing.T) {
		_, err := ctls2[2].AlterPartitionReassignments(context.Background(), map[controller.TopicPartition][]int32{t0: {1}})
		if !errors.Is(err, controller.ErrNotController) {
			t.Fatalf("got %v, want ErrNotController", err)
		}
		if _, err := ctls2[2].ListPartitionReassignments(context.Background(), nil); !errors.Is(err, controller.ErrNotController) {
			t.Fatalf("list: got %v, want ErrNotController", err)
		}
	})
}
