package groups

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// groupProps make groups form without group.initial.rebalance.delay.ms, so
// the measured times are the rebalances themselves.
var groupProps = map[string]string{"group.initial.rebalance.delay.ms": "0", "offsets.topic.num.partitions": "10"}

func createTopic(t *testing.T, adm *kadm.Client, name string, partitions int32) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	resp, err := adm.CreateTopic(ctx, partitions, 1, nil, name)
	if err != nil || resp.Err != nil {
		t.Fatalf("create topic %s: %v %v", name, err, resp.Err)
	}
}

// produce writes n records and returns each partition's end offset.
func produce(t *testing.T, cl *kgo.Client, topic string, n int) map[int32]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	recs := make([]*kgo.Record, 0, n)
	for i := range n {
		recs = append(recs, &kgo.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", i), Value: fmt.Appendf(nil, "v%d", i)})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
	ends := map[int32]int64{}
	for _, r := range recs {
		ends[r.Partition] = max(ends[r.Partition], r.Offset+1)
	}
	return ends
}

// TestGroupMembersJoinLeaveAndCrash runs three members of one group over a
// six-partition topic while records flow: one leaves cleanly, another
// joins, one crashes. At no time do two live members own a partition,
// and every record is consumed.
func TestGroupMembersJoinLeaveAndCrash(t *testing.T) {
	for _, tc := range []struct {
		name     string
		balancer kgo.GroupBalancer
	}{
		{"eager-range", kgo.RangeBalancer()},
		{"cooperative-sticky", kgo.CooperativeStickyBalancer()},
	} {
		t.Run(tc.name, func(t *testing.T) { runMembership(t, tc.balancer) })
	}
}

func runMembership(t *testing.T, balancer kgo.GroupBalancer) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: groupProps})
	producer := b.Client()
	defer producer.Close()
	const topic, partitions = "events", 6
	createTopic(t, kadm.NewClient(producer), topic, partitions)
	tr := newTracker(t, topic, partitions)
	ends := produce(t, producer, topic, 600)

	a := startMember(t, tr, b.Addr, "g", "a", balancer)
	bm := startMember(t, tr, b.Addr, "g", "b", balancer)
	c := startMember(t, tr, b.Addr, "g", "c", balancer)
	tr.waitFor(30*time.Second, "three members own every partition", tr.ownedBy("a", "b", "c"))
	mergeEnds(ends, produce(t, producer, topic, 300))

	start := time.Now()
	c.leave()
	tr.waitFor(30*time.Second, "the others take over after a clean leave", tr.ownedBy("a", "b"))
	t.Logf("clean leave of 1 of 3 members: rebalanced in %v", time.Since(start))

	d := startMember(t, tr, b.Addr, "g", "d", balancer)
	took := tr.waitFor(30*time.Second, "a new member takes its share", tr.ownedBy(sortedNames(a, bm, d)...))
	t.Logf("join of a 3rd member: rebalanced in %v", took)
	mergeEnds(ends, produce(t, producer, topic, 300))
	tr.waitFor(30*time.Second, "every record so far consumed", tr.consumedUpTo(ends))

	start = time.Now()
	tr.crashed("d")
	d.crash()
	tr.waitFor(60*time.Second, "the survivors take over after a crash", tr.ownedBy("a", "b"))
	t.Logf("crash of 1 of 3 members (session timeout 6s): rebalanced in %v", time.Since(start))

	mergeEnds(ends, produce(t, producer, topic, 300))
	tr.waitFor(30*time.Second, "every record consumed", tr.consumedUpTo(ends))
	t.Logf("records re-delivered: %d of %d", tr.redelivered(), sum(ends))
}

func mergeEnds(into, more map[int32]int64) {
	for p, e := range more {
		into[p] = max(into[p], e)
	}
}

func sum(ends map[int32]int64) int64 {
	var n int64
	for _, e := range ends {
		n += e
	}
	return n
}
