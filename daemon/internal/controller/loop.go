package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// eventKind names what changed in the metadata store.
type eventKind int

const (
	brokersChanged eventKind = iota
	topicsChanged
	assignmentChanged
	deletionsChanged
	isrChanged
	runFunc // an operation or timer: fn runs on the loop
)

type event struct {
	kind  eventKind
	topic string // for assignmentChanged
	fn    func(context.Context, *loop) error
	done  chan error // for runFunc with a waiting caller
}

// topicState is the controller's copy of one topic.
type topicState struct {
	assignment Assignment
	states     map[int32]PartitionState
}

// loop is one controller epoch: it owns the cluster state and processes
// events one at a time.
type loop struct {
	c        *Controller
	epoch    int32
	events   chan event
	live     map[int32]metadatacache.Broker
	topics   map[string]*topicState
	deleting map[string]bool
	// shuttingDown holds the brokers in controlled shutdown, with the
	// broker epoch they asked in; elections pass them over.
	shuttingDown map[int32]int64
	channels     *channels
	reassign     reassignWatches // partition reassignments' watches
	// stopped is closed when the loop ends, releasing waiting callers.
	stopped chan struct{}
}

func newLoop(c *Controller, epoch int32) *loop {
	return &loop{
		c: c, epoch: epoch,
		events:   make(chan event, 64),
		live:     map[int32]metadatacache.Broker{},
		topics:   map[string]*topicState{},
		deleting: map[string]bool{},
		channels: newChannels(c.cfg.Sender, c.log),
		stopped:  make(chan struct{}),
	}
}

func (l *loop) close() { l.channels.close() }

func (l *loop) run(ctx context.Context) error {
	if err := l.initialize(ctx); err != nil {
		return fmt.Errorf("load cluster state: %w", err)
	}
	l.c.setActive(l)
	defer func() {
		l.c.setActive(nil)
		close(l.stopped)
	}()
	l.startBackground(ctx)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev := <-l.events:
			if err := l.handle(ctx, ev); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				l.c.log.Error("controller event failed; reloading state", "event", ev.kind, "topic", ev.topic, "err", err)
				if !sleep(ctx, 500*time.Millisecond) {
					return ctx.Err()
				}
				if err := l.initialize(ctx); err != nil {
					return fmt.Errorf("reload cluster state: %w", err)
				}
			}
		}
	}
}

// watch turns a one-shot watch channel into an event on the loop.
func (l *loop) watch(ctx context.Context, ch <-chan struct{}, ev event) {
	go func() {
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
		select {
		case l.events <- ev:
		case <-ctx.Done():
		}
	}()
}

func (l *loop) handle(ctx context.Context, ev event) error {
	switch ev.kind {
	case brokersChanged:
		return l.onBrokersChanged(ctx)
	case topicsChanged:
		return l.onTopicsChanged(ctx)
	case assignmentChanged:
		return l.onAssignmentChanged(ctx, ev.topic)
	case deletionsChanged:
		return l.onDeletionsChanged(ctx)
	case isrChanged:
		return l.onIsrChanged(ctx)
	case runFunc:
		return l.runEvent(ctx, ev)
	}
	return nil
}

// initialize reads the whole cluster, elects leaders for partitions without
// a live one, and tells every broker everything (Kafka's
// onControllerFailover).
func (l *loop) initialize(ctx context.Context) error {
	live, ch, err := l.c.cfg.Store.LiveBrokers(ctx)
	if err != nil {
		return err
	}
	l.live = live
	l.watch(ctx, ch, event{kind: brokersChanged})
	l.channels.update(l.live)
	l.topics = map[string]*topicState{}
	if err := l.loadTopics(ctx); err != nil {
		return err
	}
	b := newBatch(l)
	for _, name := range l.topicNames() {
		if err := l.electWhereNeeded(ctx, b, name, allPartitions(l.topics[name])); err != nil {
			return err
		}
		b.updateMetadataFor(name, allPartitions(l.topics[name])...)
		b.leaderAndIsrFor(name, allPartitions(l.topics[name])...)
	}
	b.send(l.liveIDs())
	if err := l.onIsrChanged(ctx); err != nil {
		return err
	}
	if err := l.onDeletionsChanged(ctx); err != nil {
		return err
	}
	return l.initOperations(ctx)
}

func (l *loop) loadTopics(ctx context.Context) error {
	names, ch, err := l.c.cfg.Store.Topics(ctx)
	if err != nil {
		return err
	}
	l.watch(ctx, ch, event{kind: topicsChanged})
	for _, name := range names {
		if _, known := l.topics[name]; known {
			continue
		}
		if err := l.loadTopic(ctx, name); err != nil && !l.skipMalformed(name, err) {
			return err
		}
	}
	return nil
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

func (l *loop) loadTopic(ctx context.Context, name string) error {
	a, ch, err := l.c.cfg.Store.Assignment(ctx, name)
	if ch != nil { // set even when the content is malformed, to see it fixed
		l.watch(ctx, ch, event{kind: assignmentChanged, topic: name})
	}
	if err != nil {
		return fmt.Errorf("topic %s: %w", name, err)
	}
	states, err := l.c.cfg.Store.PartitionStates(ctx, name)
	if err != nil {
		return fmt.Errorf("topic %s: %w", name, err)
	}
	l.topics[name] = &topicState{assignment: a, states: states}
	return nil
}

func (l *loop) liveIDs() []int32 {
	ids := make([]int32, 0, len(l.live))
	for id := range l.live {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (l *loop) topicNames() []string {
	names := make([]string, 0, len(l.topics))
	for n := range l.topics {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func allPartitions(t *topicState) []int32 {
	ps := make([]int32, 0, len(t.assignment.Replicas))
	for p := range t.assignment.Replicas {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}
