package controller

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Config wires a Controller.
type Config struct {
	BrokerID int32
	Store    Store
	Sender   Sender
	Logger   *slog.Logger
	// UncleanElection reports whether a topic may elect a leader outside
	// its ISR (unclean.leader.election.enable).
	UncleanElection func(topic string) bool
	// DeleteTopicEnable reports delete.topic.enable; when it is false,
	// deletion requests are dropped (the marker removed, the topic kept), as
	// Kafka's controller does for markers written straight to ZooKeeper.
	DeleteTopicEnable func() bool
	// Rebalance is auto.leader.rebalance.enable's periodic preferred
	// election; the zero value disables it.
	Rebalance RebalanceConfig
}

// Controller campaigns for controllership and, while it holds it, runs the
// cluster.
type Controller struct {
	cfg Config
	log *slog.Logger

	mu     sync.Mutex
	active *loop // the running loop while this broker is controller
}

// New returns a controller; Run starts it.
func New(cfg Config) *Controller {
	if cfg.UncleanElection == nil {
		cfg.UncleanElection = func(string) bool { return false }
	}
	if cfg.DeleteTopicEnable == nil {
		cfg.DeleteTopicEnable = func() bool { return true }
	}
	return &Controller{cfg: cfg, log: cfg.Logger.With("component", "controller")}
}

// Run campaigns until ctx ends: whenever /controller is free it tries to
// take it, and while it is controller it runs the event loop.
func (c *Controller) Run(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		won, epoch, change, err := c.cfg.Store.Elect(ctx, c.cfg.BrokerID)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			c.log.Warn("controller election failed; retrying", "err", err, "backoff", backoff)
			if !sleep(ctx, backoff) {
				break
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if !won {
			waitOrDone(ctx, change)
			continue
		}
		c.log.Info("became controller", "broker", c.cfg.BrokerID, "epoch", epoch)
		err = c.lead(ctx, epoch, change)
		c.log.Info("resigned as controller", "broker", c.cfg.BrokerID, "epoch", epoch, "reason", err)
		if ctx.Err() == nil {
			// Give /controller up, or the next Elect finds it held (by
			// this broker) and waits forever for a change that never comes.
			c.resign()
		}
	}
	c.resign()
	return nil
}

// resign deletes /controller if this broker holds it; it uses its own
// deadline, since it also runs when the campaign's context has ended.
func (c *Controller) resign() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.cfg.Store.Resign(ctx, c.cfg.BrokerID); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		c.log.Debug("resign", "err", err)
	}
}

// lead runs the event loop for one controller epoch.
func (c *Controller) lead(ctx context.Context, epoch int32, lost <-chan struct{}) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		waitOrDone(ctx, lost)
		cancel()
	}()
	l := newLoop(c, epoch)
	defer l.close()
	return l.run(ctx)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func waitOrDone(ctx context.Context, ch <-chan struct{}) {
	select {
	case <-ch:
	case <-ctx.Done():
	}
}
