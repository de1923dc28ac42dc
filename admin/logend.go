package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// debuggingReplicaID is Kafka's replica id for ListOffsets asked on behalf
// of a tool: the leader answers "latest" with its log end offset instead
// of the high watermark a consumer sees.
const debuggingReplicaID = -2

// LogEndOffsets returns the log end offset of every partition of topics,
// as their leaders have it (records written but not yet replicated
// included): the "LEO" next to the high watermark. Partitions whose leader
// did not answer are absent.
func (c *Client) LogEndOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error) {
	out, err := c.latestOffsets(ctx, debuggingReplicaID, 0, topics)
	if err != nil {
		return out, fmt.Errorf("log end offsets: %w", err)
	}
	return out, nil
}

// latestOffsets asks every partition's leader for its "latest" offset as
// replicaID at an isolation level (the log end for the debugging replica,
// the high watermark or last stable offset for a consumer). Partitions
// whose leader did not answer are absent; their errors are joined.
func (c *Client) latestOffsets(ctx context.Context, replicaID int32, isolation int8, topics []string) (map[string]map[int32]int64, error) {
	described, err := c.Topics(ctx, topics...)
	if err != nil {
		return nil, err
	}
	req := logEndRequest(described)
	if len(req.Topics) == 0 {
		return map[string]map[int32]int64{}, nil
	}
	req.ReplicaID, req.IsolationLevel = replicaID, isolation
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	out := map[string]map[int32]int64{}
	var errs []error
	for _, shard := range c.kgo.RequestSharded(ctx, req) {
		if shard.Err != nil {
			errs = append(errs, shard.Err)
			continue
		}
		errs = append(errs, collectLogEnds(shard.Resp.(*kmsg.ListOffsetsResponse), out))
	}
	return out, errors.Join(errs...)
}

// logEndRequest asks for every partition that has a leader. A partition
// without one (offline) has nobody to answer: it is left out, absent from
// the result as a failed leader's partitions are, but without an error
// that would call every refresh partial for as long as it stays offline.
func logEndRequest(topics []Topic) *kmsg.ListOffsetsRequest {
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = debuggingReplicaID
	for _, t := range topics {
		if t.Err != nil {
			continue
		}
		rt := kmsg.NewListOffsetsRequestTopic()
		rt.Topic = t.Name
		for _, p := range t.Partitions {
			if p.Leader < 0 {
				continue
			}
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition = p.ID
			rp.Timestamp = LatestOffset
			rt.Partitions = append(rt.Partitions, rp)
		}
		if len(rt.Partitions) > 0 {
			req.Topics = append(req.Topics, rt)
		}
	}
	return req
}

// collectLogEnds adds a response's offsets to out and returns its
// partition errors.
func collectLogEnds(resp *kmsg.ListOffsetsResponse, out map[string]map[int32]int64) error {
	var errs []error
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				errs = append(errs, fmt.Errorf("%s-%d: %w", t.Topic, p.Partition, err))
				continue
			}
			if out[t.Topic] == nil {
				out[t.Topic] = map[int32]int64{}
			}
			out[t.Topic][p.Partition] = p.Offset
		}
	}
	return errors.Join(errs...)
}
