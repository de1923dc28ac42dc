package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kqhq/kq/store/meta"
)

// onIsrChanged handles /isr_change_notification: leaders changed the ISRs
// of the named partitions in their state znodes. The controller re-reads
// those states into its context, sends UpdateMetadata to every live broker
// and deletes the processed notifications (Kafka's IsrChangeNotification
// event).
func (l *loop) onIsrChanged(ctx context.Context) error {
	names, parts, ch, err := l.c.cfg.Store.IsrChanges(ctx)
	if ch != nil {
		l.watch(ctx, ch, event{kind: isrChanged})
	}
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return nil
	}
	b := newBatch(l)
	for _, topic := range sortedKeys(parts) {
		t, ok := l.topics[topic]
		if !ok {
			continue
		}
		changed, err := l.refreshStates(ctx, topic, t, parts[topic])
		if err != nil {
			return err
		}
		b.updateMetadataFor(topic, changed...)
		// A leader may have added a broker that died or began shutting down
		// after its fetch was answered: take it out again now, since no
		// broker change will come to do it.
		if err := l.electWhereNeeded(ctx, b, topic, changed); err != nil {
			return err
		}
	}
	b.send(l.liveIDs())
	return l.c.cfg.Store.DeleteIsrChanges(ctx, names)
}

// refreshStates re-reads the state znodes of some partitions of a topic
// and returns those whose state differs from the cached one.
func (l *loop) refreshStates(ctx context.Context, topic string, t *topicState, partitions []int32) ([]int32, error) {
	states, err := l.c.cfg.Store.PartitionStates(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("topic %s: %w", topic, err)
	}
	var changed []int32
	for _, p := range partitions {
		s, ok := states[p]
		if !ok {
			continue
		}
		if cur, had := t.states[p]; !had || cur.Version != s.Version {
			changed = append(changed, p)
		}
		t.states[p] = s
	}
	slices.Sort(changed)
	return changed, nil
}

// errStateMoved: a state znode was not at the cached version (a leader
// wrote an ISR change); the cache now holds the state read back.
var errStateMoved = errors.New("partition state moved")

// maxStateRetries bounds how often one decision is tried on a moving
// state, so a flapping ISR cannot hold the event loop forever; after that
// the loop's error path reloads everything.
const maxStateRetries = 5

// updateState writes next over the cached state with compare-and-set. A
// version conflict re-reads the state into the cache and reports
// errStateMoved (wrapping the conflict), so the caller decides again on
// what is there now.
func (l *loop) updateState(ctx context.Context, topic string, t *topicState, p int32, next PartitionState) (PartitionState, error) {
	written, err := l.c.cfg.Store.UpdatePartitionState(ctx, topic, p, next)
	if err == nil || !errors.Is(err, meta.ErrBadVersion) {
		return written, err
	}
	if _, rerr := l.refreshStates(ctx, topic, t, []int32{p}); rerr != nil {
		return written, errors.Join(err, rerr)
	}
	return written, fmt.Errorf("%w: %w", errStateMoved, err)
}
