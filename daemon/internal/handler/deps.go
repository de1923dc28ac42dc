package handler

import (
	"context"
	"log/slog"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// Deps are what the handlers need from the rest of the broker.
type Deps struct {
	BrokerID    int32
	Settings    func() Settings
	Cache       *metadatacache.Cache
	Replicas    *replica.Manager
	Admin       Admin
	Configs     Configs
	ProducerIDs ProducerIDs
	// Groups is the group coordinator (FindCoordinator, JoinGroup, ...,
	// OffsetCommit, OffsetFetch).
	Groups *group.Coordinator
	// Controller reaches this broker's controller; its operations fail
	// with controller.ErrNotController unless it is the active one.
	Controller Controller
	// LogDirs answers DescribeLogDirs.
	LogDirs LogDirs
	Logger  *slog.Logger
}

// Controller is the active controller's operations (ControlledShutdown,
// ElectLeaders, partition reassignments).
type Controller interface {
	ControlledShutdown(ctx context.Context, brokerID int32, brokerEpoch int64) ([]controller.TopicPartition, error)
	ElectLeaders(ctx context.Context, typ controller.ElectionType, partitions []controller.TopicPartition) (map[controller.TopicPartition]controller.ElectionResult, error)
	AlterPartitionReassignments(ctx context.Context, targets map[controller.TopicPartition][]int32) (map[controller.TopicPartition]error, error)
	ListPartitionReassignments(ctx context.Context, only []controller.TopicPartition) (map[controller.TopicPartition]controller.Reassignment, error)
}

// Settings are the broker configs the handlers read, resolved (static and
// dynamic layers merged).
type Settings struct {
	AutoCreateTopics         bool
	NumPartitions            int32
	DefaultReplicationFactor int16
	DeleteTopicEnable        bool
	// OffsetsTopicReplicationFactor and OffsetsTopicSegmentBytes shape
	// __consumer_offsets when FindCoordinator first creates it.
	OffsetsTopicReplicationFactor int16
	OffsetsTopicSegmentBytes      int64
}

// TopicSpec is a topic to create.
type TopicSpec = kafkazk.TopicSpec

// Admin writes cluster metadata, as Kafka's AdminZkClient does: the
// controller then acts on what was written.
type Admin interface {
	CreateTopic(ctx context.Context, spec TopicSpec) ([16]byte, error)
	DeleteTopic(ctx context.Context, name string) error
	AddPartitions(ctx context.Context, topic string, add map[int32][]int32) error
	EntityConfig(ctx context.Context, entityType, name string) (map[string]string, error)
	SetEntityConfig(ctx context.Context, entityType, name string, cfg map[string]string) error
}

// Configs validates and describes topic and broker configs.
type Configs interface {
	ValidateTopic(cfg map[string]string) error
	ValidateBroker(cfg map[string]string) error
	DescribeTopic(overrides map[string]string, keys []string, synonyms, docs bool) []ConfigEntry
	DescribeBroker(brokerID int32, perBroker, clusterDefault map[string]string, keys []string, synonyms, docs bool) []ConfigEntry
	MinInsyncReplicas(topic string) int
}

// ConfigEntry is one row of a DescribeConfigs answer.
type ConfigEntry struct {
	Name      string
	Value     *string
	Source    int8
	ReadOnly  bool
	Sensitive bool
	Type      int8
	Doc       *string
	Synonyms  []ConfigSynonym
}

// ConfigSynonym is where a config value could come from, strongest first.
type ConfigSynonym struct {
	Name   string
	Value  *string
	Source int8
}

// ProducerIDs hands out producer ids, from blocks claimed in the metadata
// store (/latest_producer_id_block) so ids are unique across brokers.
type ProducerIDs interface {
	NextProducerID(ctx context.Context) (int64, error)
}
