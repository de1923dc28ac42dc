package daemon

import (
	"context"
	"sync/atomic"

	"github.com/kqhq/kq/daemon/internal/controller"
)

// activeController forwards the handlers' controller operations to the
// controller of the current metadata session (a new one per session).
type activeController struct {
	p atomic.Pointer[controller.Controller]
}

func (a *activeController) get() (*controller.Controller, error) {
	c := a.p.Load()
	if c == nil {
		return nil, controller.ErrNotController
	}
	return c, nil
}

func (a *activeController) ControlledShutdown(ctx context.Context, brokerID int32, brokerEpoch int64) ([]controller.TopicPartition, error) {
	c, err := a.get()
	if err != nil {
		return nil, err
	}
	return c.ControlledShutdown(ctx, brokerID, brokerEpoch)
}

func (a *activeController) ElectLeaders(ctx context.Context, typ controller.ElectionType, partitions []controller.TopicPartition) (map[controller.TopicPartition]controller.ElectionResult, error) {
	c, err := a.get()
	if err != nil {
		return nil, err
	}
	return c.ElectLeaders(ctx, typ, partitions)
}

func (a *activeController) AlterPartitionReassignments(ctx context.Context, targets map[controller.TopicPartition][]int32) (map[controller.TopicPartition]error, error) {
	c, err := a.get()
	if err != nil {
		return nil, err
	}
	return c.AlterPartitionReassignments(ctx, targets)
}

func (a *activeController) ListPartitionReassignments(ctx context.Context, only []controller.TopicPartition) (map[controller.TopicPartition]controller.Reassignment, error) {
	c, err := a.get()
	if err != nil {
		return nil, err
	}
	return c.ListPartitionReassignments(ctx, only)
}
