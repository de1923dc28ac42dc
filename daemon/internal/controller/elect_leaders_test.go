package controller_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/controller"
)

func tp(topic string, p int32) controller.TopicPartition {
	return controller.TopicPartition{Topic: topic, Partition: p}
}

// offPreferred leaves t-0 ({1,2,3}) led by 2 with 1 back in the ISR,
// t-1 ({2,1}) led by its preferred 2, and t-2 ({3,1}) and t-3 ({1,3})
// offline with only the dead broker 3 in their ISR.
func offPreferred(t *testing.T) *opsCluster {
	o := newOpsCluster(t, controller.RebalanceConfig{}, 1, 2, 3)
	o.createTopic("t", map[int32][]int32{0: {1, 2, 3}, 1: {2, 1}, 2: {3, 1}, 3: {1, 3}})
	o.setIsr("t", 2, 3)
	o.kill(1)
	o.kill(3)
	// Restart only once the controller has seen the deaths: a watch that
	// fires after the restart shows the same live brokers, and nothing moves.
	o.eventually("t-0 led by 2, t-2 and t-3 offline", func() error {
		if s0, s2, s3 := o.state("t", 0), o.state("t", 2), o.state("t", 3); s0.Leader != 2 || s2.Leader != -1 || s3.Leader != -1 {
			return fmt.Errorf("t-0 %+v t-2 %+v t-3 %+v", s0, s2, s3)
		}
		return nil
	})
	o.restart(1)
	o.setIsr("t", 0, 2, 1)
	return o
}

func TestElectLeadersNotController(t *testing.T) {
	o := newOpsCluster(t, controller.RebalanceConfig{}, 1)
	other := controller.New(controller.Config{BrokerID: 1, Store: o.brokers[1], Sender: o.rec, Logger: o.ctlLogger()})
	if _, err := other.ElectLeaders(context.Background(), controller.PreferredElection, nil); !errors.Is(err, controller.ErrNotController) {
		t.Fatalf("got %v", err)
	}
}

func TestPreferredElectionZnode(t *testing.T) {
	o := offPreferred(t)
	ctx := context.Background()
	if err := o.zk.RequestPreferredReplicaElection(ctx, []controller.TopicPartition{tp("t", 0), tp("nosuch", 3)}); err != nil {
		t.Fatal(err)
	}
	o.eventually("t-0 back on 1 and the request deleted", func() error {
		_, pending, _, err := o.zk.PreferredReplicaElection(ctx)
		if s := o.state("t", 0); s.Leader != 1 || pending || err != nil {
			return fmt.Errorf("t-0 %+v, request pending %v err %v", s, pending, err)
		}
		return nil
	})
	if _, err := o.zk.Store().Create(ctx, "/admin/preferred_replica_election", []byte("{garbage"), 0); err != nil {
		t.Fatal(err)
	}
	o.eventually("an undecodable request is dropped", func() error {
		if _, ok, _, _ := o.zk.PreferredReplicaElection(ctx); ok {
			return fmt.Errorf("still there")
		}
		return nil
	})
}

func TestAutoLeaderRebalance(t *testing.T) {
	tests := []struct {
		name    string
		percent int
		moves   bool
	}{
		{"above the threshold", 10, true},
		{"at or below the threshold", 50, false}, // 1 of broker 1's 2 partitions is away: 50%
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOpsCluster(t, controller.RebalanceConfig{Enable: true, Interval: 20 * time.Millisecond, ImbalancePercentage: tt.percent}, 1, 2)
			o.createTopic("t", map[int32][]int32{0: {1, 2}, 1: {2, 1}, 2: {1}})
			o.kill(1)
			// Restart only once the controller has seen the death (see
			// offPreferred).
			o.eventually("t-0 led by 2", func() error {
				if s := o.state("t", 0); s.Leader != 2 {
					return fmt.Errorf("t-0 %+v", s)
				}
				return nil
			})
			o.restart(1)
			o.setIsr("t", 0, 2, 1)
			if !tt.moves {
				// Let several checks pass (polling the clock, not a wait for
				// an event), then verify nothing moved.
				deadline := time.Now().Add(200 * time.Millisecond)
				for time.Now().Before(deadline) {
					if s := o.state("t", 0); s.Leader != 2 {
						t.Fatalf("moved at %d%% imbalance with a %d%% threshold: %+v", 50, tt.percent, s)
					}
					time.Sleep(10 * time.Millisecond)
				}
				return
			}
			o.eventually("t-0 back on its preferred replica", func() error {
				if s := o.state("t", 0); s.Leader != 1 {
					return fmt.Errorf("t-0 %+v", s)
				}
				return nil
			})
		})
	}
}
