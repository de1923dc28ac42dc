package faults

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

// fault is one injected failure and when the cluster was whole again.
type fault struct {
	what       string
	partition  int32 // the partition whose availability it threatened
	start, end time.Time
}

// workload writes unique values round-robin to a topic's partitions, one
// every 2 ms, with an idempotent acks=all producer, while consumers poll
// every partition from its start, all through the clients' fault proxies,
// and records the history the checker judges.
type workload struct {
	t          *testing.T
	c          *cluster
	topic      string
	partitions int32
	prod       *kgo.Client

	rec *checker.Recorder

	mu sync.Mutex
	// pending counts, per partition, records sent and not yet
	// acknowledged or failed: requests in flight.
	pending map[int32]int
	// produceReadErrs counts produce responses the producer failed to
	// read (connection reset, timed out): requests a fault caught in flight.
	produceReadErrs int

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startWorkload starts the producer and consumers and waits for the
// first acknowledgements on every partition.
func startWorkload(t *testing.T, c *cluster, topic string, partitions int32, consumers int) *workload {
	t.Helper()
	w := &workload{t: t, c: c, topic: topic, partitions: partitions, rec: checker.NewRecorder(true), pending: map[int32]int{}}
	prod, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(c.clientAddrs()...),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerBatchCompression(kgo.NoCompression()), // the replicas' logs are read from disk
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProduceRequestTimeout(3 * time.Second),
		kgo.WithHooks(w),
	}, faultTiming()...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(prod.Close)
	w.prod = prod
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	w.wg.Add(1)
	go func() { defer w.wg.Done(); w.produce(ctx) }()
	for i := range consumers {
		cl := w.consumer()
		w.wg.Add(1)
		go func() { defer w.wg.Done(); w.consume(ctx, cl, fmt.Sprintf("live-%d", i)) }()
	}
	t.Cleanup(w.stop)
	if err := w.waitAcked(w.all(), 20, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	return w
}

// produce sends one record every 2 ms until ctx ends.
func (w *workload) produce(ctx context.Context) {
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
		part := int32(i) % w.partitions
		r := &kgo.Record{Topic: w.topic, Partition: part, Value: []byte(fmt.Sprintf("p%d-%d", part, i))}
		w.mu.Lock()
		w.pending[part]++
		w.mu.Unlock()
		w.prod.Produce(context.Background(), r, w.onAck)
	}
}

func (w *workload) onAck(r *kgo.Record, err error) {
	w.rec.Ack(string(r.Value), r.Partition, r.Offset, err)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pending[r.Partition]--
}

// consumer is a read_uncommitted client assigned every partition from
// its start: franz-go resets only on OFFSET_OUT_OF_RANGE, which the
// checker then sees as a read going backwards.
func (w *workload) consumer() *kgo.Client {
	w.t.Helper()
	offsets := map[int32]kgo.Offset{}
	for p := range w.partitions {
		offsets[p] = kgo.NewOffset().AtStart()
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(w.c.clientAddrs()...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{w.topic: offsets}),
		kgo.FetchMaxWait(200 * time.Millisecond),
	}, faultTiming()...)...)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(cl.Close)
	return cl
}

// consume records every record cl returns, as consumer name, until ctx
// ends.
func (w *workload) consume(ctx context.Context, cl *kgo.Client, name string) {
	for ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		var polls []checker.Poll
		fs.EachRecord(func(r *kgo.Record) {
			polls = append(polls, checker.Poll{Consumer: name, Partition: r.Partition, Offset: r.Offset, Value: string(r.Value)})
		})
		w.rec.Polled(polls...)
	}
}

// all lists the topic's partitions.
func (w *workload) all() []int32 {
	var out []int32
	for p := range w.partitions {
		out = append(out, p)
	}
	return out
}

// OnBrokerRead counts the produce responses lost to a fault (kgo.HookBrokerRead).
func (w *workload) OnBrokerRead(_ kgo.BrokerMetadata, key int16, _ int, _, _ time.Duration, err error) {
	if err != nil && key == 0 {
		w.mu.Lock()
		w.produceReadErrs++
		w.mu.Unlock()
	}
}

// readErrs returns how many produce responses could not be read so far.
func (w *workload) readErrs() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.produceReadErrs
}

// waitPending waits until a record of partition p is in flight.
func (w *workload) waitPending(p int32) {
	w.t.Helper()
	harness.Eventually(w.t, 10*time.Second, fmt.Sprintf("a record of partition %d in flight", p), func() error {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.pending[p] == 0 {
			return fmt.Errorf("nothing in flight")
		}
		return nil
	})
}

// ackedOn sums the acknowledgements of parts.
func (w *workload) ackedOn(parts []int32) int {
	n := 0
	for _, p := range parts {
		n += w.rec.Acked(p)
	}
	return n
}

