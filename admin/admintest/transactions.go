package admintest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// txnState is what the fake's transaction coordinators and partition
// leaders know of transactions, as tests set it.
type txnState struct {
	transactions map[string]admin.Transaction
	producers    map[string]map[int32][]admin.ProducerState
	aborted      []admin.AbortSpec
}

// txns returns the cluster's transaction state; c.mu must be held.
func (c *Cluster) txns() *txnState {
	if c.txn == nil {
		c.txn = &txnState{transactions: map[string]admin.Transaction{},
			producers: map[string]map[int32][]admin.ProducerState{}}
	}
	return c.txn
}

// SetTransaction adds or replaces a transactional id; its Coordinator is
// the controller when unset (0).
func (c *Cluster) SetTransaction(t admin.Transaction) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.Coordinator == 0 {
		t.Coordinator = c.controller
	}
	c.txns().transactions[t.TransactionalID] = t
}

// SetProducers replaces the active producers of a partition.
func (c *Cluster) SetProducers(topicName string, partition int32, producers ...admin.ProducerState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	parts := c.txns().producers[topicName]
	if parts == nil {
		parts = map[int32][]admin.ProducerState{}
		c.txns().producers[topicName] = parts
	}
	parts[partition] = producers
}

// Aborted returns the transactions AbortTransaction aborted, with the
// producer found for a start offset filled in.
func (c *Cluster) Aborted() []admin.AbortSpec {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.txns().aborted)
}

// ListTransactions lists like admin.Client.ListTransactions.
func (c *Cluster) ListTransactions(ctx context.Context, f admin.TransactionFilter) ([]admin.TransactionListing, error) {
	if err := c.failure("ListTransactions"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now().UnixMilli()
	out := []admin.TransactionListing{}
	for _, t := range c.txns().transactions {
		if !listed(t, f, now) {
			continue
		}
		out = append(out, admin.TransactionListing{TransactionalID: t.TransactionalID,
			ProducerID: t.ProducerID, State: t.State, Coordinator: t.Coordinator})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TransactionalID < out[j].TransactionalID })
	return out, nil
}

// listed applies a filter as a coordinator does.
func listed(t admin.Transaction, f admin.TransactionFilter, nowMs int64) bool {
	switch {
	case len(f.States) > 0 && !slices.Contains(f.States, t.State):
		return false
	case len(f.ProducerIDs) > 0 && !slices.Contains(f.ProducerIDs, t.ProducerID):
		return false
	case f.DurationMs > 0 && (t.StartTimestamp < 0 || nowMs-t.StartTimestamp <= f.DurationMs):
		return false
	}
	return true
}

