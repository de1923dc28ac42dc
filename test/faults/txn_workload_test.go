package faults

import (
	"context"
	"errors"
	"fmt"
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

	mu   sync.Mutex
	h    checker.History
	next int // the last transaction id handed out

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startTxnWorkload(t *testing.T, c *cluster, topic string, partitions int32, producers, consumers int) *txnWorkload {
	t.Helper()
	w := &txnWorkload{t: t, c: c, topic: topic, partitions: partitions, h: checker.History{Idempotent: true, Txns: map[int]checker.Outcome{}}}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	for i := range producers {
		cl := w.producer(fmt.Sprintf("faults-txn-%d", i))
		w.wg.Add(1)
		go func() { defer w.wg.Done(); w.transact(ctx, cl, i) }()
	}
	for i := range consumers {
		name := fmt.Sprintf("rc-%d", i)
		cl := w.consumer()
		w.h.ReadCommitted = append(w.h.ReadCommitted, name)
		w.wg.Add(1)
		go func() { defer w.wg.Done(); w.consume(ctx, cl, name) }()
	}
	t.Cleanup(w.stop)
	if err := w.waitCommitted(10, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *txnWorkload) producer(id string) *kgo.Client {
	w.t.Helper()
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(w.c.clientAddrs()...),
		kgo.TransactionalID(id),
		kgo.TransactionTimeout(10*time.Second),
		kgo.ProducerBatchCompression(kgo.NoCompression()), // the replicas' logs are read from disk
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProduceRequestTimeout(3*time.Second),
		kgo.RequestTimeoutOverhead(time.Second),
		kgo.RetryBackoffFn(func(int) time.Duration { return 50 * time.Millisecond }),
		kgo.MetadataMinAge(50*time.Millisecond),
	)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(cl.Close)
	return cl
}

func (w *txnWorkload) consumer() *kgo.Client {
	w.t.Helper()
	offsets := map[int32]kgo.Offset{}
	for p := range w.partitions {
		offsets[p] = kgo.NewOffset().AtStart()
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(w.c.clientAddrs()...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{w.topic: offsets}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.FetchMaxWait(200*time.Millisecond),
		kgo.RequestTimeoutOverhead(time.Second),
		kgo.RetryBackoffFn(func(int) time.Duration { return 50 * time.Millisecond }),
		kgo.MetadataMinAge(50*time.Millisecond),
	)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(cl.Close)
	return cl
}

// transact runs transactions until ctx ends or the producer cannot go
// on (a fatal error: the test then sees too little progress).
func (w *txnWorkload) transact(ctx context.Context, cl *kgo.Client, producer int) {
	for i := 0; ctx.Err() == nil; i++ {
		txn := w.begin()
		if err := cl.BeginTransaction(); err != nil {
			w.t.Logf("producer %d: begin transaction %d: %v", producer, txn, err)
			return
		}
		for k := range int32(2) {
			part := (int32(i) + k) % w.partitions
			r := &kgo.Record{Topic: w.topic, Partition: part, Value: []byte(fmt.Sprintf("t%d-p%d", txn, part))}
			cl.Produce(context.Background(), r, func(r *kgo.Record, err error) { w.sent(r, err, txn) })
		}
		if !w.end(cl, txn, txn%3 == 0) {
			return
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
	// The outcome of a failed commit is unknown: franz-go's answer is
	// to abort, which fences whatever is still open broker-side.
	if retry := cl.EndTransaction(ctx, kgo.TryAbort); retry != nil {
		w.t.Logf("transaction %d: end %v, then abort: %v", txn, err, retry)
		return !errors.Is(retry, kgo.ErrClientClosed)
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
	w.mu.Lock()
	defer w.mu.Unlock()
	w.h.Sends = append(w.h.Sends, checker.Send{Value: string(r.Value), Partition: r.Partition, Offset: r.Offset, Err: err, At: time.Now(), Txn: txn})
}

func (w *txnWorkload) outcome(txn int, o checker.Outcome) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.h.Txns[txn] = o
}

func (w *txnWorkload) consume(ctx context.Context, cl *kgo.Client, name string) {
	for ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		var polls []checker.Poll
		fs.EachRecord(func(r *kgo.Record) {
			polls = append(polls, checker.Poll{Consumer: name, Partition: r.Partition, Offset: r.Offset, Value: string(r.Value)})
		})
		w.mu.Lock()
		w.h.Polls = append(w.h.Polls, polls...)
		w.mu.Unlock()
	}
}

// committed counts the transactions known committed.
func (w *txnWorkload) committed() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, o := range w.h.Txns {
		if o == checker.Committed {
			n++
		}
	}
	return n
}

// waitCommitted waits for n more committed transactions.
func (w *txnWorkload) waitCommitted(n int, within time.Duration) error {
	start := w.committed()
	deadline := time.Now().Add(within)
	for w.committed() < start+n {
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
			w.h.Polls = append(w.h.Polls, checker.Poll{Consumer: "final", Partition: r.Partition, Offset: r.Offset, Value: string(r.Value)})
			seen[r.Partition] = seen[r.Partition] || string(r.Value) == sentinels[r.Partition]
		})
		for p := range w.partitions {
			if !seen[p] {
				return fmt.Errorf("partition %d: sentinel not read yet", p)
			}
		}
		return nil
	})
	h := w.h
	h.Final = []string{"final"}
	h.ReadCommitted = append(h.ReadCommitted, "final")
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
		w.h.Sends = append(w.h.Sends, checker.Send{Value: out[p], Partition: p, Offset: r.Offset, At: time.Now()})
	}
	return out
}
