package controller

import (
	"context"
	"slices"
)

// onBrokersChanged handles brokers joining and leaving: partitions led by
// departed brokers get new leaders, ISRs drop departed members, offline
// partitions whose replicas returned come back, and every broker learns
// the new cluster (Kafka's onBrokerStartup and onBrokerFailure).
func (l *loop) onBrokersChanged(ctx context.Context) error {
	live, ch, err := l.c.cfg.Store.LiveBrokers(ctx)
	if err != nil {
		return err
	}
	l.watch(ctx, ch, event{kind: brokersChanged})
	added := newKeys(live, l.live)
	removed := newKeys(l.live, live)
	l.live = live
	l.channels.update(l.live)
	if err := l.forgetShutdowns(ctx, removed); err != nil {
		return err
	}
	if len(added)+len(removed) > 0 {
		l.c.log.Info("live brokers changed", "live", l.liveIDs(), "added", added, "removed", removed)
	}
	b := newBatch(l)
	for _, name := range l.topicNames() {
		t := l.topics[name]
		if err := l.electWhereNeeded(ctx, b, name, allPartitions(t)); err != nil {
			return err
		}
		b.updateMetadataFor(name, allPartitions(t)...)
		for _, p := range allPartitions(t) {
			if hostsAny(t.assignment.Replicas[p], added) {
				b.leaderAndIsrFor(name, p)
			}
		}
	}
	b.send(l.liveIDs())
	return nil
}

// onTopicsChanged picks up created topics and forgets removed ones.
func (l *loop) onTopicsChanged(ctx context.Context) error {
	names, ch, err := l.c.cfg.Store.Topics(ctx)
	if err != nil {
		return err
	}
	l.watch(ctx, ch, event{kind: topicsChanged})
	b := newBatch(l)
	for _, name := range names {
		if _, known := l.topics[name]; known {
			continue
		}
		if err := l.loadTopic(ctx, name); err != nil {
			if l.skipMalformed(name, err) {
				continue
			}
			return err
		}
		l.c.log.Info("new topic", "topic", name, "partitions", len(l.topics[name].assignment.Replicas))
		if err := l.onNewPartitions(ctx, b, name, allPartitions(l.topics[name])); err != nil {
			return err
		}
	}
	for _, gone := range newKeys(l.topics, setOf(names)) {
		b.deleted = append(b.deleted, gone)
		delete(l.topics, gone)
	}
	b.send(l.liveIDs())
	return nil
}

// onAssignmentChanged picks up partitions added to a topic, or a topic
// whose malformed assignment was fixed.
func (l *loop) onAssignmentChanged(ctx context.Context, name string) error {
	t, ok := l.topics[name]
	if !ok {
		return l.onTopicsChanged(ctx)
	}
	a, ch, err := l.c.cfg.Store.Assignment(ctx, name)
	if ch != nil {
		l.watch(ctx, ch, event{kind: assignmentChanged, topic: name})
	}
	if err != nil {
		if l.skipMalformed(name, err) {
			return nil
		}
		return err
	}
	var added []int32
	for p, replicas := range a.Replicas {
		if _, had := t.assignment.Replicas[p]; !had {
			added = append(added, p)
		}
		t.assignment.Replicas[p] = replicas
	}
	if len(added) == 0 {
		return nil
	}
	slices.Sort(added)
	l.c.log.Info("partitions added", "topic", name, "partitions", added)
	b := newBatch(l)
	if err := l.onNewPartitions(ctx, b, name, added); err != nil {
		return err
	}
	b.send(l.liveIDs())
	return nil
}

func (l *loop) onNewPartitions(ctx context.Context, b *batch, name string, partitions []int32) error {
	if err := l.electWhereNeeded(ctx, b, name, partitions); err != nil {
		return err
	}
	b.updateMetadataFor(name, partitions...)
	return nil
}

// onDeletionsChanged carries out requested topic deletions: replicas stop
// and delete their logs, brokers drop the topic from their caches, and the
// topic's znodes are removed so the name can be reused at once.
func (l *loop) onDeletionsChanged(ctx context.Context) error {
	names, ch, err := l.c.cfg.Store.TopicDeletions(ctx)
	if err != nil {
		return err
	}
	l.watch(ctx, ch, event{kind: deletionsChanged})
	b := newBatch(l)
	for _, name := range names {
		if !l.c.cfg.DeleteTopicEnable() {
			l.c.log.Warn("ignoring a deletion request: delete.topic.enable is false", "topic", name)
			if err := l.c.cfg.Store.CancelTopicDeletion(ctx, name); err != nil {
				return err
			}
			continue
		}
		if t, ok := l.topics[name]; ok {
			for _, p := range allPartitions(t) {
				b.stopReplicaFor(name, p, t.assignment.Replicas[p])
			}
			b.deleted = append(b.deleted, name)
		}
		if err := l.c.cfg.Store.RemoveTopic(ctx, name); err != nil {
			return err
		}
		delete(l.topics, name)
		l.c.log.Info("topic deleted", "topic", name)
	}
	b.send(l.liveIDs())
	return nil
}

// newKeys returns the keys of a that are not in b, sorted when ordered.
func newKeys[K int32 | string, V1, V2 any](a map[K]V1, b map[K]V2) []K {
	var out []K
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func setOf(names []string) map[string]struct{} {
	m := make(map[string]struct{}, len(names))
	for _, n := range names {
		m[n] = struct{}{}
	}
	return m
}

func hostsAny(replicas, brokers []int32) bool {
	for _, b := range brokers {
		if slices.Contains(replicas, b) {
			return true
		}
	}
	return false
}
