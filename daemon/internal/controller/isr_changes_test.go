package controller_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta/znode"
)

// isrTold returns the latest ISR of topic-0 that broker was told about.
func (r *recorder) isrTold(broker int32, topic string) []int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var isr []int32
	for _, req := range r.sent[broker] {
		if umd, ok := req.(*kmsg.UpdateMetadataRequest); ok {
			for _, ts := range umd.TopicStates {
				for _, ps := range ts.PartitionStates {
					if ts.Topic == topic && ps.Partition == 0 {
						isr = ps.ISR
					}
				}
			}
		}
	}
	return isr
}

// twoBrokerTopic starts brokers 1 (the controller) and 2 and creates t-0
// on replicas, both in the ISR; it returns broker 1's and 2's clients.
func twoBrokerTopic(t *testing.T, c *cluster, replicas []int32) (*kafkazk.Client, *kafkazk.Client) {
	zk1 := c.startBroker(1)
	c.eventually("broker 1 is controller", func() error {
		if id, _, _ := zk1.Controller(context.Background()); id != 1 {
			return fmt.Errorf("controller %d", id)
		}
		return nil
	})
	zk2 := c.startBroker(2)
	c.eventually("controller sees broker 2", func() error {
		if !c.rec.told(2) {
			return fmt.Errorf("broker 2 not told anything yet")
		}
		return nil
	})
	if _, err := zk1.CreateTopic(context.Background(), kafkazk.TopicSpec{Name: "t", Assignment: map[int32][]int32{0: replicas}}); err != nil {
		t.Fatal(err)
	}
	c.eventually("ISR of both", func() error {
		if got := c.rec.isrTold(2, "t"); len(got) != 2 {
			return fmt.Errorf("isr %v", got)
		}
		return nil
	})
	return zk1, zk2
}

func state(t *testing.T, zk *kafkazk.Client) controller.PartitionState {
	t.Helper()
	states, err := zk.PartitionStates(context.Background(), "t")
	if err != nil {
		t.Fatal(err)
	}
	return states[0]
}

func TestIsrChangeNotificationReachesEveryBroker(t *testing.T) {
	c := newCluster(t)
	zk1, _ := twoBrokerTopic(t, c, []int32{1, 2})
	ctx := context.Background()
	s := state(t, zk1)
	s.ISR = []int32{1} // leader 1 drops follower 2
	if _, err := zk1.UpdateLeaderIsr(ctx, "t", 0, s); err != nil {
		t.Fatal(err)
	}
	if err := zk1.NotifyIsrChange(ctx, []znode.TopicPartition{{Topic: "t", Partition: 0}}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []int32{1, 2} {
		c.eventually(fmt.Sprintf("broker %d told ISR [1]", b), func() error {
			if got := c.rec.isrTold(b, "t"); !slices.Equal(got, []int32{1}) {
				return fmt.Errorf("isr %v", got)
			}
			return nil
		})
	}
	c.eventually("notification deleted", func() error {
		names, _, _, err := zk1.IsrChanges(ctx)
		if err != nil || len(names) != 0 {
			return fmt.Errorf("notifications %v, err %v", names, err)
		}
		return nil
	})
}

func TestControllerElectsFromIsrWrittenByLeader(t *testing.T) {
	// Leader 2 shrinks the ISR to itself and the notification has not been
	// processed: the controller's cache still has broker 1 in the ISR.
	// When broker 2 dies, the election must see the ISR as written and
	// leave the partition offline, not elect broker 1 (an unclean
	// election that would lose what only broker 2 had).
	c := newCluster(t)
	zk1, zk2 := twoBrokerTopic(t, c, []int32{2, 1})
	ctx := context.Background()
	s := state(t, zk1)
	s.ISR = []int32{2}
	if _, err := zk2.UpdateLeaderIsr(ctx, "t", 0, s); err != nil {
		t.Fatal(err)
	}
	if err := c.srv.ExpireSession(zk2.Store().SessionID()); err != nil {
		t.Fatal(err)
	}
	c.eventually("partition offline with ISR [2]", func() error {
		got := state(t, zk1)
		if got.Leader != -1 || !slices.Equal(got.ISR, []int32{2}) {
			return fmt.Errorf("leader %d isr %v", got.Leader, got.ISR)
		}
		return nil
	})
}

func TestLeaderIsrWriteConflicts(t *testing.T) {
	c := newCluster(t)
	zk1, _ := twoBrokerTopic(t, c, []int32{1, 2})
	ctx := context.Background()
	s := state(t, zk1)
	s.ISR = []int32{1}
	v, err := zk1.UpdateLeaderIsr(ctx, "t", 0, s)
	if err != nil {
		t.Fatal(err)
	}
	// The same write again (its first answer lost) is success.
	if again, err := zk1.UpdateLeaderIsr(ctx, "t", 0, s); err != nil || again != v {
		t.Fatalf("repeated write: version %d err %v, want %d", again, err, v)
	}
	// A different write at the old version is a conflict.
	s.ISR = []int32{1, 2}
	if _, err := zk1.UpdateLeaderIsr(ctx, "t", 0, s); err == nil {
		t.Fatal("stale ISR write succeeded")
	}
}

// liveTold returns the live brokers of the latest UpdateMetadata broker
// was sent.
func (r *recorder) liveTold(broker int32) []int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var live []int32
	for _, req := range r.sent[broker] {
		if umd, ok := req.(*kmsg.UpdateMetadataRequest); ok {
			live = live[:0]
			for _, b := range umd.LiveBrokers {
				live = append(live, b.ID)
			}
		}
	}
	return live
}

// A leader answering a fetch that its follower sent before dying puts the
// dead broker back into the ISR after the controller handled the death:
// the notification of that write makes the controller take it out again,
// or acks=all writes would wait for it until replica.lag.time.max.ms.
func TestIsrNotificationDropsDeadMembers(t *testing.T) {
	c := newCluster(t)
	zk1, zk2 := twoBrokerTopic(t, c, []int32{1, 2})
	ctx := context.Background()
	if err := c.srv.ExpireSession(zk2.Store().SessionID()); err != nil {
		t.Fatal(err)
	}
	c.eventually("broker 2 out of the ISR and the live brokers", func() error {
		if s := state(t, zk1); !slices.Equal(s.ISR, []int32{1}) {
			return fmt.Errorf("isr %v", s.ISR)
		}
		if live := c.rec.liveTold(1); slices.Contains(live, 2) {
			return fmt.Errorf("live %v", live)
		}
		return nil
	})
	s := state(t, zk1)
	s.ISR = []int32{1, 2} // the late expansion
	if _, err := zk1.UpdateLeaderIsr(ctx, "t", 0, s); err != nil {
		t.Fatal(err)
	}
	if err := zk1.NotifyIsrChange(ctx, []znode.TopicPartition{{Topic: "t", Partition: 0}}); err != nil {
		t.Fatal(err)
	}
	c.eventually("dead broker 2 out of the ISR again", func() error {
		if got := state(t, zk1); !slices.Equal(got.ISR, []int32{1}) || got.Leader != 1 {
			return fmt.Errorf("leader %d isr %v", got.Leader, got.ISR)
		}
		return nil
	})
}
