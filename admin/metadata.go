package admin

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Topic is a topic as metadata describes it.
type Topic struct {
	Name string `json:"name"`
	// ID is Kafka's text form of the topic id (URL-safe base64, no
	// padding), or "" when the broker reports none.
	ID         string      `json:"topic_id,omitempty"`
	Internal   bool        `json:"internal"`
	Partitions []Partition `json:"partitions"` // sorted by ID
	// Err is set when the topic could not be described, for instance
	// UNKNOWN_TOPIC_OR_PARTITION for a name that does not exist.
	Err error `json:"-"`
}

// ReplicationFactor is the replica count of the topic's first partition, as
// Kafka's tools report it.
func (t Topic) ReplicationFactor() int {
	if len(t.Partitions) == 0 {
		return 0
	}
	return len(t.Partitions[0].Replicas)
}

// Partition is one partition of a topic. Leader is -1 when there is none.
type Partition struct {
	ID              int32   `json:"partition"`
	Leader          int32   `json:"leader"`
	LeaderEpoch     int32   `json:"leader_epoch"`
	Replicas        []int32 `json:"replicas"`
	ISR             []int32 `json:"isr"`
	OfflineReplicas []int32 `json:"offline_replicas,omitempty"`
	Err             error   `json:"-"`
}

// Broker is a live broker as metadata reports it.
type Broker struct {
	ID   int32  `json:"id"`
	Host string `json:"host"`
	Port int32  `json:"port"`
	Rack string `json:"rack,omitempty"`
}

// Cluster is the cluster id, the controller and the live brokers.
type Cluster struct {
	ID         string   `json:"cluster_id"`
	Controller int32    `json:"controller"` // -1 if unknown
	Brokers    []Broker `json:"brokers"`    // sorted by ID
}

// Topics describes the named topics, or every topic when names is empty.
// The result is sorted by name; a requested topic that does not exist comes
// back with Err set rather than as an error of the call. It never asks the
// broker to auto-create a topic.
func (c *Client) Topics(ctx context.Context, names ...string) ([]Topic, error) {
	resp, err := c.metadata(ctx, names, false)
	if err != nil {
		return nil, err
	}
	topics := make([]Topic, 0, len(resp.Topics))
	for _, t := range resp.Topics {
		topics = append(topics, topicFromMetadata(t))
	}
	sort.Slice(topics, func(i, j int) bool { return topics[i].Name < topics[j].Name })
	return topics, nil
}

// Cluster describes the cluster: id, controller and live brokers.
func (c *Client) Cluster(ctx context.Context) (Cluster, error) {
	resp, err := c.metadata(ctx, nil, true)
	if err != nil {
		return Cluster{}, err
	}
	cl := Cluster{Controller: resp.ControllerID}
	if resp.ClusterID != nil {
		cl.ID = *resp.ClusterID
	}
	for _, b := range resp.Brokers {
		br := Broker{ID: b.NodeID, Host: b.Host, Port: b.Port}
		if b.Rack != nil {
			br.Rack = *b.Rack
		}
		cl.Brokers = append(cl.Brokers, br)
	}
	sort.Slice(cl.Brokers, func(i, j int) bool { return cl.Brokers[i].ID < cl.Brokers[j].ID })
	return cl, nil
}

// metadata sends a Metadata request for names (all topics when empty, none
// when noTopics).
func (c *Client) metadata(ctx context.Context, names []string, noTopics bool) (*kmsg.MetadataResponse, error) {
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = false
	switch {
	case noTopics:
		req.Topics = []kmsg.MetadataRequestTopic{}
	case len(names) > 0:
		for _, name := range names {
			t := kmsg.NewMetadataRequestTopic()
			t.Topic = kmsg.StringPtr(name)
			req.Topics = append(req.Topics, t)
		}
	default:
		req.Topics = nil // all topics
	}
	resp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return resp.(*kmsg.MetadataResponse), nil
}

func topicFromMetadata(t kmsg.MetadataResponseTopic) Topic {
	topic := Topic{
		ID:       topicIDString(t.TopicID),
		Internal: t.IsInternal,
		Err:      kafkaError(t.ErrorCode, nil),
	}
	if t.Topic != nil {
		topic.Name = *t.Topic
	}
	for _, p := range t.Partitions {
		topic.Partitions = append(topic.Partitions, Partition{
			ID: p.Partition, Leader: p.Leader, LeaderEpoch: p.LeaderEpoch,
			Replicas: p.Replicas, ISR: p.ISR, OfflineReplicas: p.OfflineReplicas,
			Err: kafkaError(p.ErrorCode, nil),
		})
	}
	sort.Slice(topic.Partitions, func(i, j int) bool { return topic.Partitions[i].ID < topic.Partitions[j].ID })
	return topic
}

// topicIDString renders a topic id as Kafka's Uuid.toString does; the zero
// id means "none" and renders as "".
func topicIDString(id [16]byte) string {
	if id == [16]byte{} {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(id[:])
}
