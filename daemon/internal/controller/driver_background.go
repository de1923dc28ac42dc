package controller

import (
	"context"
	"time"
)

// initOperations resumes what the metadata store records as under way when
// a controller takes over: partition reassignments and a pending
// preferred-replica election.
func (l *loop) initOperations(ctx context.Context) error {
	if err := l.onReassignRequestsChanged(ctx, true); err != nil {
		return err
	}
	return l.onPreferredElectionChanged(ctx)
}

// startBackground starts the loop's timers, once per controller epoch;
// they end with ctx.
func (l *loop) startBackground(ctx context.Context) {
	l.startLeaderRebalance(ctx)
}

// startLeaderRebalance starts auto.leader.rebalance.enable's periodic
// check; the ticker only enqueues, the check is the core's.
func (l *loop) startLeaderRebalance(ctx context.Context) {
	cfg := l.c.cfg.Rebalance
	if !cfg.Enable || cfg.Interval <= 0 {
		return
	}
	go func() {
		tick := time.NewTicker(cfg.Interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				select {
				case l.events <- event{kind: rebalanceDue}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
}
