package controller

import (
	"context"
	"errors"
	"fmt"

	"github.com/kqhq/kq/store/meta"
)

// ControlledShutdown moves leadership away from a broker that is shutting
// down and takes it out of the ISRs it is in (Kafka's
// ControlledShutdown API). It returns the partitions the broker still
// leads; the broker retries until none remain.
//
// Refusals are RequestErrors wrapping kerr.BrokerNotAvailable (the broker
// is not registered) or kerr.StaleBrokerEpoch (brokerEpoch is not the
// epoch of its current registration).
func (c *Controller) ControlledShutdown(ctx context.Context, brokerID int32, brokerEpoch int64) ([]TopicPartition, error) {
	r, err := c.request(ctx, func(ctx context.Context, l *loop, op OpID) (Event, error) {
		ev := ControlledShutdownRequested{Op: op, Broker: brokerID, BrokerEpoch: brokerEpoch}
		current, err := l.c.cfg.Store.BrokerEpoch(ctx, brokerID)
		if err != nil && !errors.Is(err, meta.ErrNoNode) {
			return nil, fmt.Errorf("broker %d epoch: %w", brokerID, err)
		}
		ev.Registered, ev.Current = err == nil, current
		return ev, nil
	})
	if err != nil {
		return nil, err
	}
	return r.([]TopicPartition), nil
}
