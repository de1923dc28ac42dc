package admin

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// AbortSpec names an open transaction on one partition, as
// kafka-transactions abort takes it: by the offset it started at
// (StartOffset >= 0; the producer is looked up on the partition's leader),
// or, with StartOffset -1, by its producer id, epoch and the coordinator
// epoch of the producer's last marker.
type AbortSpec struct {
	Topic            string `json:"topic"`
	Partition        int32  `json:"partition"`
	ProducerID       int64  `json:"producer_id"`
	ProducerEpoch    int16  `json:"producer_epoch"`
	CoordinatorEpoch int32  `json:"coordinator_epoch"`
	StartOffset      int64  `json:"start_offset"`
}

// AbortTransaction writes an ABORT marker for a transaction to the
// partition's leader (WriteTxnMarkers, KIP-664), closing a transaction its
// coordinator no longer will: the records become aborted and the last
// stable offset moves on.
func (c *Client) AbortTransaction(ctx context.Context, spec AbortSpec) error {
	leader, err := c.leaderOf(ctx, spec.Topic, spec.Partition)
	if err != nil {
		return fmt.Errorf("abort transaction: %w", err)
	}
	if spec.StartOffset >= 0 {
		pps, err := c.DescribeProducers(ctx, spec.Topic, []int32{spec.Partition}, leader)
		if err != nil {
			return fmt.Errorf("abort transaction: %w", err)
		}
		if spec, err = ResolveAbortSpec(spec, pps); err != nil {
			return fmt.Errorf("abort transaction: %w", err)
		}
	}
	return c.writeAbortMarker(ctx, leader, spec)
}

// ResolveAbortSpec fills a spec given by start offset with the producer of
// pps whose open transaction starts there. A coordinator epoch of -1 (no
// marker written yet) becomes 0, which no coordinator epoch is below, as
// Kafka's tool does.
func ResolveAbortSpec(spec AbortSpec, pps []PartitionProducers) (AbortSpec, error) {
	for _, pp := range pps {
		if pp.Topic != spec.Topic || pp.Partition != spec.Partition {
			continue
		}
		if pp.Err != nil {
			return spec, fmt.Errorf("describe producers of %s-%d: %w", spec.Topic, spec.Partition, pp.Err)
		}
		for _, p := range pp.Producers {
			if p.CurrentTransactionStartOffset == spec.StartOffset {
				spec.ProducerID, spec.ProducerEpoch = p.ProducerID, p.ProducerEpoch
				spec.CoordinatorEpoch = max(p.CoordinatorEpoch, 0)
				return spec, nil
			}
		}
	}
	return spec, &notFoundError{msg: fmt.Sprintf("could not find any open transactions starting at offset %d on partition %s-%d",
		spec.StartOffset, spec.Topic, spec.Partition)}
}

// leaderOf returns a partition's leader, or an error when the partition
// does not exist or has none.
func (c *Client) leaderOf(ctx context.Context, topic string, partition int32) (int32, error) {
	ts, err := c.Topics(ctx, topic)
	if err != nil {
		return -1, err
	}
	if len(ts) != 1 || ts[0].Err != nil {
		return -1, fmt.Errorf("topic %s: %w", topic, ErrNotFound)
	}
	for _, p := range ts[0].Partitions {
		if p.ID != partition {
			continue
		}
		if p.Leader < 0 {
			return -1, fmt.Errorf("partition %s-%d has no leader", topic, partition)
		}
		return p.Leader, nil
	}
	return -1, fmt.Errorf("partition %s-%d: %w", topic, partition, ErrNotFound)
}

func (c *Client) writeAbortMarker(ctx context.Context, broker int32, spec AbortSpec) error {
	req := kmsg.NewPtrWriteTxnMarkersRequest()
	m := kmsg.NewWriteTxnMarkersRequestMarker()
	m.ProducerID, m.ProducerEpoch, m.Committed = spec.ProducerID, spec.ProducerEpoch, false
	m.CoordinatorEpoch = max(spec.CoordinatorEpoch, 0)
	mt := kmsg.NewWriteTxnMarkersRequestMarkerTopic()
	mt.Topic, mt.Partitions = spec.Topic, []int32{spec.Partition}
	m.Topics = append(m.Topics, mt)
	req.Markers = append(req.Markers, m)
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	kresp, err := c.kgo.Broker(int(broker)).Request(ctx, req)
	if err != nil {
		return fmt.Errorf("abort transaction of producer %d on %s-%d: %w", spec.ProducerID, spec.Topic, spec.Partition, err)
	}
	if err := markerError(kresp.(*kmsg.WriteTxnMarkersResponse), spec); err != nil {
		return fmt.Errorf("abort transaction of producer %d on %s-%d: %w", spec.ProducerID, spec.Topic, spec.Partition, err)
	}
	return nil
}

// markerError is the error the response gives the spec's partition; an
// answer without it is an error too.
func markerError(resp *kmsg.WriteTxnMarkersResponse, spec AbortSpec) error {
	for _, m := range resp.Markers {
		for _, t := range m.Topics {
			for _, p := range t.Partitions {
				if m.ProducerID == spec.ProducerID && t.Topic == spec.Topic && p.Partition == spec.Partition {
					return kafkaError(p.ErrorCode, nil)
				}
			}
		}
	}
	return fmt.Errorf("the broker did not answer for the partition")
}
