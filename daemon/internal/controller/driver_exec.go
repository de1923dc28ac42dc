package controller

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kqhq/kq/store/meta"
)

// storeAttempts bounds how often the driver tries a store effect that
// fails with an error the core has no outcome for (a lost connection);
// after that the loop ends and the controller campaigns again.
const storeAttempts = 5

// execute carries out one effect. Store effects return the Result to step;
// Sends are queued on the broker's channel; Replies are kept for their
// caller. The error ends the loop: a resignation, or a store that kept
// failing.
func (l *loop) execute(ctx context.Context, eff Effect) (*Result, error) {
	switch e := eff.(type) {
	case Send:
		l.channels.enqueue(e.Broker, e.Request)
		return nil, nil
	case Reply:
		l.replies[e.Op] = e
		return nil, nil
	case Resign:
		l.c.log.Warn("controller resigns", "reason", e.Reason)
		return nil, fmt.Errorf("%w: %s", errResigned, e.Reason)
	}
	var res Result
	err := l.retry(ctx, func() error {
		var err error
		res, err = l.executeStore(ctx, eff)
		return err
	})
	return &res, err
}

// retry runs a store effect until it has an outcome for the core, backing
// off between attempts.
func (l *loop) retry(ctx context.Context, fn func() error) error {
	var err error
	for attempt := 1; attempt <= storeAttempts; attempt++ {
		if err = fn(); err == nil {
			return nil
		}
		l.c.log.Warn("controller store write failed; retrying", "attempt", attempt, "err", err)
		if !sleep(ctx, time.Duration(attempt)*100*time.Millisecond) {
			return ctx.Err()
		}
	}
	return err
}

func (l *loop) executeStore(ctx context.Context, eff Effect) (Result, error) {
	st := l.c.cfg.Store
	switch e := eff.(type) {
	case CreateState:
		s, err := st.CreatePartitionState(ctx, e.Topic, e.Partition, e.State)
		return outcome(e.ID, s, err)
	case UpdateState:
		s, err := st.UpdatePartitionState(ctx, e.Topic, e.Partition, e.State)
		return outcome(e.ID, s, err)
	case ReadState:
		states, err := st.PartitionStates(ctx, e.Topic)
		if err != nil {
			return outcome(e.ID, PartitionState{}, err)
		}
		s, ok := states[e.Partition]
		if !ok {
			return Result{ID: e.ID, Outcome: OutcomeGone}, nil
		}
		return Result{ID: e.ID, State: s}, nil
	case DeleteIsrChanges:
		return outcome(e.ID, PartitionState{}, st.DeleteIsrChanges(ctx, e.Names))
	case DeleteLogDirEvents:
		return outcome(e.ID, PartitionState{}, st.DeleteLogDirEvents(ctx, e.Names))
	case RemoveTopic:
		return outcome(e.ID, PartitionState{}, st.RemoveTopic(ctx, e.Topic))
	case CancelTopicDeletion:
		return outcome(e.ID, PartitionState{}, st.CancelTopicDeletion(ctx, e.Topic))
	case DeletePreferredElection:
		return outcome(e.ID, PartitionState{}, st.DeletePreferredReplicaElection(ctx))
	case WriteAssignment:
		return l.writeAssignment(ctx, e)
	case ReadStateWatched:
		return l.readStateWatched(ctx, e)
	case RemoveReassignRequests:
		return l.removeReassignRequests(ctx, e)
	}
	panic(fmt.Sprintf("controller driver: unknown effect %T", eff))
}

// outcome classifies a store error into the Result the core understands;
// other errors are returned for the driver to retry.
func outcome(id EffectID, s PartitionState, err error) (Result, error) {
	r := Result{ID: id, State: s}
	switch {
	case err == nil:
	case fenced(err):
		r.Outcome = OutcomeFenced
	case errors.Is(err, meta.ErrBadVersion):
		r.Outcome = OutcomeConflict
	case errors.Is(err, ErrStateExists):
		r.Outcome = OutcomeExists
	case errors.Is(err, meta.ErrNoNode):
		r.Outcome = OutcomeGone
	default:
		return r, err
	}
	return r, nil
}

// fenced reports a write refused by its controller epoch check: the
// store's writes of a controller are multi-ops guarded by a check of
// /controller_epoch, so a failing check op means another controller bumped
// the epoch.
func fenced(err error) bool {
	var merr *meta.MultiError
	if !errors.As(err, &merr) {
		return false
	}
	_, isCheck := merr.Op.(meta.CheckOp)
	return isCheck
}
