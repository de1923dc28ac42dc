package replication

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// idempotentProducer is the chaos producer's client with franz-go's
// default idempotence left on (it needs acks=all; franz-go then keeps up to
// five requests in flight per broker, the most Kafka allows).
func (c *cluster) idempotentProducer(topic string, partitions int32) *chaosProducer {
	return newIdempotentChaosProducer(c, topic, partitions)
}

// TestIdempotentProducerAcrossLeaderFailures: franz-go with idempotence
// (its default), acks=all, RF=3 and min.insync.replicas=2 writes unique
// values while partition leaders are killed, restarted and frozen. Every
// record sent is acknowledged and in the log exactly once, in
// acknowledgement order: the retries of requests whose answer was lost
// (timeouts, dead connections) are recognised by the new leaders.
func TestIdempotentProducerAcrossLeaderFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("leader failures take about a minute")
	}
	const topic, partitions = "idem", int32(3)
	c := startCluster(t, 3, nil)
	c.createTopic(topic, partitions, minInsync2())
	prod := c.idempotentProducer(topic, partitions)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); prod.run(ctx, 2*time.Millisecond) }()
	defer func() { stop(); <-done }()
	healthy := func() {
		c.zk.WaitFullIsr(topic, partitions, 30*time.Second)
		if err := prod.waitAcked(20, 30*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	healthy()
	faults := []fault{
		killLeader(c, topic, 0, healthy),
		restartLeader(c, topic, 1, healthy),
		freezeLeader(c, topic, 2, healthy),
		killLeader(c, topic, 1, healthy),
	}
	stop()
	<-done
	if err := prod.flush(60 * time.Second); err != nil {
		t.Fatalf("flush: %v", err)
	}
	c.zk.WaitFullIsr(topic, partitions, 30*time.Second)
	checkExactlyOnce(t, c, prod, topic, faults)
}

// checkExactlyOnce reads every partition back and holds it to exactly
// once: the checker finds no anomaly (an idempotent producer's duplicate
// is one; an acknowledged record elsewhere than its offset is two values
// at one offset) and no send failed.
func checkExactlyOnce(t *testing.T, c *cluster, prod *chaosProducer, topic string, faults []fault) {
	t.Helper()
	if r := report(t, c, prod, topic, faults); r.Failed > 0 {
		t.Fatalf("not exactly once: %d of %d sends failed", r.Failed, r.Acked+r.Failed)
	}
}

// dedup is values without repeats, in the order each first appears.
func dedup(values []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		if !seen[v] {
			out = append(out, v)
			seen[v] = true
		}
	}
	return out
}

// TestRetryAfterFailoverIsDeduplicated replays by hand what a producer
// does when a leader dies after writing its batch: the same batch (same
// producer id, epoch and sequence) sent to the new leader is answered with
// the original offset and not written again; a follower restarted from its
// own log (snapshot and replay) knows the producer as well once it leads.
func TestRetryAfterFailoverIsDeduplicated(t *testing.T) {
	const topic = "retry"
	c := startCluster(t, 3, nil)
	c.createTopic(topic, 1, minInsync2())
	pid := c.initProducerID()
	first := idempotentRecords(pid, 0, 0, "a", "b", "c")
	leader := c.zk.Leader(topic, 0)
	expectProduce(t, c, leader, topic, first, 0, nil)

	c.brokers[leader].Kill()
	next := c.waitNewLeader(topic, 0, leader, sessionTimeout+5*time.Second)
	expectProduce(t, c, next, topic, first, 0, nil)
	expectProduce(t, c, next, topic, idempotentRecords(pid, 0, 9, "gap"), -1, kerr.OutOfOrderSequenceNumber)
	second := idempotentRecords(pid, 0, 3, "d")
	expectProduce(t, c, next, topic, second, 3, nil)

	// The killed broker comes back, catches up, and leads after the
	// current leader stops cleanly: it still recognises both batches.
	c.brokers[leader].Start()
	c.zk.WaitFullIsr(topic, 1, 30*time.Second)
	if err := c.brokers[next].Stop(); err != nil {
		t.Fatal(err)
	}
	third := c.waitNewLeader(topic, 0, next, 30*time.Second)
	// Back before producing: a follower fetching while it shuts down may be
	// taken into the ISR again, and acks=all would wait for it.
	c.brokers[next].Start()
	c.zk.WaitFullIsr(topic, 1, 30*time.Second)
	expectProduce(t, c, third, topic, second, 3, nil)
	expectProduce(t, c, third, topic, first, 0, nil)
	expectProduce(t, c, third, topic, idempotentRecords(pid, 0, 4, "e"), 4, nil)
	if got := c.consumeAll(topic, 0); !slices.Equal(got, []string{"a", "b", "c", "d", "e"}) {
		t.Fatalf("the log holds %q", got)
	}
}

// initProducerID asks any broker for a producer id, as an idempotent
// producer does first.
func (c *cluster) initProducerID() int64 {
	c.t.Helper()
	req := kmsg.NewPtrInitProducerIDRequest()
	req.ProducerID, req.ProducerEpoch = -1, -1
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := req.RequestWith(ctx, c.client())
	if err == nil {
		err = kerr.ErrorForCode(resp.ErrorCode)
	}
	if err != nil {
		c.t.Fatalf("InitProducerID: %v", err)
	}
	return resp.ProducerID
}

