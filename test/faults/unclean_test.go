package faults

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

// TestLeaderAloneInIsrKilled is the sequence Jepsen used to lose
// acknowledged writes in Kafka 0.8: the ISR shrinks to the leader alone
// (its followers cut off), the leader keeps acknowledging acks=all writes
// (min.insync.replicas=1, the setting that allows it), then dies. An
// unclean election of a lagging follower would truncate those writes;
// with unclean.leader.election.enable=false (the default) the partition
// stays offline until its last ISR member returns, and the checker finds
// nothing lost.
func TestLeaderAloneInIsrKilled(t *testing.T) {
	const topic, partitions = "alone", int32(3)
	c := startCluster(t, nil)
	c.createTopicMinIsr(topic, partitions, "1")
	w := startWorkload(t, c, topic, partitions, 2)

	leader := c.zk.Leader(topic, 0)
	f := fault{what: fmt.Sprintf("leader %d alone in its ISR, then SIGKILL", leader), partition: 0, start: time.Now()}
	cut := c.killLeaderAloneInIsr(w, topic, leader)
	c.waitOffline(topic, 0, leader)
	for _, l := range cut {
		l.Heal()
	}
	c.brokers[leader].Start()
	w.healthy()
	f.end = time.Now()
	w.verdict("leader alone in ISR, killed", f)
}

// TestUncleanElectionCaught is the control experiment for
// TestLeaderAloneInIsrKilled: the same sequence on a topic with
// unclean.leader.election.enable=true, where Kafka (and kq) elect a
// lagging follower once the last ISR member is dead. The writes the old
// leader acknowledged alone are truncated away when it returns as a
// follower, and the checker must report them lost: the whole pipeline
// (workload, final read, checker) catches the Kafka 0.8 bug class.
func TestUncleanElectionCaught(t *testing.T) {
	const topic, partitions = "unclean", int32(3)
	c := startCluster(t, nil)
	c.createTopicConfigs(topic, partitions, map[string]string{"min.insync.replicas": "1", "unclean.leader.election.enable": "true"})
	w := startWorkload(t, c, topic, partitions, 2)

	leader := c.zk.Leader(topic, 0)
	f := fault{what: fmt.Sprintf("leader %d alone in its ISR, SIGKILL, unclean election", leader), partition: 0, start: time.Now()}
	cut := c.killLeaderAloneInIsr(w, topic, leader)
	for _, l := range cut {
		l.Heal()
	}
	elected := c.waitLeaderOtherThan(topic, 0, leader)
	t.Logf("broker %d elected uncleanly after leader %d died alone in its ISR", elected, leader)
	c.brokers[leader].Start()
	w.healthy()
	f.end = time.Now()
	w.verdictExpecting("unclean election (must lose)", func(r checker.Result) error {
		if len(r.Lost) == 0 {
			return errors.New("an unclean election after a leader acknowledged alone lost nothing the checker saw")
		}
		return nil
	}, f)
}

// waitLeaderOtherThan waits until a partition has a live leader other
// than old and returns it.
func (c *cluster) waitLeaderOtherThan(topic string, p, old int32) int32 {
	c.t.Helper()
	var got int32
	harness.Eventually(c.t, sessionTimeout+20*time.Second, fmt.Sprintf("%s-%d led by a broker other than %d", topic, p, old), func() error {
		s := c.zk.States(topic)[p]
		if s.Leader < 0 || s.Leader == old {
			return fmt.Errorf("state %+v", s)
		}
		got = s.Leader
		return nil
	})
	return got
}

// waitOffline waits until the controller has seen the dead leader's
// session end (the partition has no leader), then checks it elects
// nobody else for a while: its only ISR member is dead, and electing a
// follower outside the ISR would be an unclean election.
func (c *cluster) waitOffline(topic string, p, dead int32) {
	c.t.Helper()
	harness.Eventually(c.t, sessionTimeout+10*time.Second, fmt.Sprintf("%s-%d without a leader", topic, p), func() error {
		if s := c.zk.States(topic)[p]; s.Leader != -1 {
			return fmt.Errorf("state %+v", s)
		}
		return nil
	})
	deadline := time.Now().Add(schedule(2*time.Second, 10*time.Second))
	for time.Now().Before(deadline) {
		if s := c.zk.States(topic)[p]; s.Leader != -1 {
			c.t.Fatalf("%s-%d elected %d while its only ISR member %d was dead: %+v", topic, p, s.Leader, dead, s)
		}
		time.Sleep(100 * time.Millisecond) // watching the state stay put: the fault's duration
	}
}

// killLeaderAloneInIsr is Jepsen's Kafka 0.8 sequence up to the crash: it
// cuts partition 0's leader off from the other brokers until the ISR is
// the leader alone, waits for writes it acknowledges alone, and SIGKILLs
// it. The links stay cut; it returns them for the caller to heal.
func (c *cluster) killLeaderAloneInIsr(w *workload, topic string, leader int32) []*harness.FaultProxy {
	c.t.Helper()
	cut := c.pairs(leader)
	for _, l := range cut {
		l.Blackhole()
	}
	c.waitIsr(topic, 0, []int32{leader}, 30*time.Second)
	if err := w.waitAcked([]int32{0}, 50, 10*time.Second); err != nil {
		c.t.Fatalf("leader %d alone in its ISR at min.insync.replicas=1: %v", leader, err)
	}
	c.brokers[leader].Kill()
	return cut
}
