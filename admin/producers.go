package admin

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// ProducerState is one active producer of a partition as a replica keeps
// it (DescribeProducers).
type ProducerState struct {
	ProducerID    int64 `json:"producer_id"`
	ProducerEpoch int16 `json:"producer_epoch"`
	LastSequence  int32 `json:"last_sequence"`
	// LastTimestamp is the time of the producer's last batch (ms).
	LastTimestamp int64 `json:"last_timestamp"`
	// CoordinatorEpoch is the epoch of the transaction coordinator that
	// wrote the producer's last marker, -1 when none did.
	CoordinatorEpoch int32 `json:"coordinator_epoch"`
	// CurrentTransactionStartOffset is the first offset of the producer's
	// open transaction, -1 when none is open.
	CurrentTransactionStartOffset int64 `json:"current_transaction_start_offset"`
}

// PartitionProducers are the active producers of one partition on the
// broker that answered.
type PartitionProducers struct {
	Topic     string          `json:"topic"`
	Partition int32           `json:"partition"`
	Broker    int32           `json:"broker"`
	Producers []ProducerState `json:"producers"`
	// Err is the partition's error on that broker (NOT_LEADER_OR_FOLLOWER
	// when it holds no replica).
	Err error `json:"-"`
}

// DescribeProducers describes the active producers of a topic's partitions
// (every partition when none are given), asking brokerID, or each
// partition's leader when brokerID is -1. The result is sorted by
// partition, producers by id.
func (c *Client) DescribeProducers(ctx context.Context, topic string, partitions []int32, brokerID int32) ([]PartitionProducers, error) {
	targets, err := c.producerTargets(ctx, topic, partitions, brokerID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var out []PartitionProducers
	for broker, parts := range targets {
		got, err := c.describeProducersOn(ctx, broker, topic, parts)
		if err != nil {
			return nil, fmt.Errorf("describe producers of %s on broker %d: %w", topic, broker, err)
		}
		out = append(out, got...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partition < out[j].Partition })
	return out, nil
}

// producerTargets maps the broker to ask to the partitions to ask it
// about: the leader's (a partition without one fails with
// LEADER_NOT_AVAILABLE), or brokerID's.
func (c *Client) producerTargets(ctx context.Context, topic string, partitions []int32, brokerID int32) (map[int32][]int32, error) {
	ts, err := c.Topics(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("describe producers: %w", err)
	}
	if len(ts) != 1 || ts[0].Err != nil {
		return nil, fmt.Errorf("describe producers: topic %s: %w", topic, ErrNotFound)
	}
	leaders := map[int32]int32{}
	for _, p := range ts[0].Partitions {
		leaders[p.ID] = p.Leader
	}
	if len(partitions) == 0 {
		for id := range leaders {
			partitions = append(partitions, id)
		}
		slices.Sort(partitions)
	}
	out := map[int32][]int32{}
	for _, p := range partitions {
		leader, ok := leaders[p]
		switch {
		case !ok:
			return nil, fmt.Errorf("describe producers: partition %s-%d: %w", topic, p, ErrNotFound)
		case brokerID >= 0:
			leader = brokerID
		case leader < 0:
			return nil, fmt.Errorf("describe producers: partition %s-%d has no leader", topic, p)
		}
		out[leader] = append(out[leader], p)
	}
	return out, nil
}

func (c *Client) describeProducersOn(ctx context.Context, broker int32, topic string, partitions []int32) ([]PartitionProducers, error) {
	req := kmsg.NewPtrDescribeProducersRequest()
	rt := kmsg.NewDescribeProducersRequestTopic()
	rt.Topic, rt.Partitions = topic, partitions
	req.Topics = append(req.Topics, rt)
	kresp, err := c.kgo.Broker(int(broker)).Request(ctx, req)
	if err != nil {
		return nil, err
	}
	var out []PartitionProducers
	for _, t := range kresp.(*kmsg.DescribeProducersResponse).Topics {
		for _, p := range t.Partitions {
			out = append(out, partitionProducers(broker, t.Topic, p))
		}
	}
	return out, nil
}

func partitionProducers(broker int32, topic string, p kmsg.DescribeProducersResponseTopicPartition) PartitionProducers {
	pp := PartitionProducers{Topic: topic, Partition: p.Partition, Broker: broker,
		Producers: []ProducerState{}, Err: kafkaError(p.ErrorCode, p.ErrorMessage)}
	for _, a := range p.ActiveProducers {
		pp.Producers = append(pp.Producers, ProducerState{
			ProducerID: a.ProducerID, ProducerEpoch: int16(a.ProducerEpoch), LastSequence: a.LastSequence,
			LastTimestamp: a.LastTimestamp, CoordinatorEpoch: a.CoordinatorEpoch,
			CurrentTransactionStartOffset: a.CurrentTxnStartOffset,
		})
	}
	sort.Slice(pp.Producers, func(i, j int) bool { return pp.Producers[i].ProducerID < pp.Producers[j].ProducerID })
	return pp
}
