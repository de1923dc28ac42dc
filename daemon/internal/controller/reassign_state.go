package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kqhq/kq/store/meta"
)

// Partition reassignment still runs on the loop rather than in the core:
// it writes to the store and reads it back while it decides. These are
// its synchronous counterparts of the core's writes.

// sendBatch queues a batch's requests on the brokers' channels.
func (l *loop) sendBatch(b *batch) {
	for _, s := range l.batchSends(b) {
		l.channels.enqueue(s.Broker, s.Request)
	}
}

// errReassignStateMoved: a state znode was not at the cached version (a
// leader wrote an ISR change); the cache now holds the state read back.
var errReassignStateMoved = errors.New("partition state moved")

// updateState writes next over the cached state with compare-and-set. A
// version conflict re-reads the state into the cache and reports
// errReassignStateMoved (wrapping the conflict), so the caller decides
// again on what is there now. A lost controller epoch is errResigned.
func (l *loop) updateState(ctx context.Context, topic string, t *topicState, p int32, next PartitionState) (PartitionState, error) {
	written, err := l.c.cfg.Store.UpdatePartitionState(ctx, topic, p, next)
	if err == nil || !errors.Is(err, meta.ErrBadVersion) {
		return written, err
	}
	if fenced(err) {
		return written, fmt.Errorf("%w: %w", errResigned, err)
	}
	if rerr := l.rereadStates(ctx, topic, t, p); rerr != nil {
		return written, errors.Join(err, rerr)
	}
	return written, fmt.Errorf("%w: %w", errReassignStateMoved, err)
}

// rereadStates re-reads some partitions' state znodes into the cache.
func (l *loop) rereadStates(ctx context.Context, topic string, t *topicState, partitions ...int32) error {
	states, err := l.c.cfg.Store.PartitionStates(ctx, topic)
	if err != nil {
		return fmt.Errorf("topic %s: %w", topic, err)
	}
	for p, s := range states {
		if slices.Contains(partitions, p) {
			t.states[p] = s
		}
	}
	return nil
}
