package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/store/partitionlog"
)

// LeaderAndIsr v0-7, from the controller: lead or follow these partitions.
// A request from a deposed controller is refused whole with
// STALE_CONTROLLER_EPOCH, at the top and for every partition, as Kafka's
// getErrorResponse does.
func (h *Handler) leaderAndIsr(_ context.Context, _ *server.Request, body *kmsg.LeaderAndISRRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.LeaderAndISRResponse)
	parts := leaderAndIsrPartitions(body)
	results, err := h.deps.Replicas.ApplyLeaderAndIsr(body.ControllerEpoch, parts)
	if err != nil {
		resp.ErrorCode = kafkaerr.Code(err)
		for _, p := range parts {
			addLeaderAndIsrResult(resp, p, resp.ErrorCode)
		}
		return resp, nil
	}
	for _, p := range parts {
		tp := partitionlog.TopicPartition{Topic: p.Topic, Partition: p.Partition}
		if err := results[tp]; err != nil {
			h.log.Warn("LeaderAndIsr partition failed", "topic", p.Topic, "partition", p.Partition, "err", err)
		}
		addLeaderAndIsrResult(resp, p, kafkaerr.Code(results[tp]))
	}
	return resp, nil
}

func leaderAndIsrPartitions(body *kmsg.LeaderAndISRRequest) []replica.LeaderAndIsr {
	var out []replica.LeaderAndIsr
	add := func(topic string, id [16]byte, ps kmsg.LeaderAndISRRequestTopicPartition) {
		out = append(out, replica.LeaderAndIsr{Topic: topic, TopicID: id, Partition: ps.Partition, State: replica.State{
			Leader: ps.Leader, LeaderEpoch: ps.LeaderEpoch, ControllerEpoch: ps.ControllerEpoch,
			ZkVersion: ps.ZKVersion, Replicas: ps.Replicas, ISR: ps.ISR,
		}})
	}
	for _, ps := range body.PartitionStates {
		add(ps.Topic, [16]byte{}, ps)
	}
	for _, ts := range body.TopicStates {
		for _, ps := range ts.PartitionStates {
			add(ts.Topic, ts.TopicID, ps)
		}
	}
	return out
}

func addLeaderAndIsrResult(resp *kmsg.LeaderAndISRResponse, p replica.LeaderAndIsr, code int16) {
	rp := kmsg.NewLeaderAndISRResponseTopicPartition()
	rp.Topic, rp.Partition, rp.ErrorCode = p.Topic, p.Partition, code
	if resp.Version < 5 {
		resp.Partitions = append(resp.Partitions, rp)
		return
	}
	for i := range resp.Topics {
		if resp.Topics[i].TopicID == p.TopicID {
			resp.Topics[i].Partitions = append(resp.Topics[i].Partitions, rp)
			return
		}
	}
	t := kmsg.NewLeaderAndISRResponseTopic()
	t.TopicID = p.TopicID
	t.Partitions = []kmsg.LeaderAndISRResponseTopicPartition{rp}
	resp.Topics = append(resp.Topics, t)
}
