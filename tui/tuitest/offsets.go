package tuitest

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// The offset reads below answer as admin.Client does against a real
// cluster: a partition without a leader has nobody to ask, so it comes
// back with LEADER_NOT_AVAILABLE (ListOffsets) or is left out (the log end
// and last stable maps) while every other partition answers. admintest's
// cluster alone would still report an offline partition's offsets, which
// hides the bug of a TUI that blanks every topic for one such partition.

// FailPartition makes the offset reads of one partition fail with err as
// a failed shard would (a leader that moved or timed out), the other
// partitions still answering; nil clears it.
func (c *Cluster) FailPartition(topic string, partition int32, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := fmt.Sprintf("%s-%d", topic, partition)
	if c.partitionFailures == nil {
		c.partitionFailures = map[string]error{}
	}
	if err == nil {
		delete(c.partitionFailures, key)
		return
	}
	c.partitionFailures[key] = err
}

// ListOffsets lists offsets, answering a leaderless or failed partition
// with its error instead of an offset.
func (c *Cluster) ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error) {
	listed, err := c.fake.ListOffsets(ctx, timestamp, topics...)
	if err != nil {
		return nil, err
	}
	failed, err := c.unanswered(ctx, topics)
	if err != nil {
		return nil, err
	}
	for i, o := range listed {
		if perr, ok := failed[fmt.Sprintf("%s-%d", o.Topic, o.Partition)]; ok {
			listed[i].Offset, listed[i].Timestamp, listed[i].Err = -1, -1, perr
		}
	}
	return listed, nil
}

// LogEndOffsets leaves out the leaderless and failed partitions.
func (c *Cluster) LogEndOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error) {
	return c.dropUnanswered(ctx, topics)(c.fake.LogEndOffsets(ctx, topics...))
}

// LastStableOffsets leaves out the leaderless and failed partitions.
func (c *Cluster) LastStableOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error) {
	return c.dropUnanswered(ctx, topics)(c.fake.LastStableOffsets(ctx, topics...))
}

func (c *Cluster) dropUnanswered(ctx context.Context, topics []string) func(map[string]map[int32]int64, error) (map[string]map[int32]int64, error) {
	return func(ends map[string]map[int32]int64, err error) (map[string]map[int32]int64, error) {
		if err != nil {
			return nil, err
		}
		failed, err := c.unanswered(ctx, topics)
		if err != nil {
			return nil, err
		}
		for topic, parts := range ends {
			for p := range parts {
				if _, ok := failed[fmt.Sprintf("%s-%d", topic, p)]; ok {
					delete(parts, p)
				}
			}
		}
		return ends, nil
	}
}

// unanswered are the partitions of topics that get no offset, by
// "topic-partition", with the error each gets.
func (c *Cluster) unanswered(ctx context.Context, topics []string) (map[string]error, error) {
	described, err := c.fake.Topics(ctx, topics...)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]error{}
	for _, t := range described {
		for _, p := range t.Partitions {
			key := fmt.Sprintf("%s-%d", t.Name, p.ID)
			switch {
			case c.partitionFailures[key] != nil:
				out[key] = c.partitionFailures[key]
			case p.Leader < 0:
				out[key] = kerr.LeaderNotAvailable
			}
		}
	}
	return out, nil
}
