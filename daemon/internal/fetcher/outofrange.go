package fetcher

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Timestamps of ListOffsets for the log start and the log end.
const (
	earliestTimestamp int64 = -2
	latestTimestamp   int64 = -1
)

// resetOutOfRange asks the leader for its log start and end and fits this
// log to them (Kafka's fetchOffsetAndTruncate). When the log already fits,
// the partition backs off: the leader will serve it once its state settles.
func (f *fetcher) resetOutOfRange(ctx context.Context, e entry) error {
	start, err := f.leaderOffset(ctx, e, earliestTimestamp)
	if err != nil {
		return err
	}
	end, err := f.leaderOffset(ctx, e, latestTimestamp)
	if err != nil {
		return err
	}
	f.log.Info("fetch offset out of range; fitting the log to the leader's", "topic", e.p.Topic, "partition", e.p.Index,
		"fetch_offset", e.pos.Offset, "leader_log_start", start, "leader_log_end", end)
	if err := e.p.ResetToLeader(e.epoch, start, end); err != nil {
		return err
	}
	if start <= e.pos.Offset && e.pos.Offset <= end {
		f.backoff(e)
	}
	return nil
}

// leaderOffset is one ListOffsets lookup on the leader, as its replica.
func (f *fetcher) leaderOffset(ctx context.Context, e entry, ts int64) (int64, error) {
	cl, ok := f.connect()
	if !ok {
		return 0, fmt.Errorf("leader %d has no known address", f.source)
	}
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = f.cfg.BrokerID
	t := kmsg.NewListOffsetsRequestTopic()
	t.Topic = e.p.Topic
	p := kmsg.NewListOffsetsRequestTopicPartition()
	p.Partition, p.CurrentLeaderEpoch, p.Timestamp = e.p.Index, e.epoch, ts
	t.Partitions = append(t.Partitions, p)
	req.Topics = append(req.Topics, t)
	rctx, cancel := context.WithTimeout(ctx, f.cfg.RequestTimeout)
	defer cancel()
	resp, err := cl.Request(rctx, req)
	if err != nil {
		return 0, fmt.Errorf("list offsets on leader %d: %w", f.source, err)
	}
	for _, rt := range resp.(*kmsg.ListOffsetsResponse).Topics {
		for _, rp := range rt.Partitions {
			if rp.Partition == e.p.Index {
				if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
					return 0, fmt.Errorf("list offsets on leader %d: %w", f.source, err)
				}
				return rp.Offset, nil
			}
		}
	}
	return 0, fmt.Errorf("list offsets on leader %d: partition missing from the answer", f.source)
}