// DescribeTransactions describes like admin.Client.DescribeTransactions:
// an unknown id comes back with Err matching admin.ErrNotFound.
func (c *Cluster) DescribeTransactions(ctx context.Context, ids ...string) ([]admin.Transaction, error) {
	if err := c.failure("DescribeTransactions"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(ids) == 0 {
		for id := range c.txns().transactions {
			ids = append(ids, id)
		}
		sort.Strings(ids)
	}
	out := make([]admin.Transaction, 0, len(ids))
	for _, id := range ids {
		t, ok := c.txns().transactions[id]
		if !ok {
			t = admin.Transaction{TransactionalID: id, ProducerID: -1, ProducerEpoch: -1, StartTimestamp: -1,
				Err: admin.TransactionalIDNotFound(id)}
		}
		if t.Partitions == nil {
			t.Partitions = []admin.TopicPartitions{}
		}
		out = append(out, t)
	}
	return out, nil
}

// DescribeProducers describes like admin.Client.DescribeProducers; a
// broker without a replica answers NOT_LEADER_OR_FOLLOWER.
func (c *Cluster) DescribeProducers(ctx context.Context, topicName string, partitions []int32, brokerID int32) ([]admin.PartitionProducers, error) {
	if err := c.failure("DescribeProducers"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.topics[topicName]
	if !ok {
		return nil, fmt.Errorf("describe producers: topic %s: %w", topicName, admin.ErrNotFound)
	}
	if len(partitions) == 0 {
		for i := range t.partitions {
			partitions = append(partitions, int32(i))
		}
	}
	var out []admin.PartitionProducers
	for _, p := range partitions {
		if p < 0 || int(p) >= len(t.partitions) {
			return nil, fmt.Errorf("describe producers: partition %s-%d: %w", topicName, p, admin.ErrNotFound)
		}
		out = append(out, c.partitionProducers(t, p, brokerID))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partition < out[j].Partition })
	return out, nil
}

func (c *Cluster) partitionProducers(t *topic, p int32, brokerID int32) admin.PartitionProducers {
	part := t.partitions[p]
	pp := admin.PartitionProducers{Topic: t.name, Partition: p, Broker: part.leader, Producers: []admin.ProducerState{}}
	if brokerID >= 0 {
		pp.Broker = brokerID
		if !slices.Contains(part.replicas, brokerID) {
			pp.Err = kerr.NotLeaderForPartition
			return pp
		}
	}
	pp.Producers = append(pp.Producers, c.txns().producers[t.name][p]...)
	sort.Slice(pp.Producers, func(i, j int) bool { return pp.Producers[i].ProducerID < pp.Producers[j].ProducerID })
	return pp
}

// AbortTransaction aborts like admin.Client.AbortTransaction: the
// producer's open transaction on the partition closes (its start offset
// becomes -1) and a marker takes the next offset. A producer epoch below
// the one the partition knows is refused (INVALID_PRODUCER_EPOCH).
func (c *Cluster) AbortTransaction(ctx context.Context, spec admin.AbortSpec) error {
	if err := c.failure("AbortTransaction"); err != nil {
		return err
	}
	if spec.StartOffset >= 0 {
		pps, err := c.DescribeProducers(ctx, spec.Topic, []int32{spec.Partition}, -1)
		if err != nil {
			return fmt.Errorf("abort transaction: %w", err)
		}
		if spec, err = admin.ResolveAbortSpec(spec, pps); err != nil {
			return fmt.Errorf("abort transaction: %w", err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.topics[spec.Topic]
	if !ok || spec.Partition < 0 || int(spec.Partition) >= len(t.partitions) {
		return fmt.Errorf("abort transaction: partition %s-%d: %w", spec.Topic, spec.Partition, admin.ErrNotFound)
	}
	producers := c.txns().producers[spec.Topic][spec.Partition]
	for i, p := range producers {
		if p.ProducerID == spec.ProducerID && spec.ProducerEpoch < p.ProducerEpoch {
			return fmt.Errorf("abort transaction of producer %d: %w", spec.ProducerID, kerr.InvalidProducerEpoch)
		}
		if p.ProducerID == spec.ProducerID {
			producers[i].CurrentTransactionStartOffset = -1
		}
	}
	c.appendMarker(t, spec.Partition)
	c.txns().aborted = append(c.txns().aborted, spec)
	return nil
}

// appendMarker writes a transaction marker record; c.mu must be held.
func (c *Cluster) appendMarker(t *topic, p int32) {
	part := t.partitions[p]
	part.records = append(part.records, admin.Record{Topic: t.name, Partition: p, Offset: part.end(),
		Timestamp: time.Now(), Headers: []admin.Header{{Key: MarkerHeader}}})
	close(c.changed)
	c.changed = make(chan struct{})
}

// FindHangingTransactions finds like admin.Client.FindHangingTransactions,
// over the producers and transactions the test set.
func (c *Cluster) FindHangingTransactions(ctx context.Context, topicName string, partition int32, brokerID int32, maxTransactionTimeoutMs int64) ([]admin.HangingTransaction, error) {
	if err := c.failure("FindHangingTransactions"); err != nil {
		return nil, err
	}
	if maxTransactionTimeoutMs <= 0 {
		maxTransactionTimeoutMs = admin.DefaultMaxTransactionTimeout.Milliseconds()
	}
	pps, err := c.producersToSearch(ctx, topicName, partition, brokerID)
	if err != nil {
		return nil, err
	}
	open, err := admin.OpenTransactions(pps, time.Now().UnixMilli(), maxTransactionTimeoutMs)
	if err != nil {
		return nil, err
	}
	listed, _ := c.ListTransactions(ctx, admin.TransactionFilter{})
	described, _ := c.DescribeTransactions(ctx)
	return admin.FilterHanging(open, listed, described)
}

func (c *Cluster) producersToSearch(ctx context.Context, topicName string, partition, brokerID int32) ([]admin.PartitionProducers, error) {
	var names []string
	if topicName != "" {
		names = []string{topicName}
	}
	ts, err := c.Topics(ctx, names...)
	if err != nil {
		return nil, err
	}
	var out []admin.PartitionProducers
	for _, t := range ts {
		if t.Err != nil {
			return nil, fmt.Errorf("find hanging transactions: topic %s: %w", t.Name, admin.ErrNotFound)
		}
		if topicName == "" && t.Internal {
			continue // as Kafka's tool, which lists topics without the internal ones
		}
		var parts []int32
		for _, p := range t.Partitions {
			if (partition < 0 || p.ID == partition) && (brokerID < 0 || slices.Contains(p.Replicas, brokerID)) {
				parts = append(parts, p.ID)
			}
		}
		if len(parts) == 0 {
			continue
		}
		got, err := c.DescribeProducers(ctx, t.Name, parts, brokerID)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// LastStableOffsets answers like admin.Client.LastStableOffsets: the
// earliest open transaction's start offset, else the high watermark.
func (c *Cluster) LastStableOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error) {
	if err := c.failure("LastStableOffsets"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(topics) == 0 {
		for name := range c.topics {
			topics = append(topics, name)
		}
	}
	out := map[string]map[int32]int64{}
	for _, name := range topics {
		t, ok := c.topics[name]
		if !ok {
			continue
		}
		out[name] = map[int32]int64{}
		for i, part := range t.partitions {
			out[name][int32(i)] = c.lastStable(name, int32(i), part.end())
		}
	}
	return out, nil
}

func (c *Cluster) lastStable(topicName string, p int32, hw int64) int64 {
	lso := hw
	for _, ps := range c.txns().producers[topicName][p] {
		if ps.CurrentTransactionStartOffset >= 0 && ps.CurrentTransactionStartOffset < lso {
			lso = ps.CurrentTransactionStartOffset
		}
	}
	return lso
}
