package faults

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

// txnWorkload runs transactional producers, each writing two records to
// two partitions per transaction and aborting every third on purpose,
// while read_committed consumers poll every partition: the history lets
// the checker find committed records lost, aborted records read, and
// transaction cycles.
type txnWorkload struct {
	t          *testing.T
	c          *cluster
	topic      string
	partitions int32

	rec *checker.Recorder
	// readCommitted names the read_committed consumers, set as they start.
	readCommitted []string

	mu   sync.Mutex
	next int // the last transaction id handed out

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startTxnWorkload(t *testing.T, c *cluster, topic string, partitions int32, producers, consumers int) *txnWorkload {
	t.Helper()
	w := &txnWorkload{t: t, c: c, topic: topic, partitions: partitions, rec: checker.NewRecorder(true)}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	for i := range producers {
		w.wg.Add(1)
		go func() { defer w.wg.Done(); w.transact(ctx, fmt.Sprintf("faults-txn-%d", i)) }()
	}
	for i := range consumers {
		name := fmt.Sprintf("rc-%d", i)
		cl := w.consumer()
		w.readCommitted = append(w.readCommitted, name)
		w.wg.Add(1)
		go func() { defer w.wg.Done(); w.consume(ctx, cl, name) }()
	}
	w.startTransformers(ctx)
	t.Cleanup(w.stop)
	if err := w.waitCommitted(10, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	return w
}

// startTransformers runs two consume-transform-produce loops: one reads
// partition 0 read_committed and writes "x<txn>-<value>" for what it read
// to partition 1 in one transaction per batch, the other the same from
// partition 1 to 0 (records transformed twice already are left alone, so
// nothing circulates forever). Each consumes what the other writes: their
// reads are the write-read edges in which G1c can show, their writes
// interleave with the producers'. They are no exactly-once pipeline (a
// failed transaction's input is not read again): only the history matters.
func (w *txnWorkload) startTransformers(ctx context.Context) {
	for _, from := range []int32{0, 1} {
		name := fmt.Sprintf("transformer-%d", from)
		cons := w.consumerOf(map[int32]kgo.Offset{from: kgo.NewOffset().AtStart()})
		w.readCommitted = append(w.readCommitted, name)
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			prod := w.producer("faults-" + name)
			for ctx.Err() == nil {
				fctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
				recs := cons.PollFetches(fctx).Records()
				cancel()
				if len(recs) > 0 && !w.transform(prod, name, recs, 1-from) {
					prod.Close() // as in transact: a new producer fences the old
					prod = w.producer("faults-" + name)
				}
			}
		}()
	}
}

// transform writes one transaction of transformed records; false when the
// producer cannot go on.
func (w *txnWorkload) transform(prod *kgo.Client, name string, recs []*kgo.Record, to int32) bool {
	txn := w.begin()
	// The consumer returned these whether or not the transaction starts:
	// record them first, or the checker sees the consumer skip them.
	polls := make([]checker.Poll, 0, len(recs))
	for _, r := range recs {
		polls = append(polls, checker.Poll{Consumer: name, Partition: r.Partition, Offset: r.Offset, Value: string(r.Value), Txn: txn})
	}
	w.rec.Polled(polls...)
	if err := prod.BeginTransaction(); err != nil {
		w.t.Logf("%s: begin transaction %d: %v", name, txn, err)
		return false
	}
	for _, r := range recs {
		if strings.Count(string(r.Value), "x") >= 2 {
			continue // transformed twice already
		}
		out := &kgo.Record{Topic: w.topic, Partition: to, Value: []byte(fmt.Sprintf("x%d-%s", txn, r.Value))}
		prod.Produce(context.Background(), out, func(r *kgo.Record, err error) { w.sent(r, err, txn) })
	}
	return w.end(prod, txn, false)
}

func (w *txnWorkload) producer(id string) *kgo.Client {
	w.t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(w.c.clientAddrs()...),
		kgo.TransactionalID(id),
		kgo.TransactionTimeout(10 * time.Second),
		kgo.ProducerBatchCompression(kgo.NoCompression()), // the replicas' logs are read from disk
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProduceRequestTimeout(3 * time.Second),
	}, faultTiming()...)...)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(cl.Close)
	return cl
}

// consumer is a read_committed client of every partition from its start.
func (w *txnWorkload) consumer() *kgo.Client {
	offsets := map[int32]kgo.Offset{}
	for p := range w.partitions {
		offsets[p] = kgo.NewOffset().AtStart()
	}
	return w.consumerOf(offsets)
}

// consumerOf is a read_committed client of the given partitions.
func (w *txnWorkload) consumerOf(offsets map[int32]kgo.Offset) *kgo.Client {
	w.t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(w.c.clientAddrs()...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{w.topic: offsets}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.FetchMaxWait(200 * time.Millisecond),
	}, faultTiming()...)...)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(cl.Close)
	return cl
}

