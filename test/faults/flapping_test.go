package faults

import (
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// TestFlappingLinks: a partition leader's links are cut and healed every
// 500 ms, one kind at a time: to the other brokers (both ways: its
// followers' fetches and the controller's requests break over and over),
// to ZooKeeper (each cut shorter than the session timeout: the session
// must survive the reconnections), and to its clients. Whatever the
// churn of ISR shrinks and expansions, nothing acknowledged is lost or
// duplicated, reads never go backwards, and every link's flapping ends
// with the ISR whole and writes acknowledged.
func TestFlappingLinks(t *testing.T) {
	const topic, partitions = "flapping", int32(3)
	c := startCluster(t, nil)
	c.createTopic(topic, partitions)
	w := startWorkload(t, c, topic, partitions, 2)

	leader := c.zk.Leader(topic, 0)
	total := schedule(3*time.Second, 10*time.Second)
	schedules := []struct {
		what  string
		links []*harness.FaultProxy
	}{
		{fmt.Sprintf("leader %d <-> brokers", leader), c.pairs(leader)},
		{fmt.Sprintf("leader %d <-> ZooKeeper", leader), []*harness.FaultProxy{c.zkLinks[leader]}},
		{fmt.Sprintf("leader %d <-> clients", leader), []*harness.FaultProxy{c.clients[leader]}},
	}
	var faults []fault
	for _, s := range schedules {
		f := fault{what: fmt.Sprintf("%s flapping 500ms for %v", s.what, total), partition: 0, start: time.Now()}
		flap(s.links, 500*time.Millisecond, total)
		w.healthy()
		f.end = time.Now()
		faults = append(faults, f)
	}
	w.verdict("flapping links", faults...)
}

// flap cuts the links and heals them, in turn, every period for total,
// and leaves them healed.
func flap(links []*harness.FaultProxy, period, total time.Duration) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	end := time.Now().Add(total)
	for cut := true; time.Now().Before(end); cut = !cut {
		for _, l := range links {
			if cut {
				l.Cut()
			} else {
				l.Heal()
			}
		}
		<-tick.C // the fault's own rhythm
	}
	for _, l := range links {
		l.Heal()
	}
}