// waitAcked waits until each of parts has n more acknowledgements than
// now.
func (w *workload) waitAcked(parts []int32, n int, within time.Duration) error {
	return w.rec.WaitAcked(parts, n, within)
}

// stop ends the producer and the consumers and waits for them; safe to
// call twice.
func (w *workload) stop() {
	w.cancel()
	w.wg.Wait()
}

// healthy waits until every partition has its whole ISR and takes writes.
func (w *workload) healthy() {
	w.t.Helper()
	w.c.zk.WaitFullIsr(w.topic, w.partitions, 60*time.Second)
	if err := w.waitAcked(w.all(), 20, 30*time.Second); err != nil {
		w.t.Fatalf("after the faults healed: %v", err)
	}
}

// verdict stops the workload, waits for what the producer has in flight,
// reads every partition to its high watermark with a fresh consumer, logs
// the checker's table and fails the test on any anomaly, then stops the
// brokers and compares their logs byte for byte below the high watermark.
func (w *workload) verdict(scenario string, faults ...fault) checker.Result {
	return w.verdictExpecting(scenario, checker.Result.Err, faults...)
}

// verdictExpecting is verdict with the test's own judgement of the
// checker's result: expect returns what is wrong with it.
func (w *workload) verdictExpecting(scenario string, expect func(checker.Result) error, faults ...fault) checker.Result {
	w.t.Helper()
	w.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.prod.Flush(ctx); err != nil {
		w.t.Fatalf("flush: %v", err)
	}
	w.readToEnd()
	h := w.rec.History()
	// One idempotent producer: its records keep the order they were
	// acknowledged in.
	h.Final, h.Ordered = []string{"final"}, true
	return w.c.judge(scenario, h, w.topic, w.partitions, faults, expect)
}

// judge logs the checker's table on a finished history and fails the
// test when expect finds fault with the result (checker.Result.Err: any
// anomaly), then stops the brokers and compares their logs of the topic
// byte for byte below the high watermark.
func (c *cluster) judge(scenario string, h checker.History, topic string, partitions int32, faults []fault, expect func(checker.Result) error) checker.Result {
	c.t.Helper()
	r := checker.Check(h)
	c.t.Logf("%s\n%s%s%s", r.Table(scenario), faultLines(h, faults), failures(h), outcomes(h))
	if err := expect(r); err != nil {
		c.t.Errorf("checker: %v", err)
	}
	harness.StopAll(c.t, c.brokers)
	for p := range partitions {
		harness.CheckReplicasAgree(c.t, c.brokerList(), topic, p)
	}
	return r
}

// faultLines describes each fault and how long its partition went
// without an acknowledgement while it lasted.
func faultLines(h checker.History, faults []fault) string {
	var s string
	for _, f := range faults {
		s += fmt.Sprintf("checker:   fault %-44s partition %d unavailable (longest) %v\n", f.what, f.partition,
			checker.UnavailableBetween(h, f.partition, f.start, f.end).Round(time.Millisecond))
	}
	return s
}

// failures counts the failed sends by error.
func failures(h checker.History) string {
	n := map[string]int{}
	for _, s := range h.Sends {
		if s.Err != nil {
			n[s.Err.Error()]++
		}
	}
	var out string
	for e, k := range n {
		out += fmt.Sprintf("checker:   %d sends failed: %s\n", k, e)
	}
	return out
}

// outcomes counts the transactions by how they ended.
func outcomes(h checker.History) string {
	if len(h.Txns) == 0 {
		return ""
	}
	n := map[checker.Outcome]int{}
	for _, o := range h.Txns {
		n[o]++
	}
	return fmt.Sprintf("checker:   transactions: %d committed, %d aborted, %d unknown\n", n[checker.Committed], n[checker.Aborted], n[checker.Unknown])
}

// readToEnd reads every partition from its start to its high watermark
// as consumer "final".
func (w *workload) readToEnd() {
	w.t.Helper()
	var listed kadm.ListedOffsets
	err := w.c.ask(w.c.brokers[1].Addr, func(ctx context.Context, adm *kadm.Client) error {
		var err error
		listed, err = adm.ListEndOffsets(ctx, w.topic)
		return err
	})
	if err != nil {
		w.t.Fatalf("list end offsets: %v", err)
	}
	ends := map[int32]int64{}
	for p := range w.partitions {
		end, _ := listed.Lookup(w.topic, p)
		ends[p] = end.Offset
	}
	w.rec.Polled(harness.ReadToEnd(w.t, w.consumer(), w.topic, ends, 60*time.Second)...)
}

// faultTiming is every workload client's timing: a blackholed link is
// noticed within seconds, and retries and metadata refreshes follow a
// moved leader at once.
func faultTiming() []kgo.Opt {
	return []kgo.Opt{
		kgo.RequestTimeoutOverhead(time.Second),
		kgo.RetryBackoffFn(func(int) time.Duration { return 50 * time.Millisecond }),
		kgo.MetadataMinAge(50 * time.Millisecond),
	}
}
