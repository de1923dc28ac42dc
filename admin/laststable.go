package admin

import (
	"context"
	"fmt"
)

// readCommitted is ListOffsets' isolation level that answers "latest" with
// the last stable offset.
const readCommitted = 1

// LastStableOffsets returns the last stable offset of every partition of
// topics: the first offset of the oldest open transaction, else the high
// watermark; a read_committed consumer reads up to it. Partitions whose
// leader did not answer are absent.
func (c *Client) LastStableOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error) {
	// A consumer's question, not a replica's: a debugging replica id
	// would get the log end whatever the isolation.
	out, err := c.latestOffsets(ctx, -1, readCommitted, topics)
	if err != nil {
		return out, fmt.Errorf("last stable offsets: %w", err)
	}
	return out, nil
}
