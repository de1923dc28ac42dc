package admintest

import (
	"context"
	"fmt"
	"maps"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// CreateTopic creates a topic like a broker: name checks, existing topics,
// partition and replication checks, explicit assignments.
func (c *Cluster) CreateTopic(ctx context.Context, spec admin.TopicSpec) (admin.CreatedTopic, error) {
	if err := c.failure("CreateTopic"); err != nil {
		return admin.CreatedTopic{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := admin.ValidateTopicName(spec.Name); err != nil {
		return admin.CreatedTopic{}, fmt.Errorf("create topic %s: %w: %v", spec.Name, kerr.InvalidTopicException, err)
	}
	if _, ok := c.topics[spec.Name]; ok {
		return admin.CreatedTopic{}, fmt.Errorf("create topic %s: %w", spec.Name, kerr.TopicAlreadyExists)
	}
	assignment, err := c.assignment(spec)
	if err != nil {
		return admin.CreatedTopic{}, fmt.Errorf("create topic %s: %w", spec.Name, err)
	}
	if !spec.ValidateOnly {
		c.addTopic(spec.Name, assignment, spec.Configs)
	}
	return admin.CreatedTopic{
		Name: spec.Name, ID: TopicID(spec.Name),
		Partitions: int32(len(assignment)), ReplicationFactor: int16(len(assignment[0])),
	}, nil
}

func (c *Cluster) assignment(spec admin.TopicSpec) ([][]int32, error) {
	if len(spec.Assignment) > 0 {
		if spec.Partitions != admin.BrokerDefault || spec.ReplicationFactor != admin.BrokerDefault {
			return nil, kerr.InvalidRequest
		}
		return spec.Assignment, nil
	}
	parts, rf := spec.Partitions, spec.ReplicationFactor
	if parts == admin.BrokerDefault {
		parts = c.NumPartitions
	}
	if rf == admin.BrokerDefault {
		rf = c.ReplicationFactor
	}
	if parts <= 0 {
		return nil, kerr.InvalidPartitions
	}
	if rf <= 0 || int(rf) > len(c.brokers) {
		return nil, kerr.InvalidReplicationFactor
	}
	return roundRobin(c.brokerIDs(), int(parts), 0, int(rf)), nil
}

// roundRobin places n partitions, starting at partition number first, over
// brokers with rf replicas each.
func roundRobin(brokers []int32, n, first, rf int) [][]int32 {
	out := make([][]int32, n)
	for p := range n {
		for r := range rf {
			out[p] = append(out[p], brokers[(first+p+r)%len(brokers)])
		}
	}
	return out
}

func (c *Cluster) addTopic(name string, assignment [][]int32, configs map[string]string) {
	t := &topic{name: name, id: TopicID(name), configs: maps.Clone(configs)}
	if t.configs == nil {
		t.configs = map[string]string{}
	}
	for _, replicas := range assignment {
		t.partitions = append(t.partitions, newPartition(replicas))
	}
	c.topics[name] = t
}

func newPartition(replicas []int32) *partition {
	return &partition{replicas: replicas, isr: append([]int32(nil), replicas...), leader: replicas[0]}
}

// DeleteTopics deletes topics; a missing one is UNKNOWN_TOPIC_OR_PARTITION.
func (c *Cluster) DeleteTopics(ctx context.Context, names ...string) error {
	if err := c.failure("DeleteTopics"); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, name := range names {
		if _, ok := c.topics[name]; !ok {
			return notFound("delete topic %s", name)
		}
		delete(c.topics, name)
	}
	return nil
}

// AddPartitions grows a topic like CreatePartitions.
func (c *Cluster) AddPartitions(ctx context.Context, topicName string, total int32, assignment [][]int32) error {
	if err := c.failure("AddPartitions"); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.topics[topicName]
	if !ok {
		return notFound("add partitions to %s", topicName)
	}
	have := len(t.partitions)
	if int(total) <= have {
		return fmt.Errorf("add partitions to %s: %w", topicName, kerr.InvalidPartitions)
	}
	if assignment == nil {
		assignment = roundRobin(c.brokerIDs(), int(total)-have, have, len(t.partitions[0].replicas))
	}
	if len(assignment) != int(total)-have {
		return fmt.Errorf("add partitions to %s: %w", topicName, kerr.InvalidReplicaAssignment)
	}
	for _, replicas := range assignment {
		t.partitions = append(t.partitions, newPartition(replicas))
	}
	return nil
}

// ListOffsets answers like admin.Client.ListOffsets.
func (c *Cluster) ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error) {
	if err := c.failure("ListOffsets"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []admin.PartitionOffset
	for _, name := range topics {
		t, ok := c.topics[name]
		if !ok {
			return nil, notFound("list offsets of %s", name)
		}
		for i, p := range t.partitions {
			off, ts := p.lookup(timestamp)
			out = append(out, admin.PartitionOffset{Topic: name, Partition: int32(i), Offset: off, Timestamp: ts})
		}
	}
	return out, nil
}

func (p *partition) end() int64 { return p.logStart + int64(len(p.records)) }

func (p *partition) lookup(timestamp int64) (int64, int64) {
	switch timestamp {
	case admin.EarliestOffset:
		return p.logStart, -1
	case admin.LatestOffset:
		return p.end(), -1
	}
	for _, r := range p.records {
		if r.Timestamp.UnixMilli() >= timestamp {
			return r.Offset, r.Timestamp.UnixMilli()
		}
	}
	return p.end(), -1
}

// LogEndOffsets implements the TUI's log end source: in this fake every
// record is replicated at once, so the log end is the high watermark.
func (c *Cluster) LogEndOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error) {
	if err := c.failure("LogEndOffsets"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]map[int32]int64{}
	for _, name := range topics {
		t, ok := c.topics[name]
		if !ok {
			continue
		}
		out[name] = map[int32]int64{}
		for i, p := range t.partitions {
			out[name][int32(i)] = p.end()
		}
	}
	return out, nil
}
