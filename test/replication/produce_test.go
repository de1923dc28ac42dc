package replication

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// producer returns an acks=all client without idempotence (so retries may
// duplicate, which the tests count) and without compression (so the tests
// can read logs from disk), one request in flight per broker (so records
// land in the order they were acknowledged), short timeouts (so a frozen
// broker is given up on within seconds).
func (c *cluster) producer(opts ...kgo.Opt) *kgo.Client {
	return c.client(append([]kgo.Opt{
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.DisableIdempotentWrite(),
		kgo.ProducerBatchCompression(kgo.NoCompression()),
		kgo.MaxProduceRequestsInflightPerBroker(1),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProduceRequestTimeout(5 * time.Second),
		kgo.RequestTimeoutOverhead(time.Second), // notice a frozen leader within seconds
		kgo.RetryBackoffFn(func(int) time.Duration { return 50 * time.Millisecond }),
		kgo.MetadataMinAge(50 * time.Millisecond),
	}, opts...)...)
}

// produceN writes n values "<prefix>-<i>" to a partition, acks=all, and
// fails the test on any error.
func produceN(t *testing.T, cl *kgo.Client, topic string, p int32, prefix string, n int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var values []string
	var recs []*kgo.Record
	for i := range n {
		v := fmt.Sprintf("%s-%d", prefix, i)
		values = append(values, v)
		recs = append(recs, &kgo.Record{Topic: topic, Partition: p, Value: []byte(v)})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce %s: %v", prefix, err)
	}
	return values
}

// highWatermark asks the leader for a partition's high watermark (a
// consumer's end offset).
func (c *cluster) highWatermark(topic string, p int32) int64 {
	c.t.Helper()
	end, ok := c.highWatermarks(topic)[p]
	if !ok {
		c.t.Fatalf("no end offset of %s-%d", topic, p)
	}
	return end
}

// highWatermarks returns the end offset of every partition of topic.
func (c *cluster) highWatermarks(topic string) map[int32]int64 {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ends, err := kadm.NewClient(c.client()).ListEndOffsets(ctx, topic)
	if err != nil {
		c.t.Fatalf("list end offsets: %v", err)
	}
	out := map[int32]int64{}
	for _, o := range ends[topic] {
		if o.Err != nil {
			c.t.Fatalf("end offset of %s-%d: %v", topic, o.Partition, o.Err)
		}
		out[o.Partition] = o.Offset
	}
	return out
}

// consumeAll reads a partition's values from the start to its high
// watermark.
func (c *cluster) consumeAll(topic string, p int32) []string {
	c.t.Helper()
	cl := c.client(kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {p: kgo.NewOffset().AtStart()}}))
	var out []string
	for _, r := range harness.ReadToEnd(c.t, cl, topic, map[int32]int64{p: c.highWatermark(topic, p)}, 30*time.Second) {
		out = append(out, r.Value)
	}
	return out
}
