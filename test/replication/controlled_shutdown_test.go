package replication

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRollingRestartWithControlledShutdown stops each broker in turn with
// SIGTERM and starts it again while an acks=all producer writes to an
// RF=3 topic with min.insync.replicas=2. Controlled shutdown moves the
// stopping broker's leaderships away before it exits, so no acknowledged
// write is lost and each partition is unavailable only briefly: the
// longest gap between acknowledgements on the partitions the broker led,
// from SIGTERM until writes flow again after its exit, is logged per
// restart (goal under 1 s) and bounded generously.
func TestRollingRestartWithControlledShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("a rolling restart of three brokers takes about half a minute")
	}
	const topic, partitions = "rolling", int32(3)
	c := startCluster(t, 3, map[string]string{"auto.leader.rebalance.enable": "false"})
	c.createTopic(topic, partitions, minInsync2())
	prod := newChaosProducer(c, topic, partitions)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); prod.run(ctx, 2*time.Millisecond) }()
	defer func() { stop(); <-done }()
	flowing := func() {
		if err := prod.waitAcked(20, 30*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	flowing()
	var faults []fault
	var worst []time.Duration
	for id := int32(1); id <= 3; id++ {
		fs := sigtermAndRestart(c, topic, partitions, id, flowing)
		faults = append(faults, fs...)
		w := time.Duration(0)
		for _, f := range fs {
			w = max(w, prod.rec.Unavailable(f.partition, f.start, f.end))
		}
		worst = append(worst, w)
	}
	stop()
	<-done
	if err := prod.flush(30 * time.Second); err != nil {
		t.Fatalf("flush: %v", err)
	}
	report(t, c, prod, topic, faults)
	sorted := slices.Clone(worst)
	slices.Sort(sorted)
	t.Logf("unavailability per controlled shutdown (longest gap between acks on the partitions the broker led): min %v median %v max %v",
		sorted[0].Round(time.Millisecond), sorted[1].Round(time.Millisecond), sorted[2].Round(time.Millisecond))
	for i, w := range worst {
		if w > 5*time.Second {
			t.Errorf("SIGTERM of broker %d: partitions unavailable for %v", i+1, w)
		}
	}
}

// controlledShutdownDone is what a broker logs when the controller moved
// all its leaderships.
const controlledShutdownDone = "controlled shutdown: leadership moved"

// sigtermAndRestart stops a broker with SIGTERM, checks that it led
// nothing when it exited, waits for writes to flow, and starts it again
// with its whole ISR back. It returns one fault per partition the broker
// led, spanning SIGTERM to flowing writes after its exit.
func sigtermAndRestart(c *cluster, topic string, partitions int32, id int32, flowing func()) []fault {
	c.t.Helper()
	var led []int32
	for p, s := range c.zk.States(topic) {
		if s.Leader == id {
			led = append(led, p)
		}
	}
	moved := strings.Count(c.brokers[id].Logs(), controlledShutdownDone)
	start := time.Now()
	if err := c.brokers[id].Stop(); err != nil {
		c.t.Fatalf("stop broker %d: %v", id, err)
	}
	exited := time.Now()
	if strings.Count(c.brokers[id].Logs(), controlledShutdownDone) != moved+1 {
		c.t.Errorf("broker %d did not log %q", id, controlledShutdownDone)
	}
	for p, s := range c.zk.States(topic) {
		if s.Leader == id {
			c.t.Errorf("broker %d exited still leading %s-%d: %+v", id, topic, p, s)
		}
	}
	flowing()
	end := time.Now()
	c.t.Logf("broker %d: SIGTERM to exit %v, leading %v", id, exited.Sub(start).Round(time.Millisecond), led)
	c.brokers[id].Start()
	c.zk.WaitFullIsr(topic, partitions, 30*time.Second)
	var out []fault
	for _, p := range led {
		out = append(out, fault{what: fmt.Sprintf("SIGTERM broker %d (controlled)", id), partition: p, start: start, end: end})
	}
	return out
}
