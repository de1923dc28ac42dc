package controller

import (
	"context"
	"errors"
	"fmt"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// loop is the driver of one controller epoch: it owns the core and is
// the only goroutine that steps it. Watches and timers only enqueue
// events; the loop reads what changed from the store, steps the core,
// carries out the effects it returns and steps their results, until the
// core is idle, before it takes the next event.
type loop struct {
	*core
	c        *Controller
	events   chan event
	channels *channels
	reassign reassignWatches // partition reassignments' watches
	replies  map[OpID]Reply  // replies the core gave, until their caller takes them
	lastOp   OpID
	// stopped is closed when the loop ends, releasing waiting callers.
	stopped chan struct{}
}

// eventKind names what the loop is told: a watch that fired, a timer, or
// a function to run on the loop.
type eventKind int

const (
	brokersChanged eventKind = iota
	topicsChanged
	assignmentChanged
	deletionsChanged
	isrChanged
	logDirEventsChanged
	preferredElectionChanged
	rebalanceDue
	reassignRequestsChanged
	reassignStateChanged
	runFunc
)

type event struct {
	kind  eventKind
	topic string         // for assignmentChanged
	tp    TopicPartition // for reassignStateChanged
	fn    func(context.Context, *loop) error
	done  chan error // for runFunc with a waiting caller
}

func newLoop(c *Controller, epoch int32) *loop {
	core := newCore(coreConfig{
		BrokerID: c.cfg.BrokerID, Logger: c.log,
		UncleanElection:     c.cfg.UncleanElection,
		DeleteTopicEnable:   c.cfg.DeleteTopicEnable,
		ImbalancePercentage: c.cfg.Rebalance.ImbalancePercentage,
	})
	core.epoch = epoch
	l := &loop{
		core: core, c: c,
		events:  make(chan event, 64),
		replies: map[OpID]Reply{},
		stopped: make(chan struct{}),
	}
	l.channels = newChannels(c.cfg.Sender, c.log, l.leaderAndIsrAnswered)
	return l
}

func (l *loop) close() { l.channels.close() }

// run loads the cluster and handles events until ctx ends or an event
// fails in a way only a new controller epoch can mend (a lost epoch, a
// store that keeps failing); Run then resigns and campaigns again.
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
				return fmt.Errorf("event %d (topic %q): %w", ev.kind, ev.topic, err)
			}
		}
	}
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
	case logDirEventsChanged:
		return l.onLogDirEvents(ctx)
	case preferredElectionChanged:
		return l.onPreferredElectionChanged(ctx)
	case rebalanceDue:
		return l.step(ctx, RebalanceTick{})
	case reassignRequestsChanged:
		l.reassign.requests = false
		return l.onReassignRequestsChanged(ctx, false)
	case reassignStateChanged:
		return l.onReassignStateWatchFired(ctx, ev.tp)
	case runFunc:
		return l.runEvent(ctx, ev)
	}
	return nil
}

// errResigned ends the loop when the core resigned; a caller waiting on
// the loop learns that this broker is not the controller any more.
var errResigned = fmt.Errorf("controller resigned: %w", ErrNotController)

// step steps the core with ev, carries out the effects it returns in
// order, and steps their results, in order, until the core is idle.
func (l *loop) step(ctx context.Context, ev Event) error {
	pending := []Event{ev}
	for len(pending) > 0 {
		rd := l.core.Step(pending[0])
		pending = pending[1:]
		for _, eff := range rd.Effects {
			res, err := l.execute(ctx, eff)
			if err != nil {
				return err
			}
			if res != nil {
				pending = append(pending, *res)
			}
		}
	}
	if l.core.Busy() {
		return errors.New("controller core still waits for results no effect will bring")
	}
	return nil
}

// newOp numbers a caller's operation.
func (l *loop) newOp() OpID {
	l.lastOp++
	return l.lastOp
}

// stepForReply steps an event that carries a caller's operation and
// returns the core's Reply to it.
func (l *loop) stepForReply(ctx context.Context, op OpID, ev Event) (Reply, error) {
	if err := l.step(ctx, ev); err != nil {
		return Reply{}, err
	}
	r, ok := l.replies[op]
	if !ok {
		return Reply{}, fmt.Errorf("controller core gave no reply to operation %d", op)
	}
	delete(l.replies, op)
	return r, nil
}

// watch turns a one-shot watch channel into an event on the loop.
func (l *loop) watch(ctx context.Context, ch <-chan struct{}, ev event) {
	if ch == nil {
		return
	}
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

// updateBrokers tells the sender and the channels the live brokers.
func (l *loop) updateBrokers(live map[int32]metadatacache.Broker) {
	l.channels.update(live)
}
