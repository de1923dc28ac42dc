package controller

import (
	"context"
	"errors"
)

// ControlledShutdown moves leadership away from a broker that is shutting
// down and takes it out of the ISRs it is in (Kafka's
// ControlledShutdown API). It returns the partitions the broker still
// leads; the broker retries until none remain.
func (c *Controller) ControlledShutdown(ctx context.Context, brokerID int32, brokerEpoch int64) ([]TopicPartition, error) {
	return nil, errors.New("controlled shutdown: not implemented yet")
}
