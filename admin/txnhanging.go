package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// DefaultMaxTransactionTimeout is kafka-transactions find-hanging's
// default --max-transaction-timeout (the broker's
// transaction.max.timeout.ms): a transaction open longer cannot be live.
const DefaultMaxTransactionTimeout = 15 * time.Minute

// HangingTransaction is an open transaction on a partition that its
// coordinator will never finish: the partition's last stable offset stays
// behind it until it is aborted (kq transactions abort).
type HangingTransaction struct {
	Topic            string `json:"topic"`
	Partition        int32  `json:"partition"`
	ProducerID       int64  `json:"producer_id"`
	ProducerEpoch    int16  `json:"producer_epoch"`
	CoordinatorEpoch int32  `json:"coordinator_epoch"`
	StartOffset      int64  `json:"start_offset"`
	LastTimestamp    int64  `json:"last_timestamp"`
	// DurationMs is how long ago the producer last wrote, when looked at.
	DurationMs int64 `json:"duration_ms"`
}

// FindHangingTransactions looks for hanging transactions, as
// kafka-transactions find-hanging: on topic's partition (every partition
// for -1), or on every partition with a replica on brokerID (-1: any
// broker; the producers are then asked of brokerID rather than the
// leaders). A transaction hangs when it has been open longer than
// maxTransactionTimeoutMs (0: DefaultMaxTransactionTimeout) and its
// coordinator does not list the partition in an ongoing transaction of its
// producer.
func (c *Client) FindHangingTransactions(ctx context.Context, topic string, partition int32, brokerID int32, maxTransactionTimeoutMs int64) ([]HangingTransaction, error) {
	if maxTransactionTimeoutMs <= 0 {
		maxTransactionTimeoutMs = DefaultMaxTransactionTimeout.Milliseconds()
	}
	search, err := c.partitionsToSearch(ctx, topic, partition, brokerID)
	if err != nil {
		return nil, fmt.Errorf("find hanging transactions: %w", err)
	}
	var pps []PartitionProducers
	for _, tp := range search {
		got, err := c.DescribeProducers(ctx, tp.Topic, tp.Partitions, brokerID)
		if err != nil {
			return nil, fmt.Errorf("find hanging transactions: %w", err)
		}
		pps = append(pps, got...)
	}
	open, err := OpenTransactions(pps, time.Now().UnixMilli(), maxTransactionTimeoutMs)
	if err != nil || len(open) == 0 {
		return open, err
	}
	listed, described, err := c.coordinatorsView(ctx, open)
	if err != nil {
		return nil, fmt.Errorf("find hanging transactions: %w", err)
	}
	return FilterHanging(open, listed, described)
}

// partitionsToSearch is the partitions find-hanging looks at, per topic.
func (c *Client) partitionsToSearch(ctx context.Context, topic string, partition, brokerID int32) ([]TopicPartitions, error) {
	if topic != "" && partition >= 0 {
		return []TopicPartitions{{Topic: topic, Partitions: []int32{partition}}}, nil
	}
	var names []string
	if topic != "" {
		names = []string{topic}
	}
	ts, err := c.Topics(ctx, names...)
	if err != nil {
		return nil, err
	}
	if topic == "" {
		// As Kafka's tool, which lists topics without the internal ones.
		ts = slices.DeleteFunc(ts, func(t Topic) bool { return t.Internal })
	}
	return replicasOn(ts, brokerID)
}

// replicasOn selects the partitions of ts with a replica on brokerID (all
// for -1), leaving out topics with none.
func replicasOn(ts []Topic, brokerID int32) ([]TopicPartitions, error) {
	var out []TopicPartitions
	for _, t := range ts {
		if t.Err != nil {
			return nil, fmt.Errorf("topic %s: %w", t.Name, t.Err)
		}
		tp := TopicPartitions{Topic: t.Name}
		for _, p := range t.Partitions {
			if brokerID < 0 || slices.Contains(p.Replicas, brokerID) {
				tp.Partitions = append(tp.Partitions, p.ID)
			}
		}
		if len(tp.Partitions) > 0 {
			out = append(out, tp)
		}
	}
	return out, nil
}

// coordinatorsView lists the transactional ids of the open transactions'
// producers and describes them.
func (c *Client) coordinatorsView(ctx context.Context, open []HangingTransaction) ([]TransactionListing, []Transaction, error) {
	var pids []int64
	for _, o := range open {
		if !slices.Contains(pids, o.ProducerID) {
			pids = append(pids, o.ProducerID)
		}
	}
	listed, err := c.ListTransactions(ctx, TransactionFilter{ProducerIDs: pids})
	if err != nil {
		return nil, nil, err
	}
	var ids []string
	for _, l := range listed {
		ids = append(ids, l.TransactionalID)
	}
	if len(ids) == 0 {
		return listed, nil, nil
	}
	described, err := c.DescribeTransactions(ctx, ids...)
	return listed, described, err
}

// OpenTransactions returns the producers of pps with an open transaction
// whose last write is more than maxTimeoutMs before nowMs: the
// candidates for hanging. A partition that could not be described is an
// error.
func OpenTransactions(pps []PartitionProducers, nowMs, maxTimeoutMs int64) ([]HangingTransaction, error) {
	out := []HangingTransaction{}
	for _, pp := range pps {
		if pp.Err != nil {
			return nil, fmt.Errorf("describe producers of %s-%d on broker %d: %w", pp.Topic, pp.Partition, pp.Broker, pp.Err)
		}
		for _, p := range pp.Producers {
			age := nowMs - p.LastTimestamp
			if p.CurrentTransactionStartOffset < 0 || age <= maxTimeoutMs {
				continue
			}
			out = append(out, HangingTransaction{Topic: pp.Topic, Partition: pp.Partition,
				ProducerID: p.ProducerID, ProducerEpoch: p.ProducerEpoch, CoordinatorEpoch: p.CoordinatorEpoch,
				StartOffset: p.CurrentTransactionStartOffset, LastTimestamp: p.LastTimestamp, DurationMs: age})
		}
	}
	return out, nil
}

// FilterHanging keeps the open transactions their coordinator does not
// know of: no transactional id lists their producer id, the id is unknown
// to its coordinator, or its transaction does not include the partition
// (a coordinator still writing markers lists the partition, so that
// transaction will end).
func FilterHanging(open []HangingTransaction, listed []TransactionListing, described []Transaction) ([]HangingTransaction, error) {
	ids := map[int64]string{}
	for _, l := range listed {
		ids[l.ProducerID] = l.TransactionalID
	}
	byID := map[string]Transaction{}
	for _, d := range described {
		if d.Err != nil && !errors.Is(d.Err, ErrNotFound) {
			return nil, d.Err
		}
		if d.Err == nil {
			byID[d.TransactionalID] = d
		}
	}
	out := []HangingTransaction{}
	for _, o := range open {
		d, known := byID[ids[o.ProducerID]]
		if !known || !d.includes(o.Topic, o.Partition) {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	return out, nil
}

// includes reports whether the transaction has topic's partition.
func (t Transaction) includes(topic string, partition int32) bool {
	for _, tp := range t.Partitions {
		if tp.Topic == topic && slices.Contains(tp.Partitions, partition) {
			return true
		}
	}
	return false
}
