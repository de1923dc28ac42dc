package faults

import (
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// TestClientCutMidRequest: the link between the clients and a partition
// leader is cut (connections reset) and blackholed (longer than the
// producer's request timeout, so it gives up and retries on a new
// connection while the old request still sits in the network and reaches
// the broker when the link heals) with produce requests in flight. The
// idempotent producer's retries must be recognised by their sequence
// numbers: nothing acknowledged is lost, nothing is written twice, and
// every acknowledged offset holds the value acknowledged there.
func TestClientCutMidRequest(t *testing.T) {
	const topic, partitions = "client-cut", int32(3)
	c := startCluster(t, nil)
	c.createTopic(topic, partitions)
	w := startWorkload(t, c, topic, partitions, 2)

	leader := c.zk.Leader(topic, 0)
	link := c.clients[leader]
	var faults []fault
	for range rounds(1, 3) {
		faults = append(faults,
			w.clientFault(fmt.Sprintf("clients cut from leader %d", leader), link, link.Cut, 500*time.Millisecond),
			w.clientFault(fmt.Sprintf("clients blackholed from leader %d", leader), link, link.Blackhole, 5*time.Second))
	}
	w.verdict("client cut mid-request", faults...)
}

// clientFault breaks the clients' link to the leader of partition 0 with
// a record of it in flight, keeps it broken for hold, heals it and waits
// until every partition takes writes again.
func (w *workload) clientFault(what string, link *harness.FaultProxy, brk func(), hold time.Duration) fault {
	w.t.Helper()
	w.waitPending(0)
	f := fault{what: fmt.Sprintf("%s for %v", what, hold), partition: 0, start: time.Now()}
	errs := w.readErrs()
	brk()
	time.Sleep(hold) // the fault itself: broken this long
	link.Heal()
	w.healthy()
	if w.readErrs() == errs {
		w.t.Errorf("%s: no produce request was caught in flight (no response lost)", what)
	}
	f.end = time.Now()
	return f
}
