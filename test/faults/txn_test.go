package faults

import (
	"fmt"
	"testing"
	"time"
)

// TestTransactionsUnderFaults: two transactional producers write
// two-partition transactions (every third aborted on purpose), two
// transactional transformers copy partition 0 into 1 and 1 into 0, and
// read_committed consumers poll, while a leader's broker links flap, then
// another leader is killed and restarted. No record of a committed
// transaction is lost, no read_committed consumer returns a record of an
// aborted one, and no cycle of transactions runs through reads alone
// (G1c; cycles needing a write-order edge, which Kafka's transactions
// allow, are counted).
func TestTransactionsUnderFaults(t *testing.T) {
	const topic, partitions = "txn-faults", int32(3)
	c := startCluster(t, nil)
	c.createTopic(topic, partitions)
	w := startTxnWorkload(t, c, topic, partitions, 2, 2)
	progress := func() {
		c.zk.WaitFullIsr(topic, partitions, 60*time.Second)
		if err := w.waitCommitted(10, 60*time.Second); err != nil {
			t.Fatalf("after the fault: %v", err)
		}
	}

	var faults []fault
	leader := c.zk.Leader(topic, 0)
	total := schedule(3*time.Second, 10*time.Second)
	f := fault{what: fmt.Sprintf("leader %d <-> brokers flapping 500ms for %v", leader, total), partition: 0, start: time.Now()}
	flap(c.pairs(leader), 500*time.Millisecond, total)
	progress()
	f.end = time.Now()
	faults = append(faults, f)

	victim := c.zk.Leader(topic, 1)
	f = fault{what: fmt.Sprintf("SIGKILL leader %d, restart", victim), partition: 1, start: time.Now()}
	c.brokers[victim].Kill()
	c.brokers[victim].Start()
	progress()
	f.end = time.Now()
	faults = append(faults, f)

	w.verdict("transactions under faults", faults...)
}
