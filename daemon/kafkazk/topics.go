package kafkazk

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// Topics lists /brokers/topics and watches it.
func (c *Client) Topics(ctx context.Context) ([]string, <-chan struct{}, error) {
	names, _, ch, err := c.store.ChildrenW(ctx, topicsPath)
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", topicsPath, err)
	}
	return names, fired(ch), nil
}

// Assignment reads a topic's replica assignment and watches it.
func (c *Client) Assignment(ctx context.Context, topic string) (controller.Assignment, <-chan struct{}, error) {
	path := topicPath(topic)
	data, _, ch, err := c.store.GetW(ctx, path)
	if err != nil {
		return controller.Assignment{}, nil, fmt.Errorf("read %s: %w", path, err)
	}
	a, err := decodeAssignment(path, data)
	return a, fired(ch), err
}

func decodeAssignment(path string, data []byte) (controller.Assignment, error) {
	v, err := znode.DecodeTopicAssignment(path, data)
	if err != nil {
		return controller.Assignment{}, err
	}
	if v.Partitions == nil {
		v.Partitions = map[int32][]int32{}
	}
	return controller.Assignment{ID: v.TopicID, Replicas: v.Partitions, Adding: v.Adding, Removing: v.Removing}, nil
}

// PartitionStates reads every partition state znode of a topic.
func (c *Client) PartitionStates(ctx context.Context, topic string) (map[int32]controller.PartitionState, error) {
	names, _, err := c.store.Children(ctx, partitionsPath(topic))
	if isNoNode(err) {
		return map[int32]controller.PartitionState{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list partitions of %s: %w", topic, err)
	}
	out := make(map[int32]controller.PartitionState, len(names))
	for _, name := range names {
		p, err := strconv.ParseInt(name, 10, 32)
		if err != nil {
			c.log.Warn("skipping malformed partition znode", "path", partitionsPath(topic)+"/"+name)
			continue
		}
		s, err := c.partitionState(ctx, topic, int32(p))
		if isNoNode(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[int32(p)] = s
	}
	return out, nil
}

func (c *Client) partitionState(ctx context.Context, topic string, p int32) (controller.PartitionState, error) {
	path := statePath(topic, p)
	data, stat, err := c.store.Get(ctx, path)
	if err != nil {
		return controller.PartitionState{}, err
	}
	v, err := znode.DecodePartitionState(path, data)
	if err != nil {
		return controller.PartitionState{}, err
	}
	return controller.PartitionState{Leader: v.Leader, LeaderEpoch: v.LeaderEpoch, ISR: v.ISR, ControllerEpoch: v.ControllerEpoch, Version: stat.Version, Zxid: stat.Mzxid}, nil
}

func stateData(s controller.PartitionState) []byte {
	isr := s.ISR
	if isr == nil {
		isr = []int32{}
	}
	return znode.PartitionState{Leader: s.Leader, LeaderEpoch: s.LeaderEpoch, ISR: isr, ControllerEpoch: s.ControllerEpoch}.Encode()
}

// CreatePartitionState writes a new partition's first state.
func (c *Client) CreatePartitionState(ctx context.Context, topic string, p int32, s controller.PartitionState) (controller.PartitionState, error) {
	if err := meta.EnsurePath(ctx, c.store, partitionPath(topic, p)); err != nil {
		return s, fmt.Errorf("create partition znode of %s-%d: %w", topic, p, err)
	}
	_, err := c.fenced(ctx, meta.CreateOp{Path: statePath(topic, p), Data: stateData(s), Mode: meta.Persistent})
	if isExists(err) {
		return s, controller.ErrStateExists
	}
	if err != nil {
		return s, fmt.Errorf("create state of %s-%d: %w", topic, p, err)
	}
	s.Version, s.Zxid = 0, 0 // the create answers no stat; the next read tells
	return s, nil
}

// UpdatePartitionState replaces a state if its znode version is s.Version.
func (c *Client) UpdatePartitionState(ctx context.Context, topic string, p int32, s controller.PartitionState) (controller.PartitionState, error) {
	res, err := c.fenced(ctx, meta.SetOp{Path: statePath(topic, p), Data: stateData(s), Version: s.Version})
	if err != nil {
		return s, fmt.Errorf("update state of %s-%d at version %d: %w", topic, p, s.Version, err)
	}
	s.Version, s.Zxid = res.Stat.Version, res.Stat.Mzxid
	return s, nil
}

// TopicDeletions lists pending deletion requests and watches them.
func (c *Client) TopicDeletions(ctx context.Context) ([]string, <-chan struct{}, error) {
	names, _, ch, err := c.store.ChildrenW(ctx, deleteTopicsPath)
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", deleteTopicsPath, err)
	}
	return names, fired(ch), nil
}

// RemoveTopic deletes a topic's znodes, its config and its deletion marker.
func (c *Client) RemoveTopic(ctx context.Context, topic string) error {
	for _, p := range []string{topicPath(topic), configPath("topics", topic), deleteTopicPath(topic)} {
		if err := meta.DeleteRecursive(ctx, c.store, p); err != nil && !isNoNode(err) {
			return fmt.Errorf("delete %s: %w", p, err)
		}
	}
	return nil
}

// CancelTopicDeletion removes /admin/delete_topics/<topic> only.
func (c *Client) CancelTopicDeletion(ctx context.Context, topic string) error {
	err := c.store.Delete(ctx, deleteTopicPath(topic), meta.AnyVersion)
	if err != nil && !isNoNode(err) {
		return fmt.Errorf("drop deletion request of %s: %w", topic, err)
	}
	return nil
}

// TopicSpec is a topic to create.
type TopicSpec struct {
	Name       string
	Assignment map[int32][]int32
	Configs    map[string]string
}

// CreateTopic writes the topic's config and then its assignment, as
// Kafka's AdminZkClient does; the controller takes it from there.
func (c *Client) CreateTopic(ctx context.Context, spec TopicSpec) ([16]byte, error) {
	if _, ok, err := c.store.Exists(ctx, deleteTopicPath(spec.Name)); err != nil || ok {
		if err != nil {
			return [16]byte{}, err
		}
		return [16]byte{}, fmt.Errorf("%w: topic %s is marked for deletion", kerr.TopicAlreadyExists, spec.Name)
	}
	if _, ok, err := c.store.Exists(ctx, topicPath(spec.Name)); err != nil || ok {
		if err != nil {
			return [16]byte{}, err
		}
		return [16]byte{}, fmt.Errorf("%w: topic '%s' already exists", kerr.TopicAlreadyExists, spec.Name)
	}
	if err := c.SetEntityConfig(ctx, "topics", spec.Name, spec.Configs); err != nil {
		return [16]byte{}, err
	}
	var id [16]byte
	_, _ = rand.Read(id[:])
	v := znode.TopicAssignment{TopicID: id, Partitions: spec.Assignment}
	_, err := meta.CreateRecursive(ctx, c.store, topicPath(spec.Name), v.Encode(), meta.Persistent)
	if isExists(err) {
		return id, fmt.Errorf("%w: topic '%s' already exists", kerr.TopicAlreadyExists, spec.Name)
	}
	if err != nil {
		return id, fmt.Errorf("create topic %s: %w", spec.Name, err)
	}
	return id, nil
}

// DeleteTopic requests deletion through /admin/delete_topics/<topic>.
func (c *Client) DeleteTopic(ctx context.Context, name string) error {
	_, err := meta.CreateRecursive(ctx, c.store, deleteTopicPath(name), nil, meta.Persistent)
	if err != nil && !isExists(err) {
		return fmt.Errorf("request deletion of %s: %w", name, err)
	}
	return nil
}

// AddPartitions adds partitions to a topic's assignment (compare-and-set
// on the assignment znode).
func (c *Client) AddPartitions(ctx context.Context, topic string, add map[int32][]int32) error {
	path := topicPath(topic)
	data, stat, err := c.store.Get(ctx, path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	v, err := znode.DecodeTopicAssignment(path, data)
	if err != nil {
		return err
	}
	for p, r := range add {
		if _, exists := v.Partitions[p]; exists {
			return fmt.Errorf("%w: partition %d of %s already exists", kerr.InvalidPartitions, p, topic)
		}
		v.Partitions[p] = r
	}
	if _, err := c.store.Set(ctx, path, v.Encode(), stat.Version); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

var _ controller.Store = (*Client)(nil)
