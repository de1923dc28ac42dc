package handler

import (
	"context"

	"github.com/kqhq/kq/daemon/internal/controller"
)

// noController stands in when Deps has no Controller (tests, tools that
// embed the handler): every operation answers NOT_CONTROLLER rather than
// panicking.
type noController struct{}

func (noController) ControlledShutdown(context.Context, int32, int64) ([]controller.TopicPartition, error) {
	return nil, controller.ErrNotController
}

func (noController) ElectLeaders(context.Context, controller.ElectionType, []controller.TopicPartition) (map[controller.TopicPartition]controller.ElectionResult, error) {
	return nil, controller.ErrNotController
}

func (noController) AlterPartitionReassignments(context.Context, map[controller.TopicPartition][]int32) (map[controller.TopicPartition]error, error) {
	return nil, controller.ErrNotController
}

func (noController) ListPartitionReassignments(context.Context, []controller.TopicPartition) (map[controller.TopicPartition]controller.Reassignment, error) {
	return nil, controller.ErrNotController
}
