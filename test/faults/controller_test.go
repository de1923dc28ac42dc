package faults

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

// TestControllerCutFromBrokers: the controller loses every link to the
// other brokers, both ways, while it keeps ZooKeeper and its clients. It
// stays controller (its session lives) and nobody else takes over: no
// split brain. The other brokers' leaders shrink it out of their ISRs and
// keep acknowledging writes; the partitions it leads shrink to itself and
// refuse acks=all writes at min.insync.replicas=2 rather than acknowledge
// what they cannot replicate. When the links heal every ISR is whole
// again, one controller acts, and nothing acknowledged is lost.
func TestControllerCutFromBrokers(t *testing.T) {
	const topic, partitions = "controller-cut", int32(3)
	c := startCluster(t, nil)
	c.createTopic(topic, partitions)
	w := startWorkload(t, c, topic, partitions, 2)

	ctrl := c.controller()
	var others, own []int32 // partitions led by other brokers (they must keep serving) and by the controller
	for p, s := range c.zk.States(topic) {
		if s.Leader != ctrl {
			others = append(others, p)
		} else {
			own = append(own, p)
		}
	}
	slices.Sort(others)
	hit := int32(0)
	if len(others) > 0 {
		hit = others[0]
	}
	f := fault{what: fmt.Sprintf("controller %d cut from the brokers", ctrl), partition: hit, start: time.Now()}
	for _, l := range c.pairs(ctrl) {
		l.Blackhole()
	}
	c.waitControllerOut(topic, partitions, ctrl)
	if err := w.waitAcked(others, 20, 10*time.Second); err != nil {
		t.Errorf("partitions %v led by brokers other than the controller: %v", others, err)
	}
	before := w.ackedOn(own)
	time.Sleep(schedule(time.Second, 10*time.Second)) // the fault itself: cut this long after the shrinks
	if got := w.ackedOn(own) - before; got != 0 {
		t.Errorf("%d writes acknowledged on partitions %v by controller %d alone in their ISR at min.insync.replicas=2", got, own, ctrl)
	}
	if got := c.controller(); got != ctrl {
		t.Errorf("broker %d took over as controller while %d lived on in ZooKeeper", got, ctrl)
	}
	for _, l := range c.pairs(ctrl) {
		l.Heal()
	}
	w.healthy()
	f.end = time.Now()
	c.checkOneController()
	w.verdict("controller cut from the brokers", f)
}

// waitControllerOut waits until no ISR holds the cut controller next to
// another broker: the partitions it leads are down to itself, the others
// to the two brokers that still hear each other.
func (c *cluster) waitControllerOut(topic string, partitions int32, ctrl int32) {
	c.t.Helper()
	harness.Eventually(c.t, 30*time.Second, fmt.Sprintf("controller %d out of every shared ISR", ctrl), func() error {
		for p, s := range c.zk.States(topic) {
			alone := len(s.ISR) == 1 && s.ISR[0] == ctrl
			if s.Leader == ctrl && !alone || s.Leader != ctrl && (slices.Contains(s.ISR, ctrl) || len(s.ISR) != 2) {
				return fmt.Errorf("partition %d: %+v", p, s)
			}
		}
		return nil
	})
}

// checkOneController checks that every broker names in its metadata the
// controller /controller names.
func (c *cluster) checkOneController() {
	c.t.Helper()
	harness.Eventually(c.t, 30*time.Second, "one controller, known to every broker", func() error {
		want := c.controller()
		for _, b := range c.brokerList() {
			var got int32
			err := c.ask(b.Addr, func(ctx context.Context, adm *kadm.Client) error {
				m, err := adm.BrokerMetadata(ctx)
				got = m.Controller
				return err
			})
			if err != nil || got != want {
				return fmt.Errorf("broker %d names controller %d (%v), /controller says %d", b.Opts.BrokerID, got, err, want)
			}
		}
		return nil
	})
}
