package tui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
	"github.com/twmb/franz-go/pkg/kgo"
)

// offsetRowRE reads a row of the partitions view at 120 columns:
// partition, leader, replicas, ISR, then log start, LSO, HW and LEO.
var offsetRowRE = regexp.MustCompile(`(?m)^[▶ ] +(\d+) +\d+ +[\d,]+ +[\d,]+ +([\d,]+) +([\d,]+) +([\d,]+) +([\d,]+)`)

// lastStable checks every partition row on screen with held(lso, hw) and
// wants n rows.
func lastStable(n int, held func(lso, hw int) bool) func(string) error {
	return func(s string) error {
		rows := offsetRowRE.FindAllStringSubmatch(s, -1)
		if len(rows) != n {
			return fmt.Errorf("%d partition rows, want %d", len(rows), n)
		}
		for _, m := range rows {
			if lso, hw := number(m[3]), number(m[4]); lso < 0 || hw < 0 || !held(lso, hw) {
				return fmt.Errorf("partition %s: LSO %s, HW %s", m[1], m[3], m[4])
			}
		}
		return nil
	}
}

// TestTUIShowsAnOpenTransaction runs three brokers and leaves a
// transaction open on both partitions of orders (records produced, never
// committed). The Transactions view shows it Ongoing on 2 partitions; the
// partitions of orders show each LSO below its high watermark. Aborting it
// from the TUI previews the producer per partition, then after y the LSOs
// catch up with the high watermarks.
func TestTUIShowsAnOpenTransaction(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 3, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "orders", "-p", "2", "-r", "3")
	produce(t, cluster.Addr, "orders", 100)

	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.Addr), kgo.TransactionalID("etl-orders"),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.TransactionTimeout(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatalf("begin transaction: %v", err)
	}
	var recs []*kgo.Record
	for i := range 10 {
		recs = append(recs, &kgo.Record{Topic: "orders", Partition: int32(i % 2), Value: fmt.Appendf(nil, "open-%d", i)})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce in the transaction: %v", err)
	}

	p := startPane(t, 120, 30, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.waitFor(30*time.Second, "the topics view", contains("orders", "● live"))
	p.command("transactions etl-orders")
	screen := p.waitFor(20*time.Second, "etl-orders open on 2 partitions", func(s string) error {
		if !regexp.MustCompile(`(?m)^▶ etl-orders +Ongoing +\d+ +\d+ +2 `).MatchString(s) {
			return fmt.Errorf("no Ongoing row of etl-orders with 2 partitions")
		}
		return contains("orders-0,1")(s)
	})
	t.Logf("transactions:\n%s", screen)
	p.save("transactions")

	p.command("partitions orders")
	screen = p.waitFor(20*time.Second, "the LSOs below the high watermarks", lastStable(2, func(lso, hw int) bool { return lso < hw }))
	t.Logf("partitions with the transaction open:\n%s", screen)
	p.save("partitions-open-transaction")

	p.command("abort etl-orders")
	screen = p.waitFor(20*time.Second, "the abort's preview", contains("Abort the transaction of etl-orders on 2 partitions?", "COORDINATOR-EPOCH"))
	t.Logf("abort preview:\n%s", screen)
	p.save("abort-preview")
	p.keys("y")
	p.waitFor(20*time.Second, "the abort's outcome", contains("aborted the transaction of etl-orders on 2 partitions"))
	p.command("partitions orders")
	screen = p.waitFor(20*time.Second, "the LSOs caught up", lastStable(2, func(lso, hw int) bool { return lso == hw }))
	t.Logf("partitions after the abort:\n%s", screen)
}
