package kafkazk

import (
	"context"
	"fmt"
	"sync"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// producerIDBlockSize is how many ids a broker claims at once (Kafka: 1000).
const producerIDBlockSize = 1000

// ProducerIDs hands out producer ids from blocks claimed with
// compare-and-set on /latest_producer_id_block, so ids never repeat across
// brokers or restarts.
type ProducerIDs struct {
	client   func() *Client
	brokerID int32
	mu       sync.Mutex
	next     int64
	end      int64 // inclusive; next > end means no block
}

// NewProducerIDs returns an allocator for this broker;
// client returns the current metadata session's client.
func NewProducerIDs(client func() *Client, brokerID int32) *ProducerIDs {
	return &ProducerIDs{client: client, brokerID: brokerID, next: 1, end: 0}
}

// NextProducerID returns a fresh producer id.
func (p *ProducerIDs) NextProducerID(ctx context.Context) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next > p.end {
		start, end, err := p.client().claimProducerIDBlock(ctx, p.brokerID)
		if err != nil {
			return -1, err
		}
		p.next, p.end = start, end
	}
	id := p.next
	p.next++
	return id, nil
}

func (c *Client) claimProducerIDBlock(ctx context.Context, brokerID int32) (int64, int64, error) {
	for {
		data, stat, err := c.store.Get(ctx, producerIDBlockPath)
		if isNoNode(err) {
			if err := meta.EnsurePath(ctx, c.store, producerIDBlockPath); err != nil {
				return 0, 0, err
			}
			continue
		}
		if err != nil {
			return 0, 0, fmt.Errorf("read %s: %w", producerIDBlockPath, err)
		}
		start := int64(0)
		if len(data) > 0 {
			prev, err := znode.DecodeProducerIDBlock(producerIDBlockPath, data)
			if err != nil {
				return 0, 0, err
			}
			start = prev.End + 1
		}
		end := start + producerIDBlockSize - 1
		v := znode.ProducerIDBlock{Broker: brokerID, Start: start, End: end}
		_, err = c.store.Set(ctx, producerIDBlockPath, v.Encode(), stat.Version)
		if err == nil {
			return start, end, nil
		}
		if !isBadVersion(err) {
			return 0, 0, fmt.Errorf("claim producer id block: %w", err)
		}
	}
}
