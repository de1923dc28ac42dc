package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/store/partitionlog"
)

// StopReplica v0-4, from the controller: stop serving partitions and, for
// deleted topics, remove their logs. A request from a deposed controller is
// refused whole with STALE_CONTROLLER_EPOCH, at the top and per partition.
func (h *Handler) stopReplica(_ context.Context, _ *server.Request, body *kmsg.StopReplicaRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.StopReplicaResponse)
	var stops []replica.Stop
	for _, t := range body.Topics {
		for _, sp := range stopReplicaPartitions(body, t) {
			stops = append(stops, replica.Stop{Topic: t.Topic, Partition: sp.Partition, LeaderEpoch: sp.LeaderEpoch, DeleteLog: sp.Delete})
		}
	}
	results, err := h.deps.Replicas.StopReplicas(body.ControllerEpoch, stops)
	resp.ErrorCode = kafkaerr.Code(err)
	for _, s := range stops {
		perr := err
		if err == nil {
			perr = results[partitionlog.TopicPartition{Topic: s.Topic, Partition: s.Partition}]
		}
		if perr != nil {
			h.log.Warn("StopReplica failed", "topic", s.Topic, "partition", s.Partition, "err", perr)
		}
		rp := kmsg.NewStopReplicaResponsePartition()
		rp.Topic, rp.Partition, rp.ErrorCode = s.Topic, s.Partition, kafkaerr.Code(perr)
		resp.Partitions = append(resp.Partitions, rp)
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
