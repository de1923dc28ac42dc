package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// readCommitted is ListOffsets' isolation level that answers "latest" with
// the last stable offset.
const readCommitted = 1

// LastStableOffsets returns the last stable offset of every partition of
// topics: the first offset of the oldest open transaction, else the high
// watermark; a read_committed consumer reads up to it. Partitions whose
// leader did not answer are absent.
func (c *Client) LastStableOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error) {
	described, err := c.Topics(ctx, topics...)
	if err != nil {
		return nil, fmt.Errorf("last stable offsets: %w", err)
	}
	req := logEndRequest(described)
	if len(req.Topics) == 0 {
		return map[string]map[int32]int64{}, nil
	}
	// A consumer's question, not a replica's: a debugging replica id
	// would get the log end whatever the isolation.
	req.ReplicaID = -1
	req.IsolationLevel = readCommitted
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
	if err := errors.Join(errs...); err != nil {
		return out, fmt.Errorf("last stable offsets: %w", err)
	}
	return out, nil
}
