package reassign

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/daemon/placement"
)

// generated is --generate's outcome, and what -o json|yaml prints.
type generated struct {
	Current  planFile `json:"current_assignment"`
	Proposed planFile `json:"proposed_assignment"`
}

func generateRun(ctx context.Context, opts *Options, a reassignAdmin) error {
	current, err := topicAssignments(ctx, a, opts.Topics)
	if err != nil {
		return err
	}
	brokers, err := candidateBrokers(ctx, a, opts.Brokers, !opts.DisableRackAware)
	if err != nil {
		return err
	}
	proposed, err := propose(current, brokers, opts)
	if err != nil {
		return err
	}
	g := generated{Current: planOf(current), Proposed: planOf(proposed)}
	if done, err := output.Structured(opts.IO.Out, opts.Output, g); done {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "Current partition replica assignment\n%s\n\n", g.Current)
	fmt.Fprintf(opts.IO.Out, "Proposed partition reassignment configuration\n%s\n", g.Proposed)
	return nil
}

// topicAssignments returns every partition of the topics with its replicas.
func topicAssignments(ctx context.Context, a reassignAdmin, topics []string) ([]admin.PartitionReplicas, error) {
	described, err := a.Topics(ctx, topics...)
	if err != nil {
		return nil, err
	}
	var out []admin.PartitionReplicas
	for _, t := range described {
		if t.Err != nil {
			return nil, fmt.Errorf("topic %s: %w", t.Name, t.Err)
		}
		for _, p := range t.Partitions {
			out = append(out, admin.PartitionReplicas{Topic: t.Name, Partition: p.ID, Replicas: p.Replicas})
		}
	}
	return out, nil
}

// candidateBrokers returns the listed brokers that the cluster knows (as
// Kafka, unknown ids are left out), with their racks when rack-aware.
func candidateBrokers(ctx context.Context, a reassignAdmin, listed []int32, rackAware bool) ([]placement.Broker, error) {
	cluster, err := a.Cluster(ctx)
	if err != nil {
		return nil, err
	}
	var out []placement.Broker
	racks := 0
	for _, b := range cluster.Brokers {
		if !slices.Contains(listed, b.ID) {
			continue
		}
		pb := placement.Broker{ID: b.ID}
		if rackAware {
			pb.Rack = b.Rack
		}
		if pb.Rack != "" {
			racks++
		}
		out = append(out, pb)
	}
	if racks > 0 && racks < len(out) {
		return nil, errors.New("not all brokers have rack information; add --disable-rack-aware to make a replica assignment without rack information")
	}
	return out, nil
}

// propose places every topic's partitions anew over the brokers with its
// current replication factor, as Kafka's calculateAssignment does.
func propose(current []admin.PartitionReplicas, brokers []placement.Broker, opts *Options) ([]admin.PartitionReplicas, error) {
	byTopic := map[string][]admin.PartitionReplicas{}
	for _, p := range current {
		byTopic[p.Topic] = append(byTopic[p.Topic], p)
	}
	var out []admin.PartitionReplicas
	for topic, parts := range byTopic {
		slices.SortFunc(parts, comparePartitions)
		assigned, err := placement.Assign(placement.Request{
			Brokers: brokers, Partitions: int32(len(parts)), ReplicationFactor: int16(len(parts[0].Replicas)),
			StartIndex: -1, Rand: opts.Rand,
		})
		if err != nil {
			return nil, fmt.Errorf("topic %s: %w", topic, err)
		}
		for p, replicas := range assigned {
			out = append(out, admin.PartitionReplicas{Topic: topic, Partition: p, Replicas: replicas})
		}
	}
	return out, nil
}
