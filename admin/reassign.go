package admin

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// PartitionReplicas is a partition and its replica list: a reassignment
// target (Replicas nil cancels the partition's reassignment) or a current
// assignment.
type PartitionReplicas struct {
	Topic     string  `json:"topic"`
	Partition int32   `json:"partition"`
	Replicas  []int32 `json:"replicas"`
}

// ReassignResult is one partition's answer to AlterPartitionReassignments:
// nil when the controller started (or cancelled) it, else the Kafka error
// (INVALID_REPLICA_ASSIGNMENT, UNKNOWN_TOPIC_OR_PARTITION,
// NO_REASSIGNMENT_IN_PROGRESS, ...) with the controller's message.
type ReassignResult struct {
	Topic     string
	Partition int32
	Err       error
}

// PartitionReassignment is a reassignment under way: the full replica set
// (target first, then the replicas leaving), and which are being added and
// removed.
type PartitionReassignment struct {
	Topic            string  `json:"topic"`
	Partition        int32   `json:"partition"`
	Replicas         []int32 `json:"replicas"`
	AddingReplicas   []int32 `json:"adding_replicas"`
	RemovingReplicas []int32 `json:"removing_replicas"`
}

// Target is the replica set the reassignment ends with.
func (r PartitionReassignment) Target() []int32 {
	return slices.DeleteFunc(slices.Clone(r.Replicas), func(id int32) bool { return slices.Contains(r.RemovingReplicas, id) })
}

// AlterPartitionReassignments asks the controller to move partitions to
// new replica sets, or to cancel their reassignment (nil Replicas). The
// results come sorted by topic and partition; a request-level refusal is
// the error.
func (c *Client) AlterPartitionReassignments(ctx context.Context, targets []PartitionReplicas) ([]ReassignResult, error) {
	req := kmsg.NewPtrAlterPartitionAssignmentsRequest()
	req.TimeoutMillis = c.timeoutMillis()
	for _, t := range sortedReplicas(targets) {
		n := len(req.Topics)
		if n == 0 || req.Topics[n-1].Topic != t.Topic {
			rt := kmsg.NewAlterPartitionAssignmentsRequestTopic()
			rt.Topic = t.Topic
			req.Topics = append(req.Topics, rt)
			n++
		}
		rp := kmsg.NewAlterPartitionAssignmentsRequestTopicPartition()
		rp.Partition, rp.Replicas = t.Partition, t.Replicas
		req.Topics[n-1].Partitions = append(req.Topics[n-1].Partitions, rp)
	}
	kresp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("alter partition reassignments: %w", err)
	}
	resp := kresp.(*kmsg.AlterPartitionAssignmentsResponse)
	if err := kafkaError(resp.ErrorCode, resp.ErrorMessage); err != nil {
		return nil, fmt.Errorf("alter partition reassignments: %w", err)
	}
	var out []ReassignResult
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			out = append(out, ReassignResult{Topic: t.Topic, Partition: p.Partition, Err: kafkaError(p.ErrorCode, p.ErrorMessage)})
		}
	}
	slices.SortFunc(out, func(a, b ReassignResult) int { return comparePartitions(a.Topic, a.Partition, b.Topic, b.Partition) })
	return out, nil
}

// ListPartitionReassignments lists the reassignments under way, of the
// given partitions (topic -> partitions) or of all when partitions is nil,
// sorted by topic and partition.
func (c *Client) ListPartitionReassignments(ctx context.Context, partitions map[string][]int32) ([]PartitionReassignment, error) {
	req := kmsg.NewPtrListPartitionReassignmentsRequest()
	req.TimeoutMillis = c.timeoutMillis()
	if partitions != nil {
		req.Topics = []kmsg.ListPartitionReassignmentsRequestTopic{}
	}
	for _, topic := range requestedTopics(partitions) {
		rt := kmsg.NewListPartitionReassignmentsRequestTopic()
		rt.Topic, rt.Partitions = topic, partitions[topic]
		req.Topics = append(req.Topics, rt)
	}
	kresp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("list partition reassignments: %w", err)
	}
	resp := kresp.(*kmsg.ListPartitionReassignmentsResponse)
	if err := kafkaError(resp.ErrorCode, resp.ErrorMessage); err != nil {
		return nil, fmt.Errorf("list partition reassignments: %w", err)
	}
	out := []PartitionReassignment{}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			out = append(out, PartitionReassignment{Topic: t.Topic, Partition: p.Partition,
				Replicas: p.Replicas, AddingReplicas: orEmpty(p.AddingReplicas), RemovingReplicas: orEmpty(p.RemovingReplicas)})
		}
	}
	slices.SortFunc(out, func(a, b PartitionReassignment) int {
		return comparePartitions(a.Topic, a.Partition, b.Topic, b.Partition)
	})
	return out, nil
}

func sortedReplicas(in []PartitionReplicas) []PartitionReplicas {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b PartitionReplicas) int { return comparePartitions(a.Topic, a.Partition, b.Topic, b.Partition) })
	return out
}

func comparePartitions(t1 string, p1 int32, t2 string, p2 int32) int {
	return cmp.Or(strings.Compare(t1, t2), cmp.Compare(p1, p2))
}

func orEmpty(ids []int32) []int32 {
	if ids == nil {
		return []int32{}
	}
	return ids
}
