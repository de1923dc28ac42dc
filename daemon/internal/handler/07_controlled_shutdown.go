package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/server"
)

// ControlledShutdown v0-3, served by the active controller for a broker
// about to stop: its leaderships move to other in-sync replicas and the
// partitions it still leads are answered, for it to retry. v2+ carry the
// broker epoch (STALE_BROKER_EPOCH when it is not the broker's current
// registration); v0 uses request header v0, which the server handles.
func (h *Handler) controlledShutdown(ctx context.Context, _ *server.Request, body *kmsg.ControlledShutdownRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.ControlledShutdownResponse)
	epoch := body.BrokerEpoch
	if body.Version < 2 {
		epoch = -1
	}
	remaining, err := h.controllerOp(func(c Controller) ([]controller.TopicPartition, error) {
		return c.ControlledShutdown(ctx, body.BrokerID, epoch)
	})
	if err != nil {
		h.logControllerError("ControlledShutdown", err, "broker", body.BrokerID)
		resp.ErrorCode = controllerErrorCode(err)
		return resp, nil
	}
	for _, tp := range remaining {
		p := kmsg.NewControlledShutdownResponsePartitionsRemaining()
		p.Topic, p.Partition = tp.Topic, tp.Partition
		resp.PartitionsRemaining = append(resp.PartitionsRemaining, p)
	}
	return resp, nil
}

// controllerOp runs an operation on the controller, or fails with
// controller.ErrNotController when this broker has none.
func (h *Handler) controllerOp(op func(Controller) ([]controller.TopicPartition, error)) ([]controller.TopicPartition, error) {
	if h.deps.Controller == nil {
		return nil, controller.ErrNotController
	}
	return op(h.deps.Controller)
}

// logControllerError logs what a client is not expected to cause: not the
// routine NOT_CONTROLLER or a refusal with a Kafka code.
func (h *Handler) logControllerError(api string, err error, args ...any) {
	if controllerErrorCode(err) == kerr.UnknownServerError.Code {
		h.log.Error(api+" failed", append(args, "err", err)...)
		return
	}
	h.log.Info(api+" refused", append(args, "err", err)...)
}