// transact runs transactions as transactional id until ctx ends. A
// producer that cannot go on (franz-go makes some connection errors fatal
// to a producer id) is replaced by a new client with the same id, which
// fences the old one, as an application restarting would.
func (w *txnWorkload) transact(ctx context.Context, id string) {
	cl := w.producer(id)
	for i := 0; ctx.Err() == nil; i++ {
		txn := w.begin()
		if err := cl.BeginTransaction(); err != nil {
			w.t.Logf("%s: begin transaction %d: %v; starting a new producer", id, txn, err)
			cl.Close()
			cl = w.producer(id)
			continue
		}
		for k := range int32(2) {
			part := (int32(i) + k) % w.partitions
			r := &kgo.Record{Topic: w.topic, Partition: part, Value: []byte(fmt.Sprintf("t%d-p%d", txn, part))}
			cl.Produce(context.Background(), r, func(r *kgo.Record, err error) { w.sent(r, err, txn) })
		}
		if !w.end(cl, txn, txn%3 == 0) {
			cl.Close()
			cl = w.producer(id)
		}
	}
}

// end flushes and commits (or aborts) a transaction and records how it
// ended; false when the producer cannot go on.
func (w *txnWorkload) end(cl *kgo.Client, txn int, abort bool) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	how := kgo.TryCommit
	if err := cl.Flush(ctx); err != nil || abort {
		how = kgo.TryAbort
		if err := cl.AbortBufferedRecords(ctx); err != nil {
			w.t.Logf("transaction %d: abort buffered records: %v", txn, err)
			return false
		}
	}
	err := cl.EndTransaction(ctx, how)
	switch {
	case err == nil && how == kgo.TryCommit:
		w.outcome(txn, checker.Committed)
		return true
	case err == nil:
		w.outcome(txn, checker.Aborted)
		return true
	}
	// The outcome of a failed commit is unknown (it stays Unknown): franz-go's
	// answer is to abort, which fences whatever is still open broker-side.
	// The abort itself may fail while the fault lasts: retry it.
	for attempt := 1; ; attempt++ {
		retry := cl.EndTransaction(ctx, kgo.TryAbort)
		if retry == nil {
			break
		}
		if ctx.Err() != nil || errors.Is(retry, kgo.ErrClientClosed) {
			w.t.Logf("transaction %d: end: %v; abort, attempt %d: %v", txn, err, attempt, retry)
			return false
		}
		time.Sleep(200 * time.Millisecond) // back off while the fault lasts
	}
	if how == kgo.TryAbort {
		w.outcome(txn, checker.Aborted)
	}
	return true
}

func (w *txnWorkload) begin() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.next++
	return w.next
}

func (w *txnWorkload) sent(r *kgo.Record, err error, txn int) {
	w.rec.AckTxn(string(r.Value), r.Partition, r.Offset, err, txn)
}

func (w *txnWorkload) outcome(txn int, o checker.Outcome) { w.rec.Ended(txn, o) }

func (w *txnWorkload) consume(ctx context.Context, cl *kgo.Client, name string) {
	for ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		var polls []checker.Poll
		fs.EachRecord(func(r *kgo.Record) {
			polls = append(polls, checker.Poll{Consumer: name, Partition: r.Partition, Offset: r.Offset, Value: string(r.Value)})
		})
		w.rec.Polled(polls...)
	}
}

// waitCommitted waits for n more committed transactions.
func (w *txnWorkload) waitCommitted(n int, within time.Duration) error {
	start := w.rec.Committed()
	deadline := time.Now().Add(within)
	for w.rec.Committed() < start+n {
		if time.Now().After(deadline) {
			return fmt.Errorf("fewer than %d transactions committed within %v", n, within)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition
	}
	return nil
}

func (w *txnWorkload) stop() {
	w.cancel()
	w.wg.Wait()
}

// verdict stops the workload, writes a plain sentinel record to every
// partition (a read_committed reader cannot tell it reached the end
// otherwise: the last offset is a transaction marker it never returns),
// reads every partition up to its sentinel as read_committed consumer
// "final", and judges the history.
func (w *txnWorkload) verdict(scenario string, faults ...fault) checker.Result {
	w.t.Helper()
	w.stop()
	sentinels := w.writeSentinels()
	cl := w.consumer()
	seen := map[int32]bool{}
	harness.Eventually(w.t, 60*time.Second, "the final read_committed read up to the sentinels", func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			w.rec.Polled(checker.Poll{Consumer: "final", Partition: r.Partition, Offset: r.Offset, Value: string(r.Value)})
			seen[r.Partition] = seen[r.Partition] || string(r.Value) == sentinels[r.Partition]
		})
		for p := range w.partitions {
			if !seen[p] {
				return fmt.Errorf("partition %d: sentinel not read yet", p)
			}
		}
		return nil
	})
	h := w.rec.History()
	h.Final = []string{"final"}
	h.ReadCommitted = append(slices.Clone(w.readCommitted), "final")
	return w.c.judge(scenario, h, w.topic, w.partitions, faults, checker.Result.Err)
}

// writeSentinels writes one plain acks=all record per partition and
// returns their values.
func (w *txnWorkload) writeSentinels() map[int32]string {
	w.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(w.c.clientAddrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerBatchCompression(kgo.NoCompression()))
	if err != nil {
		w.t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := map[int32]string{}
	for p := range w.partitions {
		out[p] = fmt.Sprintf("end-p%d", p)
		r := &kgo.Record{Topic: w.topic, Partition: p, Value: []byte(out[p])}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			w.t.Fatalf("sentinel of partition %d: %v", p, err)
		}
		w.rec.Ack(out[p], p, r.Offset, nil)
	}
	return out
}
