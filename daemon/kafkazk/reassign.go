package kafkazk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

var reassignPath = znode.ReassignPartitionsPath

// casAttempts bounds read-modify-write retries on a znode that others
// write too (CreatePartitions on a topic's assignment, old tools on
// /admin/reassign_partitions).
const casAttempts = 5

// SetPartitionAssignments replaces some partitions' replicas and their
// adding/removing lists in the topic's assignment znode, keeping every
// other partition as it is.
func (c *Client) SetPartitionAssignments(ctx context.Context, topic string, parts map[int32]controller.PartitionAssignment) error {
	path := topicPath(topic)
	var err error
	for range casAttempts {
		var data []byte
		var stat meta.Stat
		data, stat, err = c.store.Get(ctx, path)
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		var v znode.TopicAssignment
		if v, err = znode.DecodeTopicAssignment(path, data); err != nil {
			return err
		}
		applyPartitionAssignments(&v, parts)
		_, err = c.fenced(ctx, meta.SetOp{Path: path, Data: v.Encode(), Version: stat.Version})
		if !isBadVersion(err) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func applyPartitionAssignments(v *znode.TopicAssignment, parts map[int32]controller.PartitionAssignment) {
	if v.Adding == nil {
		v.Adding = map[int32][]int32{}
	}
	if v.Removing == nil {
		v.Removing = map[int32][]int32{}
	}
	for p, pa := range parts {
		v.Partitions[p] = slices.Clone(pa.Replicas)
		setOrDelete(v.Adding, p, pa.Adding)
		setOrDelete(v.Removing, p, pa.Removing)
	}
}

// setOrDelete keeps Kafka's shape: a partition appears under
// adding_replicas / removing_replicas only while it has some.
func setOrDelete(m map[int32][]int32, p int32, ids []int32) {
	if len(ids) == 0 {
		delete(m, p)
		return
	}
	m[p] = slices.Clone(ids)
}

// PartitionStateW reads a partition state znode and watches it; a missing
// one is watched for creation.
func (c *Client) PartitionStateW(ctx context.Context, topic string, p int32) (controller.PartitionState, bool, <-chan struct{}, error) {
	path := statePath(topic, p)
	for {
		data, stat, ch, err := c.store.GetW(ctx, path)
		if isNoNode(err) {
			_, exists, ech, eerr := c.store.ExistsW(ctx, path)
			if eerr != nil {
				return controller.PartitionState{}, false, nil, fmt.Errorf("watch %s: %w", path, eerr)
			}
			if exists { // created between the two reads: read it
				continue
			}
			return controller.PartitionState{}, false, fired(ech), nil
		}
		if err != nil {
			return controller.PartitionState{}, false, nil, fmt.Errorf("read %s: %w", path, err)
		}
		v, err := znode.DecodePartitionState(path, data)
		if err != nil {
			return controller.PartitionState{}, false, fired(ch), err
		}
		s := controller.PartitionState{Leader: v.Leader, LeaderEpoch: v.LeaderEpoch, ISR: v.ISR, ControllerEpoch: v.ControllerEpoch, Version: stat.Version, Zxid: stat.Mzxid}
		return s, true, fired(ch), nil
	}
}

// ReassignRequests reads /admin/reassign_partitions, the request
// kafka-reassign-partitions.sh --zookeeper used to write, and watches it.
func (c *Client) ReassignRequests(ctx context.Context) (map[controller.TopicPartition][]int32, <-chan struct{}, error) {
	for {
		data, _, ch, err := c.store.GetW(ctx, reassignPath)
		if isNoNode(err) {
			_, exists, ech, eerr := c.store.ExistsW(ctx, reassignPath)
			if eerr != nil {
				return nil, nil, fmt.Errorf("watch %s: %w", reassignPath, eerr)
			}
			if exists {
				continue
			}
			return nil, fired(ech), nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", reassignPath, err)
		}
		parts, err := znode.DecodeReassignPartitions(reassignPath, data)
		if err != nil {
			return nil, fired(ch), err
		}
		return reassignMap(parts), fired(ch), nil
	}
}

func reassignMap(parts []znode.PartitionReplicas) map[controller.TopicPartition][]int32 {
	out := make(map[controller.TopicPartition][]int32, len(parts))
	for _, p := range parts {
		out[controller.TopicPartition{Topic: p.Topic, Partition: p.Partition}] = p.Replicas
	}
	return out
}

// RemoveReassignRequests drops entries from /admin/reassign_partitions,
// deleting the node once it names nothing (or names nothing decodable).
func (c *Client) RemoveReassignRequests(ctx context.Context, drop func(controller.TopicPartition, []int32) bool) error {
	var err error
	for range casAttempts {
		if err = c.removeReassignRequestsOnce(ctx, drop); !isBadVersion(err) {
			break
		}
	}
	if err != nil && !isNoNode(err) {
		return fmt.Errorf("update %s: %w", reassignPath, err)
	}
	return nil
}

func (c *Client) removeReassignRequestsOnce(ctx context.Context, drop func(controller.TopicPartition, []int32) bool) error {
	data, stat, err := c.store.Get(ctx, reassignPath)
	if err != nil {
		return err
	}
	parts, err := znode.DecodeReassignPartitions(reassignPath, data)
	if err != nil && !errors.Is(err, znode.ErrMalformed) {
		return err
	}
	keep := slices.DeleteFunc(parts, func(p znode.PartitionReplicas) bool {
		return drop(controller.TopicPartition{Topic: p.Topic, Partition: p.Partition}, p.Replicas)
	})
	if len(keep) == len(parts) && err == nil {
		return nil
	}
	if len(keep) == 0 {
		_, err = c.fenced(ctx, meta.DeleteOp{Path: reassignPath, Version: stat.Version})
		return err
	}
	_, err = c.fenced(ctx, meta.SetOp{Path: reassignPath, Data: znode.EncodeReassignPartitions(keep), Version: stat.Version})
	return err
}

// RequestReassignment writes /admin/reassign_partitions as the
// pre-KIP-455 tools did; it fails with meta.ErrNodeExists while an earlier
// request is pending.
func (c *Client) RequestReassignment(ctx context.Context, targets map[controller.TopicPartition][]int32) error {
	parts := make([]znode.PartitionReplicas, 0, len(targets))
	for tp, replicas := range targets {
		parts = append(parts, znode.PartitionReplicas{Topic: tp.Topic, Partition: tp.Partition, Replicas: replicas})
	}
	slices.SortFunc(parts, func(a, b znode.PartitionReplicas) int {
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	if _, err := meta.CreateRecursive(ctx, c.store, reassignPath, znode.EncodeReassignPartitions(parts), meta.Persistent); err != nil {
		return fmt.Errorf("create %s: %w", reassignPath, err)
	}
	return nil
}

// DeletionRequested reports whether the topic has a pending deletion
// marker.
func (c *Client) DeletionRequested(ctx context.Context, topic string) (bool, error) {
	_, ok, err := c.store.Exists(ctx, deleteTopicPath(topic))
	if err != nil {
		return false, fmt.Errorf("read %s: %w", deleteTopicPath(topic), err)
	}
	return ok, nil
}
