package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// StopReplica v0-4, from the controller: stop serving partitions and, for
// deleted topics, remove their logs.
func (h *Handler) stopReplica(_ context.Context, _ *server.Request, body *kmsg.StopReplicaRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.StopReplicaResponse)
	for _, t := range body.Topics {
		for _, sp := range stopReplicaPartitions(body, t) {
			err := h.deps.Replicas.StopReplica(body.ControllerEpoch, t.Topic, sp.Partition, sp.Delete)
			if err != nil {
				h.log.Warn("StopReplica failed", "topic", t.Topic, "partition", sp.Partition, "err", err)
			}
			rp := kmsg.NewStopReplicaResponsePartition()
			rp.Topic, rp.Partition, rp.ErrorCode = t.Topic, sp.Partition, errorCode(err)
			resp.Partitions = append(resp.Partitions, rp)
		}
	}
	return resp, nil
}

// stopReplicaPartitions normalises the three shapes StopReplica had over
// its versions into partition states.
func stopReplicaPartitions(body *kmsg.StopReplicaRequest, t kmsg.StopReplicaRequestTopic) []kmsg.StopReplicaRequestTopicPartitionState {
	switch {
	case body.Version >= 3:
		return t.PartitionStates
	case body.Version >= 1:
		out := make([]kmsg.StopReplicaRequestTopicPartitionState, 0, len(t.Partitions))
		for _, p := range t.Partitions {
			out = append(out, kmsg.StopReplicaRequestTopicPartitionState{Partition: p, LeaderEpoch: -1, Delete: body.DeletePartitions})
		}
		return out
	default:
		return []kmsg.StopReplicaRequestTopicPartitionState{{Partition: t.Partition, LeaderEpoch: -1, Delete: body.DeletePartitions}}
	}
}
