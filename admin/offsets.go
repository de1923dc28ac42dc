package admin

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Special timestamps for ListOffsets, Kafka's own.
const (
	EarliestOffset int64 = -2 // the log start offset
	LatestOffset   int64 = -1 // the log end offset (high watermark)
)

// PartitionOffset is one partition's answer to ListOffsets.
type PartitionOffset struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	// Timestamp is the record's time for a lookup by time, else -1.
	Timestamp int64 `json:"timestamp"`
	Err       error `json:"-"`
}

// ListOffsets looks up one offset per partition of topics: EarliestOffset,
// LatestOffset, or for a timestamp >= 0 (milliseconds since the epoch) the
// first offset whose record time is at or after it, or the end offset when
// there is none. The result is sorted by topic and partition. A topic that
// does not exist is an error wrapping UNKNOWN_TOPIC_OR_PARTITION.
func (c *Client) ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]PartitionOffset, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var listed kadm.ListedOffsets
	var err error
	switch {
	case timestamp == EarliestOffset:
		listed, err = c.kadm.ListStartOffsets(ctx, topics...)
	case timestamp == LatestOffset:
		listed, err = c.kadm.ListEndOffsets(ctx, topics...)
	case timestamp >= 0:
		listed, err = c.kadm.ListOffsetsAfterMilli(ctx, timestamp, topics...)
	default:
		return nil, fmt.Errorf("list offsets: invalid timestamp %d", timestamp)
	}
	if err := keepAnsweredShards(listed, err); err != nil {
		return nil, fmt.Errorf("list offsets: %w", err)
	}
	return partitionOffsets(listed)
}

// keepAnsweredShards lets the partitions whose leaders answered stand
// when others failed (a partition without a leader, a broker down): the
// failed shards' partitions get the shard's error instead of blanking the
// whole listing. Only a failure of every shard, or an error that is not a
// shard's, is returned.
func keepAnsweredShards(listed kadm.ListedOffsets, err error) error {
	var se *kadm.ShardErrors
	if err == nil || !errors.As(err, &se) || se.AllFailed {
		return err
	}
	for _, e := range se.Errs {
		req, ok := e.Req.(*kmsg.ListOffsetsRequest)
		if !ok {
			return err
		}
		for _, t := range req.Topics {
			for _, p := range t.Partitions {
				markFailed(listed, t.Topic, p.Partition, e.Err)
			}
		}
	}
	return nil
}

func markFailed(listed kadm.ListedOffsets, topic string, partition int32, err error) {
	parts, ok := listed[topic]
	if !ok {
		parts = map[int32]kadm.ListedOffset{}
		listed[topic] = parts
	}
	if _, answered := parts[partition]; !answered {
		parts[partition] = kadm.ListedOffset{Topic: topic, Partition: partition, Offset: -1, Err: err}
	}
}

// partitionOffsets flattens a listing. A topic whose metadata failed (one
// just created or deleted, one that does not exist) stands as partition -1
// with its error, so the other topics' offsets are kept; only when every
// topic failed is that an error.
func partitionOffsets(listed kadm.ListedOffsets) ([]PartitionOffset, error) {
	var out []PartitionOffset
	var failed []error
	for topic, parts := range listed {
		for p, o := range parts {
			if p < 0 && o.Err != nil {
				failed = append(failed, fmt.Errorf("list offsets of %s: %w", topic, o.Err))
			}
			out = append(out, PartitionOffset{
				Topic: topic, Partition: p, Offset: o.Offset, Timestamp: o.Timestamp, Err: o.Err,
			})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	if len(failed) > 0 && len(failed) == len(listed) {
		return nil, errors.Join(failed...)
	}
	return out, nil
}
