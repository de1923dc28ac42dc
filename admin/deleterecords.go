package admin

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DeletedRecords is one partition's answer to DeleteRecords.
type DeletedRecords struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	// LowWatermark is the partition's new log start offset.
	LowWatermark int64 `json:"low_watermark"`
	Err          error `json:"-"`
}

// DeleteRecordsBefore deletes the records of each partition below its
// offset (-1: below the high watermark), as Kafka's Admin.deleteRecords
// does for kafka-delete-records.sh. Each partition's leader is asked; a
// partition that failed, or whose leader could not be reached, carries the
// error. The result is sorted by topic and partition; the call fails only
// when no partition could be asked.
func (c *Client) DeleteRecordsBefore(ctx context.Context, offsets map[string]map[int32]int64) ([]DeletedRecords, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req := kmsg.NewPtrDeleteRecordsRequest()
	req.TimeoutMillis = c.timeoutMillis()
	for topic, parts := range offsets {
		rt := kmsg.NewDeleteRecordsRequestTopic()
		rt.Topic = topic
		for p, o := range parts {
			rp := kmsg.NewDeleteRecordsRequestTopicPartition()
			rp.Partition, rp.Offset = p, o
			rt.Partitions = append(rt.Partitions, rp)
		}
		req.Topics = append(req.Topics, rt)
	}
	var out []DeletedRecords
	var errs []error
	answered := false
	for _, shard := range c.kgo.RequestSharded(ctx, req) {
		if shard.Err != nil {
			errs = append(errs, shard.Err)
			for _, t := range shard.Req.(*kmsg.DeleteRecordsRequest).Topics {
				for _, p := range t.Partitions {
					out = append(out, DeletedRecords{Topic: t.Topic, Partition: p.Partition, LowWatermark: -1, Err: shard.Err})
				}
			}
			continue
		}
		answered = true
		for _, t := range shard.Resp.(*kmsg.DeleteRecordsResponse).Topics {
			for _, p := range t.Partitions {
				out = append(out, DeletedRecords{Topic: t.Topic, Partition: p.Partition, LowWatermark: p.LowWatermark, Err: kerr.ErrorForCode(p.ErrorCode)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	if !answered && len(errs) > 0 {
		return out, fmt.Errorf("delete records: %w", errors.Join(errs...))
	}
	return out, nil
}
