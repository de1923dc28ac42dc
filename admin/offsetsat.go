package admin

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// MaxTimestampOffset asks ListOffsets (v7+) for the offset of the record
// with the greatest timestamp, with that timestamp.
const MaxTimestampOffset int64 = -3

// OffsetsAt asks each partition's leader for its offset at timestamp, as
// Kafka's Admin.listOffsets does for kafka-get-offsets.sh: EarliestOffset,
// LatestOffset, MaxTimestampOffset, or the first offset whose record time
// is at or after a timestamp >= 0 (-1 when there is none, which Kafka's
// tools leave out). Isolation is read_uncommitted. The result is sorted by
// topic and partition; partitions whose leader answered with an error, or
// could not be asked, carry it in Err.
func (c *Client) OffsetsAt(ctx context.Context, timestamp int64, partitions map[string][]int32) ([]PartitionOffset, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	for topic, parts := range partitions {
		rt := kmsg.NewListOffsetsRequestTopic()
		rt.Topic = topic
		for _, p := range parts {
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition, rp.Timestamp, rp.CurrentLeaderEpoch = p, timestamp, -1
			rt.Partitions = append(rt.Partitions, rp)
		}
		req.Topics = append(req.Topics, rt)
	}
	var out []PartitionOffset
	var errs []error
	for _, shard := range c.kgo.RequestSharded(ctx, req) {
		if shard.Err != nil {
			out = append(out, failedOffsets(shard.Req.(*kmsg.ListOffsetsRequest), shard.Err)...)
			errs = append(errs, shard.Err)
			continue
		}
		out = append(out, answeredOffsets(shard.Resp.(*kmsg.ListOffsetsResponse))...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	if len(out) == 0 && len(errs) > 0 {
		return nil, fmt.Errorf("list offsets: %w", errors.Join(errs...))
	}
	return out, nil
}

func failedOffsets(req *kmsg.ListOffsetsRequest, err error) []PartitionOffset {
	var out []PartitionOffset
	for _, t := range req.Topics {
		for _, p := range t.Partitions {
			out = append(out, PartitionOffset{Topic: t.Topic, Partition: p.Partition, Offset: -1, Timestamp: -1, Err: err})
		}
	}
	return out
}

func answeredOffsets(resp *kmsg.ListOffsetsResponse) []PartitionOffset {
	var out []PartitionOffset
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			po := PartitionOffset{Topic: t.Topic, Partition: p.Partition, Offset: p.Offset, Timestamp: p.Timestamp}
			if resp.Version == 0 { // v0 answers with a list of offsets
				po.Offset = -1
				if len(p.OldStyleOffsets) > 0 {
					po.Offset = p.OldStyleOffsets[0]
				}
			}
			po.Err = kerr.ErrorForCode(p.ErrorCode)
			out = append(out, po)
		}
	}
	return out
}
