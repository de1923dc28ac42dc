package controller

import (
	"context"
	"errors"
)

// ErrNotController is returned by the controller's operations when this
// broker is not (or no longer) the active controller: the caller answers
// NOT_CONTROLLER and the client retries against the new one.
var ErrNotController = errors.New("this broker is not the active controller")

// RequestError is an error an operation returns to its caller without
// implying anything about the loop's state (a refused request, as opposed
// to a failed metadata write, after which the controller resigns and
// campaigns again).
type RequestError struct{ Err error }

// Error is the refusal's message.
func (e *RequestError) Error() string { return e.Err.Error() }

// Unwrap returns the refusal, for errors.Is.
func (e *RequestError) Unwrap() error { return e.Err }

// refuse wraps err as a RequestError.
func refuse(err error) error { return &RequestError{Err: err} }

// do runs fn on the active loop, between events, and returns its error.
// It fails with ErrNotController when no loop is active or the loop ends
// before fn ran.
func (c *Controller) do(ctx context.Context, fn func(context.Context, *loop) error) error {
	l := c.activeLoop()
	if l == nil {
		return ErrNotController
	}
	done := make(chan error, 1)
	select {
	case l.events <- event{kind: runFunc, fn: fn, done: done}:
	case <-l.stopped:
		return ErrNotController
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-l.stopped:
		return ErrNotController
	case <-ctx.Done():
		return ctx.Err()
	}
}

// request steps the core, on the active loop, with the event build returns
// for a new operation, and returns the value of the core's reply to it; a
// reply's error is the caller's, not the loop's.
func (c *Controller) request(ctx context.Context, build func(context.Context, *loop, OpID) (Event, error)) (any, error) {
	var reply Reply
	err := c.do(ctx, func(ctx context.Context, l *loop) error {
		op := l.newOp()
		ev, err := build(ctx, l, op)
		if err != nil {
			return err
		}
		reply, err = l.stepForReply(ctx, op, ev)
		return err
	})
	if err != nil {
		return nil, err
	}
	return reply.Value, reply.Err
}

// runEvent runs a function event and hands its error to a waiting caller.
// Only errors that are not RequestErrors end the loop.
func (l *loop) runEvent(ctx context.Context, ev event) error {
	err := ev.fn(ctx, l)
	if ev.done != nil {
		ev.done <- err
	}
	var refused *RequestError
	if errors.As(err, &refused) {
		return nil
	}
	return err
}

func (c *Controller) activeLoop() *loop {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.active
}

func (c *Controller) setActive(l *loop) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.active = l
}
