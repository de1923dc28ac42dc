package admin

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// BrokerDefault asks the broker to choose: num.partitions for a partition
// count, default.replication.factor for a replication factor. Kafka accepts
// it in CreateTopics since 2.4.
const BrokerDefault = -1

// TopicSpec is a topic to create.
type TopicSpec struct {
	Name              string
	Partitions        int32 // BrokerDefault or > 0
	ReplicationFactor int16 // BrokerDefault or > 0
	// Assignment lists the replicas of each partition, partition i at
	// index i. When set, Partitions and ReplicationFactor must be
	// BrokerDefault: the assignment defines both.
	Assignment   [][]int32
	Configs      map[string]string
	ValidateOnly bool
}

// CreatedTopic is what the broker says it created. Partitions and
// ReplicationFactor are BrokerDefault when the broker is older than
// CreateTopics v5 and does not report them.
type CreatedTopic struct {
	Name              string `json:"name"`
	ID                string `json:"topic_id,omitempty"`
	Partitions        int32  `json:"partitions"`
	ReplicationFactor int16  `json:"replication_factor"`
}

// CreateTopic creates one topic.
func (c *Client) CreateTopic(ctx context.Context, spec TopicSpec) (CreatedTopic, error) {
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = c.timeoutMillis()
	req.ValidateOnly = spec.ValidateOnly
	req.Topics = []kmsg.CreateTopicsRequestTopic{createTopicsRequestTopic(spec)}
	resp, err := c.request(ctx, req)
	if err != nil {
		return CreatedTopic{}, fmt.Errorf("create topic %s: %w", spec.Name, err)
	}
	topics := resp.(*kmsg.CreateTopicsResponse).Topics
	if len(topics) != 1 {
		return CreatedTopic{}, fmt.Errorf("create topic %s: broker answered for %d topics", spec.Name, len(topics))
	}
	t := topics[0]
	if err := kafkaError(t.ErrorCode, t.ErrorMessage); err != nil {
		return CreatedTopic{}, fmt.Errorf("create topic %s: %w", spec.Name, err)
	}
	return CreatedTopic{
		Name: t.Topic, ID: topicIDString(t.TopicID),
		Partitions: t.NumPartitions, ReplicationFactor: t.ReplicationFactor,
	}, nil
}

func createTopicsRequestTopic(spec TopicSpec) kmsg.CreateTopicsRequestTopic {
	t := kmsg.NewCreateTopicsRequestTopic()
	t.Topic = spec.Name
	t.NumPartitions = spec.Partitions
	t.ReplicationFactor = spec.ReplicationFactor
	for i, replicas := range spec.Assignment {
		a := kmsg.NewCreateTopicsRequestTopicReplicaAssignment()
		a.Partition = int32(i)
		a.Replicas = replicas
		t.ReplicaAssignment = append(t.ReplicaAssignment, a)
	}
	for _, name := range sortedKeys(spec.Configs) {
		cfg := kmsg.NewCreateTopicsRequestTopicConfig()
		cfg.Name = name
		cfg.Value = kmsg.StringPtr(spec.Configs[name])
		t.Configs = append(t.Configs, cfg)
	}
	return t
}

// DeleteTopics deletes the named topics. Every topic's failure is reported,
// joined into one error.
func (c *Client) DeleteTopics(ctx context.Context, names ...string) error {
	if len(names) == 0 {
		return nil
	}
	req := kmsg.NewPtrDeleteTopicsRequest()
	req.TimeoutMillis = c.timeoutMillis()
	req.TopicNames = names
	for _, name := range names {
		t := kmsg.NewDeleteTopicsRequestTopic()
		t.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, t)
	}
	resp, err := c.request(ctx, req)
	if err != nil {
		return fmt.Errorf("delete topics: %w", err)
	}
	var errs []error
	for _, t := range resp.(*kmsg.DeleteTopicsResponse).Topics {
		if err := kafkaError(t.ErrorCode, t.ErrorMessage); err != nil {
			errs = append(errs, fmt.Errorf("delete topic %s: %w", deref(t.Topic), err))
		}
	}
	return errors.Join(errs...)
}

// AddPartitions grows topic to total partitions. assignment, if not nil,
// lists the replicas of each new partition in order.
func (c *Client) AddPartitions(ctx context.Context, topic string, total int32, assignment [][]int32) error {
	req := kmsg.NewPtrCreatePartitionsRequest()
	req.TimeoutMillis = c.timeoutMillis()
	t := kmsg.NewCreatePartitionsRequestTopic()
	t.Topic = topic
	t.Count = total
	for _, replicas := range assignment {
		a := kmsg.NewCreatePartitionsRequestTopicAssignment()
		a.Replicas = replicas
		t.Assignment = append(t.Assignment, a)
	}
	req.Topics = []kmsg.CreatePartitionsRequestTopic{t}
	resp, err := c.request(ctx, req)
	if err != nil {
		return fmt.Errorf("add partitions to %s: %w", topic, err)
	}
	for _, r := range resp.(*kmsg.CreatePartitionsResponse).Topics {
		if err := kafkaError(r.ErrorCode, r.ErrorMessage); err != nil {
			return fmt.Errorf("add partitions to %s: %w", topic, err)
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
