package admin

import (
	"context"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// SendValue queues a keyless record of value to topic, its partition left
// to the partitioner, stamped with sent (as Produce stamps a record
// without timestamp, to the millisecond); done is called once, from
// another goroutine, with sent and the error. It is Produce for a load
// generator (kq perf produce): the same client, partitioner and batches,
// without Produce's allocations and clock reads per record (the record
// comes from a free list and returns to it after done, and the caller's
// send time is the timestamp), so the generator's CPU per record stays
// small beside the broker's it measures. value must not change until done.
func (p *Producer) SendValue(ctx context.Context, topic string, value []byte, sent time.Time, done func(sent time.Time, err error)) {
	sr, _ := p.sent.Get().(*sentRecord)
	if sr == nil {
		sr = new(sentRecord)
	}
	sr.Context, sr.sent, sr.done, sr.pool = ctx, sent, done, &p.sent
	sr.rec = kgo.Record{Topic: topic, Partition: AnyPartition, Value: value, Timestamp: sent, Context: sr}
	p.cl.Produce(ctx, &sr.rec, sentPromise)
}

// sentRecord is a SendValue record with what its callback needs. It is
// the record's context (wrapping the caller's, which the client consults
// for cancellation), so the callback finds it without a closure.
type sentRecord struct {
	context.Context
	rec  kgo.Record
	sent time.Time
	done func(time.Time, error)
	pool *sync.Pool
}

// sentPromise is every SendValue record's callback: the client is done
// with the record once it calls it, so the record goes back to the pool.
func sentPromise(r *kgo.Record, err error) {
	sr := r.Context.(*sentRecord)
	sent, done, pool := sr.sent, sr.done, sr.pool
	sr.Context = nil // SendValue sets every field again
	pool.Put(sr)
	done(sent, err)
}
