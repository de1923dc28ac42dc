package replication

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// rawProduce sends one Produce request of one record straight to a
// broker (no client retries) and returns the partition's error.
func rawProduce(ctx context.Context, addr, topic string, p int32, acks int16, timeout time.Duration) error {
	// franz-go stamps its configured acks on every Produce it sends.
	ack := kgo.AllISRAcks()
	if acks == 1 {
		ack = kgo.LeaderAck()
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.RequiredAcks(ack), kgo.DisableIdempotentWrite())
	if err != nil {
		return err
	}
	defer cl.Close()
	req := kmsg.NewPtrProduceRequest()
	req.Acks, req.TimeoutMillis = acks, int32(timeout.Milliseconds())
	rp := kmsg.NewProduceRequestTopicPartition()
	rp.Partition, rp.Records = p, oneRecordBatch("raw")
	rt := kmsg.NewProduceRequestTopic()
	rt.Topic, rt.Partitions = topic, []kmsg.ProduceRequestTopicPartition{rp}
	req.Topics = []kmsg.ProduceRequestTopic{rt}
	resp, err := cl.SeedBrokers()[0].Request(ctx, req)
	if err != nil {
		return fmt.Errorf("produce request: %w", err)
	}
	return kerr.ErrorForCode(resp.(*kmsg.ProduceResponse).Topics[0].Partitions[0].ErrorCode)
}

// oneRecordBatch is a v2 batch holding one record.
func oneRecordBatch(value string) []byte {
	r := kmsg.Record{Value: []byte(value)}
	body := r.AppendTo(nil)[1:]
	r.Length = int32(len(body))
	b := kmsg.RecordBatch{PartitionLeaderEpoch: -1, Magic: 2, FirstTimestamp: time.Now().UnixMilli(), MaxTimestamp: time.Now().UnixMilli(),
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: 1, Records: r.AppendTo(nil)}
	return withCRC(b.AppendTo(nil))
}

// The produce guarantees with replication factor 3 and
// min.insync.replicas=2, with both followers frozen: acks=all waits and
// times out (REQUEST_TIMED_OUT) while the ISR still names them; a write
// accepted before the ISR shrank fails with NOT_ENOUGH_REPLICAS_AFTER_APPEND
// once it does; after that acks=all is refused up front
// (NOT_ENOUGH_REPLICAS) while acks=1 still works; thawed, the followers
// rejoin and acks=all works again.
func TestProduceGuaranteesWithFrozenFollowers(t *testing.T) {
	c := startCluster(t, 3, nil)
	c.createTopic("g", 1, minInsync2())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	leader := c.zk.Leader("g", 0)
	addr := c.brokers[leader].Addr
	if err := rawProduce(ctx, addr, "g", 0, -1, 5*time.Second); err != nil {
		t.Fatalf("acks=all with the whole ISR: %v", err)
	}
	var frozen []int32
	for id, b := range c.brokers {
		if id != leader {
			b.Freeze()
			frozen = append(frozen, id)
		}
	}
	defer func() {
		for _, id := range frozen {
			c.brokers[id].Thaw()
		}
	}()
	if err := rawProduce(ctx, addr, "g", 0, -1, time.Second); !errors.Is(err, kerr.RequestTimedOut) {
		t.Fatalf("acks=all, followers frozen, 1 s timeout: %v, want REQUEST_TIMED_OUT", err)
	}
	// Accepted now (the ISR is still whole), then the ISR shrinks when the
	// frozen followers' sessions expire.
	if err := rawProduce(ctx, addr, "g", 0, -1, 4*sessionTimeout); !errors.Is(err, kerr.NotEnoughReplicasAfterAppend) {
		t.Fatalf("acks=all across the ISR shrink: %v, want NOT_ENOUGH_REPLICAS_AFTER_APPEND", err)
	}
	if isr := c.isrOf("g", 0); len(isr) != 1 || isr[0] != leader {
		t.Fatalf("ISR %v, want just the leader %d", isr, leader)
	}
	if err := rawProduce(ctx, addr, "g", 0, -1, 5*time.Second); !errors.Is(err, kerr.NotEnoughReplicas) {
		t.Fatalf("acks=all with ISR of one: %v, want NOT_ENOUGH_REPLICAS", err)
	}
	if err := rawProduce(ctx, addr, "g", 0, 1, 5*time.Second); err != nil {
		t.Fatalf("acks=1 with ISR of one: %v", err)
	}
	for _, id := range frozen {
		c.brokers[id].Thaw()
	}
	c.zk.WaitFullIsr("g", 1, 30*time.Second)
	if err := rawProduce(ctx, addr, "g", 0, -1, 5*time.Second); err != nil {
		t.Fatalf("acks=all after the followers rejoined: %v", err)
	}
}

// A leader frozen past its session is replaced; thawed, it must not
// acknowledge acks=all writes as leader of its old epoch: its followers
// follow the new leader now, and its own ISR writes are fenced.
func TestFrozenLeaderCannotAcknowledge(t *testing.T) {
	c := startCluster(t, 3, nil)
	c.createTopic("z", 1, minInsync2())
	cl := c.producer()
	acked := produceN(t, cl, "z", 0, "before", 100)
	old := c.zk.Leader("z", 0)
	c.brokers[old].Freeze()
	c.waitNewLeader("z", 0, old, sessionTimeout+5*time.Second)
	acked = append(acked, produceN(t, cl, "z", 0, "during", 100)...)
	c.brokers[old].Thaw()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := rawProduce(ctx, c.brokers[old].Addr, "z", 0, -1, 2*time.Second); err == nil {
		t.Fatal("the thawed old leader acknowledged an acks=all write")
	}
	c.zk.WaitFullIsr("z", 1, 30*time.Second)
	acked = append(acked, produceN(t, cl, "z", 0, "after", 100)...)
	got := c.consumeAll("z", 0)
	if missing := missingValues(acked, got); len(missing) > 0 {
		t.Fatalf("%d acknowledged values lost, e.g. %q", len(missing), missing[0])
	}
	harness.StopAll(c.t, c.brokers)
	checkReplicasAgree(t, c, "z", 0)
}

func missingValues(acked, got []string) []string {
	have := map[string]bool{}
	for _, v := range got {
		have[v] = true
	}
	var out []string
	for _, v := range acked {
		if !have[v] {
			out = append(out, v)
		}
	}
	return out
}
