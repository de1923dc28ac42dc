package faults

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestFollowerCutFromLeader: one follower of a partition loses its link
// to the leader both ways (blackholed: its fetches and anything the
// leader sends it hang) while it keeps ZooKeeper, its clients and the
// third broker. After replica.lag.time.max.ms the leader shrinks the ISR
// to the two replicas it still hears from and, min.insync.replicas being
// 2, goes on acknowledging writes; when the link heals the follower
// catches up and rejoins the ISR. Nothing acknowledged is lost or
// duplicated and the three logs end identical.
func TestFollowerCutFromLeader(t *testing.T) {
	const topic, partitions = "follower-cut", int32(3)
	c := startCluster(t, nil)
	c.createTopic(topic, partitions)
	w := startWorkload(t, c, topic, partitions, 2)

	leader := c.zk.Leader(topic, 0)
	follower := int32(1)
	for follower == leader {
		follower++
	}
	f := fault{what: fmt.Sprintf("follower %d cut from leader %d", follower, leader), partition: 0, start: time.Now()}
	c.link(follower, leader).Blackhole()
	c.link(leader, follower).Blackhole()
	rest := slices.DeleteFunc([]int32{1, 2, 3}, func(id int32) bool { return id == follower })
	c.waitIsr(topic, 0, rest, 30*time.Second)
	if err := w.waitAcked([]int32{0}, 20, 10*time.Second); err != nil {
		t.Errorf("with the ISR shrunk to %v: %v", rest, err)
	}
	time.Sleep(schedule(time.Second, 10*time.Second)) // the fault itself: cut this long after the shrink
	c.link(follower, leader).Heal()
	c.link(leader, follower).Heal()
	w.healthy()
	f.end = time.Now()
	w.verdict("follower cut from its leader", f)
}
