package admintest

import (
	"context"
	"fmt"
	"hash/crc32"
	"sort"
	"sync"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// Producer writes records straight into a Cluster's partitions.
type Producer struct {
	c      *Cluster
	Config admin.ProducerConfig // as given to NewProducer, for assertions

	mu      sync.Mutex
	next    int // round-robin partition for keyless records
	Closed  bool
	Flushed int
	txn     producerTxn // transactions.go
}

// NewProducer returns a producer for this cluster.
func (c *Cluster) NewProducer(pc admin.ProducerConfig) *Producer {
	return &Producer{c: c, Config: pc}
}

// Prepare checks that topics exist or may be auto-created.
func (p *Producer) Prepare(ctx context.Context, topics ...string) error {
	if err := p.c.failure("Prepare"); err != nil {
		return err
	}
	p.c.mu.Lock()
	defer p.c.mu.Unlock()
	for _, name := range topics {
		if _, ok := p.c.topics[name]; !ok && !(p.c.AutoCreateTopics && p.Config.AllowAutoTopicCreation) {
			return fmt.Errorf("topic %s: %w", name, kerr.UnknownTopicOrPartition)
		}
	}
	return nil
}

// Produce appends rec and calls done synchronously.
func (p *Producer) Produce(ctx context.Context, rec admin.Record, done func(admin.Record, error)) {
	if err := p.c.failure("Produce"); err != nil {
		done(rec, err)
		return
	}
	written, err := p.c.append(rec, p.pick)
	if err == nil {
		p.inTransaction(written)
	}
	done(written, err)
}

// SendValue produces a keyless record of value through Produce.
func (p *Producer) SendValue(ctx context.Context, topic string, value []byte, sent time.Time, done func(time.Time, error)) {
	rec := admin.Record{Topic: topic, Partition: admin.AnyPartition, Value: value, Timestamp: sent}
	p.Produce(ctx, rec, func(_ admin.Record, err error) { done(sent, err) })
}

func (p *Producer) pick(rec admin.Record, n int) int32 {
	if rec.Key != nil {
		return int32(crc32.ChecksumIEEE(rec.Key) % uint32(n))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next++
	return int32((p.next - 1) % n)
}

// Flush counts calls; records are already written.
func (p *Producer) Flush(ctx context.Context) error {
	p.mu.Lock()
	p.Flushed++
	p.mu.Unlock()
	return p.c.failure("Flush")
}

// Close marks the producer closed.
func (p *Producer) Close() {
	p.mu.Lock()
	p.Closed = true
	p.mu.Unlock()
}

func (c *Cluster) append(rec admin.Record, pick func(admin.Record, int) int32) (admin.Record, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.topics[rec.Topic]
	if !ok && c.AutoCreateTopics {
		c.addTopic(rec.Topic, roundRobin(c.brokerIDs(), int(c.NumPartitions), 0, int(c.ReplicationFactor)), nil)
		t = c.topics[rec.Topic]
	}
	if !ok && t == nil {
		return rec, kerr.UnknownTopicOrPartition
	}
	if rec.Partition == admin.AnyPartition {
		rec.Partition = pick(rec, len(t.partitions))
	}
	if rec.Partition < 0 || int(rec.Partition) >= len(t.partitions) {
		return rec, fmt.Errorf("invalid record partitioning choice of %d from %d available", rec.Partition, len(t.partitions))
	}
	part := t.partitions[rec.Partition]
	rec.Offset = part.end()
	if rec.Timestamp.IsZero() {
		rec.Timestamp = time.Now()
	}
	part.records = append(part.records, rec)
	close(c.changed)
	c.changed = make(chan struct{})
	return rec, nil
}

// Consumer reads records from fixed start offsets.
type Consumer struct {
	c      *Cluster
	Config admin.ConsumerConfig
	pos    map[string]map[int32]int64
	Closed bool
}

// NewConsumer returns a consumer for this cluster.
func (c *Cluster) NewConsumer(conf admin.ConsumerConfig) *Consumer {
	pos := map[string]map[int32]int64{}
	for t, parts := range conf.Start {
		pos[t] = map[int32]int64{}
		for p, off := range parts {
			pos[t][p] = off
		}
	}
	return &Consumer{c: c, Config: conf, pos: pos}
}

// Poll returns the records after the consumer's positions, waiting for
// some until ctx ends.
func (cs *Consumer) Poll(ctx context.Context) ([]admin.Record, error) {
	for {
		if err := cs.c.failure("Poll"); err != nil {
			return nil, err
		}
		recs, changed := cs.available()
		if len(recs) > 0 {
			return recs, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-changed:
		}
	}
}

func (cs *Consumer) available() ([]admin.Record, <-chan struct{}) {
	cs.c.mu.Lock()
	defer cs.c.mu.Unlock()
	var out []admin.Record
	for _, name := range sortedTopics(cs.pos) {
		t, ok := cs.c.topics[name]
		if !ok {
			continue
		}
		for _, p := range sortedPartitions(cs.pos[name]) {
			if int(p) >= len(t.partitions) {
				continue
			}
			part := t.partitions[p]
			for off := cs.pos[name][p]; off < part.end(); off++ {
				if rec := part.records[off-part.logStart]; !isMarker(rec) {
					out = append(out, rec)
				}
			}
			cs.pos[name][p] = part.end()
		}
	}
	return out, cs.c.changed
}

// Position is the offset after the last record polled in a partition,
// markers included.
func (cs *Consumer) Position(topic string, partition int32) (int64, bool) {
	cs.c.mu.Lock()
	defer cs.c.mu.Unlock()
	next, ok := cs.pos[topic][partition]
	return next, ok
}

// Close marks the consumer closed.
func (cs *Consumer) Close() { cs.Closed = true }

// MarkerHeader, as a record's only header key, makes the fake treat the
// record as a transaction marker: it takes an offset, consumers skip it.
const MarkerHeader = "__kq_test_transaction_marker"

func isMarker(r admin.Record) bool {
	return len(r.Headers) == 1 && r.Headers[0].Key == MarkerHeader
}

func sortedTopics(m map[string]map[int32]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedPartitions(m map[int32]int64) []int32 {
	out := make([]int32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
