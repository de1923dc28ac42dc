package compat

import (
	"context"
	"crypto/rand"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestTxnBenchmark (KQ_BENCH=1) measures, against one real broker in the
// same run with the same 1 KiB records, franz-go's transactional produce
// committing every 100 ms against its idempotent produce, and a
// read_committed consume of the transactional data against a
// read_uncommitted one. Rounds alternate (ABBA) so drift hits both sides. The
// goals: transactional produce at least 0.9x idempotent, read_committed at
// least 0.95x read_uncommitted.
func TestTxnBenchmark(t *testing.T) {
	if os.Getenv("KQ_BENCH") != "1" {
		t.Skip("set KQ_BENCH=1 to run the transaction benchmark")
	}
	const rounds, produceFor, commitEvery, size = 4, 2 * time.Second, 100 * time.Millisecond, 1024
	b := startTxnBroker(t)
	createTopics(t, b.Admin(), map[string]int32{"bench-idem": 3, "bench-txn": 3})
	value := make([]byte, size)
	_, _ = rand.Read(value)
	// Both clients alike: uncompressed, sticky, at most 4000 records (4 MiB)
	// buffered, so a commit's flush drains milliseconds of records, not
	// the hundreds of milliseconds kgo's default buffer holds at this rate.
	common := []kgo.Opt{kgo.ProducerBatchCompression(kgo.NoCompression()), kgo.RecordPartitioner(kgo.StickyPartitioner()),
		kgo.MaxBufferedRecords(4000)}
	idem := b.Client(common...)
	txn := txnClient(t, b.Addr, "bench-txn", common...)

	var idemRate, txnRate rate
	var stats txnStats
	var txnRecords int64
	for i := range rounds {
		idempotent := func() { idemRate.add(produceIdempotent(t, idem, "bench-idem", value, produceFor)) }
		transactional := func() {
			n, d := produceTransactional(t, txn, "bench-txn", value, produceFor, commitEvery, &stats)
			txnRate.add(n, d)
			txnRecords += n
		}
		abba(i, idempotent, transactional)
	}
	var rc, ru rate
	for i := range rounds {
		abba(i, func() { ru.add(consumeAll(t, b.Addr, "bench-txn", txnRecords, kgo.ReadUncommitted())) },
			func() { rc.add(consumeAll(t, b.Addr, "bench-txn", txnRecords, kgo.ReadCommitted())) })
	}
	produceRatio, consumeRatio := txnRate.perSec()/idemRate.perSec(), rc.perSec()/ru.perSec()
	t.Logf("produce %d B records: idempotent %.0f/s, transactional (commit every %v) %.0f/s: %.2fx",
		size, idemRate.perSec(), commitEvery, txnRate.perSec(), produceRatio)
	t.Logf("  %d transactions: flush before the commit %v, EndTxn %v on average", stats.txns,
		(stats.flush / time.Duration(stats.txns)).Round(time.Microsecond), (stats.end / time.Duration(stats.txns)).Round(time.Microsecond))
	t.Logf("consume %d transactional records: read_uncommitted %.0f/s, read_committed %.0f/s: %.2fx",
		txnRecords, ru.perSec(), rc.perSec(), consumeRatio)
	if produceRatio < 0.9 {
		t.Errorf("transactional produce at %.2fx idempotent, goal 0.9x", produceRatio)
	}
	if consumeRatio < 0.95 {
		t.Errorf("read_committed consume at %.2fx read_uncommitted, goal 0.95x", consumeRatio)
	}
}

// abba runs a then b in even rounds, b then a in odd ones, so a drift in
// the machine's load weighs on both alike.
func abba(round int, a, b func()) {
	if round%2 == 0 {
		a()
		b()
		return
	}
	b()
	a()
}

// txnStats sums the time transactions spend ending.
type txnStats struct {
	txns       int
	flush, end time.Duration
}

// rate sums records and time over rounds.
type rate struct {
	n int64
	d time.Duration
}

func (r *rate) add(n int64, d time.Duration) { r.n += n; r.d += d }
func (r *rate) perSec() float64              { return float64(r.n) / r.d.Seconds() }

// produceIdempotent produces as fast as the client takes records for a
// while and returns how many were acknowledged and how long that took.
func produceIdempotent(t *testing.T, cl *kgo.Client, topic string, value []byte, d time.Duration) (int64, time.Duration) {
	t.Helper()
	ctx := context.Background()
	var acked atomic.Int64
	var failed atomic.Value
	start := time.Now()
	for time.Since(start) < d {
		cl.Produce(ctx, &kgo.Record{Topic: topic, Value: value}, func(_ *kgo.Record, err error) {
			if err != nil {
				failed.Store(err)
				return
			}
			acked.Add(1)
		})
	}
	if err := cl.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err, _ := failed.Load().(error); err != nil {
		t.Fatalf("idempotent produce: %v", err)
	}
	return acked.Load(), time.Since(start)
}

// produceTransactional produces the same way in transactions committed
// every interval.
func produceTransactional(t *testing.T, cl *kgo.Client, topic string, value []byte, d, every time.Duration, stats *txnStats) (int64, time.Duration) {
	t.Helper()
	ctx := context.Background()
	var acked atomic.Int64
	var failed atomic.Value
	start := time.Now()
	for time.Since(start) < d {
		if err := cl.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		for time.Since(began) < every {
			cl.Produce(ctx, &kgo.Record{Topic: topic, Value: value}, func(_ *kgo.Record, err error) {
				if err != nil {
					failed.Store(err)
					return
				}
				acked.Add(1)
			})
		}
		flushing := time.Now()
		if err := cl.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		ending := time.Now()
		if err := cl.EndTransaction(ctx, kgo.TryCommit); err != nil {
			t.Fatalf("commit: %v", err)
		}
		stats.txns++
		stats.flush += ending.Sub(flushing)
		stats.end += time.Since(ending)
	}
	if err, _ := failed.Load().(error); err != nil {
		t.Fatalf("transactional produce: %v", err)
	}
	return acked.Load(), time.Since(start)
}

// consumeAll reads n records of a topic from the start with an isolation
// level and returns n and how long it took.
func consumeAll(t *testing.T, addr, topic string, n int64, level kgo.IsolationLevel) (int64, time.Duration) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic), kgo.FetchIsolationLevel(level),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxBytes(16<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	var got int64
	for got < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consume %s (%v): %d of %d records", topic, level, got, n)
		}
		fs.EachError(func(topic string, p int32, err error) { t.Fatalf("fetch %s-%d: %v", topic, p, err) })
		got += int64(fs.NumRecords())
	}
	if got != n {
		t.Fatalf("consume %s (%v): %d records, want %d", topic, level, got, n)
	}
	return got, time.Since(start)
}
