package handler

import (
	"context"
	"errors"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// AlterPartitionReassignments v0 (KIP-455): start or cancel (null
// replicas) partition reassignments on the active controller. Another
// broker answers NOT_CONTROLLER at the top level so the client retries
// against the controller; per-partition refusals come from the controller
// with Kafka's codes and messages.
func (h *Handler) alterPartitionReassignments(ctx context.Context, req *server.Request, body *kmsg.AlterPartitionAssignmentsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.AlterPartitionAssignmentsResponse)
	if !h.allowedCluster(req, opAlter) {
		resp.ErrorCode = clusterDenied
		return resp, nil
	}
	targets := map[controller.TopicPartition][]int32{}
	for _, t := range body.Topics {
		for _, p := range t.Partitions {
			targets[controller.TopicPartition{Topic: t.Topic, Partition: p.Partition}] = p.Replicas
		}
	}
	ctx, cancel := context.WithTimeout(ctx, controllerTimeout(body.TimeoutMillis))
	defer cancel()
	results, err := h.deps.Controller.AlterPartitionReassignments(ctx, targets)
	if err != nil {
		resp.ErrorCode, resp.ErrorMessage = controllerErrorCode(err), errorMessage(err)
		return resp, nil
	}
	for _, t := range body.Topics {
		rt := kmsg.NewAlterPartitionAssignmentsResponseTopic()
		rt.Topic = t.Topic
		for _, p := range t.Partitions {
			perr := results[controller.TopicPartition{Topic: t.Topic, Partition: p.Partition}]
			rp := kmsg.NewAlterPartitionAssignmentsResponseTopicPartition()
			rp.Partition, rp.ErrorCode, rp.ErrorMessage = p.Partition, kafkaerr.Code(perr), errorMessage(perr)
			rt.Partitions = append(rt.Partitions, rp)
		}
		resp.Topics = append(resp.Topics, rt)
	}
	return resp, nil
}

// controllerTimeout is how long a request may wait for the controller:
// the request's timeout_ms, or Kafka's 60 s default when it sends none.
func controllerTimeout(ms int32) time.Duration {
	if ms <= 0 {
		return 60 * time.Second
	}
	return time.Duration(ms) * time.Millisecond
}

// controllerErrorCode maps an error from the controller's operations:
// NOT_CONTROLLER when this broker is not the active controller,
// REQUEST_TIMED_OUT when the request's time ran out.
func controllerErrorCode(err error) int16 {
	switch {
	case errors.Is(err, controller.ErrNotController):
		return kerr.NotController.Code
	case errors.Is(err, context.DeadlineExceeded):
		return kerr.RequestTimedOut.Code
	}
	return kafkaerr.Code(err)
}
