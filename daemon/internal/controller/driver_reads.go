package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/store/meta"
)

// The driver's side of every store watch: read what changed, arm the
// watch again, and step the core with what was read.

// initialize reads the whole cluster and steps Elected, then takes the
// pending ISR notifications and deletions, and resumes the operations the
// store records as under way.
func (l *loop) initialize(ctx context.Context) error {
	live, ch, err := l.c.cfg.Store.LiveBrokers(ctx)
	if err != nil {
		return err
	}
	l.watch(ctx, ch, event{kind: brokersChanged})
	l.updateBrokers(live)
	epochs, err := l.brokerEpochs(ctx, live)
	if err != nil {
		return err
	}
	topics, _, err := l.loadTopics(ctx)
	if err != nil {
		return err
	}
	if err := l.step(ctx, Elected{Epoch: l.epoch, Snapshot: Snapshot{Live: live, Epochs: epochs, Topics: topics}}); err != nil {
		return err
	}
	if err := l.onIsrChanged(ctx); err != nil {
		return err
	}
	if err := l.onLogDirEvents(ctx); err != nil {
		return err
	}
	if err := l.onDeletionsChanged(ctx); err != nil {
		return err
	}
	return l.initOperations(ctx)
}

// loadTopics lists the topics, watching the list, and reads those the
// core does not know yet, skipping malformed ones.
func (l *loop) loadTopics(ctx context.Context) (map[string]TopicSnapshot, []string, error) {
	names, ch, err := l.c.cfg.Store.Topics(ctx)
	if err != nil {
		return nil, nil, err
	}
	l.watch(ctx, ch, event{kind: topicsChanged})
	loaded := map[string]TopicSnapshot{}
	for _, name := range names {
		if l.hasTopic(name) {
			continue
		}
		t, err := l.loadTopic(ctx, name)
		if err != nil {
			if l.skipMalformed(name, err) {
				continue
			}
			return nil, nil, err
		}
		loaded[name] = t
	}
	return loaded, names, nil
}

func (l *loop) loadTopic(ctx context.Context, name string) (TopicSnapshot, error) {
	a, ch, err := l.c.cfg.Store.Assignment(ctx, name)
	// set even when the content is malformed, to see it fixed
	l.watch(ctx, ch, event{kind: assignmentChanged, topic: name})
	if err != nil {
		return TopicSnapshot{}, fmt.Errorf("topic %s: %w", name, err)
	}
	states, err := l.c.cfg.Store.PartitionStates(ctx, name)
	if err != nil {
		return TopicSnapshot{}, fmt.Errorf("topic %s: %w", name, err)
	}
	return TopicSnapshot{Assignment: a, States: states}, nil
}

// skipMalformed logs a topic whose znodes cannot be decoded and reports
// whether the error was that; such a topic is left alone until fixed.
func (l *loop) skipMalformed(topic string, err error) bool {
	if !errors.Is(err, ErrMalformed) {
		return false
	}
	l.c.log.Error("skipping topic with malformed metadata", "topic", topic, "err", err)
	return true
}

func (l *loop) onBrokersChanged(ctx context.Context) error {
	live, ch, err := l.c.cfg.Store.LiveBrokers(ctx)
	if err != nil {
		return err
	}
	l.watch(ctx, ch, event{kind: brokersChanged})
	l.updateBrokers(live)
	epochs, err := l.brokerEpochs(ctx, live)
	if err != nil {
		return err
	}
	return l.step(ctx, BrokersChanged{Live: live, Epochs: epochs})
}

// brokerEpochs reads the registration epoch (czxid) of each live broker;
// one gone again since is left out (the next change says so).
func (l *loop) brokerEpochs(ctx context.Context, live map[int32]metadatacache.Broker) (map[int32]int64, error) {
	epochs := make(map[int32]int64, len(live))
	for id := range live {
		epoch, err := l.c.cfg.Store.BrokerEpoch(ctx, id)
		if errors.Is(err, meta.ErrNoNode) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("broker %d epoch: %w", id, err)
		}
		epochs[id] = epoch
	}
	return epochs, nil
}

func (l *loop) onTopicsChanged(ctx context.Context) error {
	loaded, names, err := l.loadTopics(ctx)
	if err != nil {
		return err
	}
	return l.step(ctx, TopicsChanged{Names: names, Loaded: loaded})
}

// onAssignmentChanged reads a topic's assignment again; a topic the core
// does not know (its assignment was malformed, and is fixed now) is
// loaded as a new topic.
func (l *loop) onAssignmentChanged(ctx context.Context, name string) error {
	if !l.hasTopic(name) {
		return l.onTopicsChanged(ctx)
	}
	a, ch, err := l.c.cfg.Store.Assignment(ctx, name)
	l.watch(ctx, ch, event{kind: assignmentChanged, topic: name})
	if err != nil {
		if l.skipMalformed(name, err) {
			return nil
		}
		return err
	}
	return l.step(ctx, AssignmentChanged{Topic: name, Assignment: a})
}

// onIsrChanged reads the pending notifications and the states of the
// partitions they name.
func (l *loop) onIsrChanged(ctx context.Context) error {
	names, parts, ch, err := l.c.cfg.Store.IsrChanges(ctx)
	l.watch(ctx, ch, event{kind: isrChanged})
	if err != nil {
		return err
	}
	states := map[string]map[int32]PartitionState{}
	for _, topic := range sortedKeys(parts) {
		if !l.hasTopic(topic) {
			continue
		}
		all, err := l.c.cfg.Store.PartitionStates(ctx, topic)
		if err != nil {
			return fmt.Errorf("topic %s: %w", topic, err)
		}
		named := map[int32]PartitionState{}
		for p, s := range all {
			if slices.Contains(parts[topic], p) {
				named[p] = s
			}
		}
		states[topic] = named
	}
	return l.step(ctx, IsrChanged{Names: names, States: states})
}

func (l *loop) onDeletionsChanged(ctx context.Context) error {
	names, ch, err := l.c.cfg.Store.TopicDeletions(ctx)
	if err != nil {
		return err
	}
	l.watch(ctx, ch, event{kind: deletionsChanged})
	return l.step(ctx, DeletionsRequested{Topics: names})
}

// onPreferredElectionChanged acts on /admin/preferred_replica_election
// and watches it, so a later request is acted on too. A request that
// cannot be decoded is dropped.
func (l *loop) onPreferredElectionChanged(ctx context.Context) error {
	parts, ok, ch, err := l.c.cfg.Store.PreferredReplicaElection(ctx)
	l.watch(ctx, ch, event{kind: preferredElectionChanged})
	if errors.Is(err, ErrMalformed) {
		l.c.log.Error("dropping an undecodable preferred replica election request", "err", err)
		return l.c.cfg.Store.DeletePreferredReplicaElection(ctx)
	}
	if err != nil || !ok {
		return err
	}
	return l.step(ctx, PreferredElectionRequested{Partitions: parts})
}
