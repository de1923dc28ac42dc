package handler

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/server"
)

// ListPartitionReassignments v0 (KIP-455): the reassignments under way,
// for the partitions named or all (null topics), from the active
// controller; another broker answers NOT_CONTROLLER. Partitions not being
// reassigned are left out, as Kafka does.
func (h *Handler) listPartitionReassignments(ctx context.Context, req *server.Request, body *kmsg.ListPartitionReassignmentsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.ListPartitionReassignmentsResponse)
	if !h.allowedCluster(req, opDescribe) {
		resp.ErrorCode = clusterDenied
		return resp, nil
	}
	var only []controller.TopicPartition
	if body.Topics != nil {
		only = []controller.TopicPartition{}
		for _, t := range body.Topics {
			for _, p := range t.Partitions {
				only = append(only, controller.TopicPartition{Topic: t.Topic, Partition: p})
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, controllerTimeout(body.TimeoutMillis))
	defer cancel()
	got, err := h.deps.Controller.ListPartitionReassignments(ctx, only)
	if err != nil {
		resp.ErrorCode, resp.ErrorMessage = controllerErrorCode(err), errorMessage(err)
		return resp, nil
	}
	for _, tp := range sortedTopicPartitions(got) {
		r := got[tp]
		rp := kmsg.NewListPartitionReassignmentsResponseTopicPartition()
		rp.Partition, rp.Replicas, rp.AddingReplicas, rp.RemovingReplicas = tp.Partition, r.Replicas, nonNilIDs(r.Adding), nonNilIDs(r.Removing)
		n := len(resp.Topics)
		if n == 0 || resp.Topics[n-1].Topic != tp.Topic {
			rt := kmsg.NewListPartitionReassignmentsResponseTopic()
			rt.Topic = tp.Topic
			resp.Topics = append(resp.Topics, rt)
			n++
		}
		resp.Topics[n-1].Partitions = append(resp.Topics[n-1].Partitions, rp)
	}
	return resp, nil
}

func sortedTopicPartitions[V any](m map[controller.TopicPartition]V) []controller.TopicPartition {
	out := make([]controller.TopicPartition, 0, len(m))
	for tp := range m {
		out = append(out, tp)
	}
	slices.SortFunc(out, func(a, b controller.TopicPartition) int {
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	return out
}

func nonNilIDs(ids []int32) []int32 {
	if ids == nil {
		return []int32{}
	}
	return ids
}