// idempotentRecords is one uncompressed batch of values with a producer
// id, epoch and base sequence.
func idempotentRecords(pid int64, epoch int16, seq int32, values ...string) []byte {
	var records []byte
	for i, v := range values {
		r := kmsg.Record{OffsetDelta: int32(i), Value: []byte(v)}
		r.Length = int32(len(r.AppendTo(nil)[1:]))
		records = r.AppendTo(records)
	}
	now := time.Now().UnixMilli()
	b := kmsg.RecordBatch{PartitionLeaderEpoch: -1, Magic: 2, LastOffsetDelta: int32(len(values) - 1),
		FirstTimestamp: now, MaxTimestamp: now, ProducerID: pid, ProducerEpoch: epoch, FirstSequence: seq,
		NumRecords: int32(len(values)), Records: records}
	return withCRC(b.AppendTo(nil))
}

// expectProduce sends records with acks=all to one broker, without client
// retries, and checks the answer (base offset, error).
func expectProduce(t *testing.T, c *cluster, broker int32, topic string, records []byte, base int64, want error) {
	t.Helper()
	req := kmsg.NewPtrProduceRequest()
	req.Acks, req.TimeoutMillis = -1, 10_000
	rp := kmsg.NewProduceRequestTopicPartition()
	rp.Records = records
	rt := kmsg.NewProduceRequestTopic()
	rt.Topic, rt.Partitions = topic, []kmsg.ProduceRequestTopicPartition{rp}
	req.Topics = []kmsg.ProduceRequestTopic{rt}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.brokers[broker].Addr), kgo.RequiredAcks(kgo.AllISRAcks()), kgo.DisableIdempotentWrite())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var p kmsg.ProduceResponseTopicPartition
	harness.Eventually(t, 20*time.Second, fmt.Sprintf("broker %d leads %s", broker, topic), func() error {
		resp, err := cl.SeedBrokers()[0].Request(ctx, req)
		if err != nil {
			return err
		}
		p = resp.(*kmsg.ProduceResponse).Topics[0].Partitions[0]
		if p.ErrorCode == kerr.NotLeaderForPartition.Code { // the LeaderAndIsr is still on its way
			return kerr.ErrorForCode(p.ErrorCode)
		}
		return nil
	})
	if got := kerr.ErrorForCode(p.ErrorCode); got != want || p.BaseOffset != base {
		t.Fatalf("broker %d answered base offset %d, %v; want %d, %v", broker, p.BaseOffset, got, base, want)
	}
}

// TestKcatIdempotentProducer: kcat (librdkafka) with enable.idempotence
// writes lines fed slowly through its stdin while the partition's leader
// is first frozen past kcat's request timeout (kcat drops the connection
// and resends; the leader, thawed, still appends what it had received, so
// the resends are duplicates) and then killed and restarted. Every line is
// in the log exactly once, in order.
func TestKcatIdempotentProducer(t *testing.T) {
	if testing.Short() {
		t.Skip("a leader failure takes seconds")
	}
	const topic, lines = "kcat-idem", 4000
	c := startCluster(t, 3, nil)
	c.createTopic(topic, 1, minInsync2())
	in, feed := io.Pipe()
	result := make(chan harness.Result, 1)
	go func() {
		result <- harness.Kcat(t, in, "-b", strings.Join(c.addrs(), ","), "-P", "-t", topic, "-p", "0",
			"-X", "enable.idempotence=true", "-X", "linger.ms=5", "-X", "request.timeout.ms=1000", "-X", "socket.timeout.ms=1000")
	}()
	var want []string
	for i := range lines {
		want = append(want, fmt.Sprintf("line-%05d", i))
	}
	go func() {
		defer feed.Close()
		for _, line := range want {
			if _, err := fmt.Fprintln(feed, line); err != nil {
				return
			}
			time.Sleep(2 * time.Millisecond) // the pace of the stream, so it spans the failures
		}
	}()
	c.waitCommitted(topic, 0, 100)
	leader := c.brokers[c.zk.Leader(topic, 0)]
	leader.Freeze()
	time.Sleep(3 * time.Second) // the fault: frozen past kcat's request timeout, within the session timeout
	leader.Thaw()
	c.waitCommitted(topic, 0, 1500)
	killLeader(c, topic, 0, func() { c.zk.WaitFullIsr(topic, 1, 30*time.Second) })
	res := <-result
	if res.Code != 0 {
		t.Fatalf("kcat -P: exit %d: %s", res.Code, res.Stderr)
	}
	if got := c.consumeAll(topic, 0); !slices.Equal(got, want) {
		t.Fatalf("the log holds %d lines (%d distinct), %d were written: not exactly once in order", len(got), len(dedup(got)), len(want))
	}
}

// waitCommitted polls until the partition's high watermark reaches n.
func (c *cluster) waitCommitted(topic string, p int32, n int64) {
	c.t.Helper()
	adm := kadm.NewClient(c.client())
	harness.Eventually(c.t, 30*time.Second, fmt.Sprintf("%d records committed", n), func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ends, err := adm.ListEndOffsets(ctx, topic)
		if err != nil {
			return err
		}
		if o, ok := ends.Lookup(topic, p); !ok || o.Err != nil || o.Offset < n {
			return fmt.Errorf("high watermark %+v", o)
		}
		return nil
	})
}
