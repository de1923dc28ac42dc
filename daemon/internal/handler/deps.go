package handler

import (
	"context"
	"log/slog"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/txn"
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
	// Txns is the transaction coordinator (FindCoordinator with key type
	// TRANSACTION, InitProducerId with a transactional id,
	// AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, DescribeTransactions,
	// ListTransactions).
	Txns *txn.Coordinator
	// TxnVerifier checks transactional produce against the coordinator
	// (KIP-890 part 1); nil skips the check.
	TxnVerifier TxnVerifier
	// Controller reaches this broker's controller; its operations fail
	// with controller.ErrNotController unless it is the active one.
	Controller Controller
	// LogDirs answers DescribeLogDirs.
	LogDirs LogDirs
	// LegacyOffsets keeps OffsetCommit v0's offsets and answers OffsetFetch
	// v0; nil sends version 0 to the group coordinator like the others.
	LegacyOffsets LegacyOffsets
	// Users reads and writes users' dynamic configs (SCRAM credentials),
	// for DescribeUserScramCredentials and AlterUserScramCredentials.
	Users Users
	// LeaderThrottle is the leader side of the replication throttle
	// (replication_throttle.go); nil throttles nothing.
	LeaderThrottle *quota.Replication
	// Quotas are the client quotas (quota.go); nil enforces none.
	Quotas *quota.Manager
	// QuotaStore serves DescribeClientQuotas and AlterClientQuotas; nil
	// leaves those APIs unregistered.
	QuotaStore QuotaStore
	// Authorizer checks each request against the ACLs (authz.go); nil,
	// without authorizer.class.name, allows everything.
	Authorizer *authz.Authorizer
	// ACLs stores what CreateAcls and DeleteAcls change.
	ACLs   ACLStore
	Logger *slog.Logger
}

// ACLStore keeps ACLs where every broker's authorizer reads them
// (/kafka-acl in ZooKeeper) and announces each change.
type ACLStore interface {
	// UpdateACLs replaces a pattern's ACLs with edit's result, editing
	// again if they changed meanwhile, and returns what is stored.
	UpdateACLs(ctx context.Context, p authz.Pattern, edit func([]authz.Entry) []authz.Entry) ([]authz.Entry, error)
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
	// TransactionStateLogReplicationFactor and
	// TransactionStateLogSegmentBytes shape __transaction_state when
	// FindCoordinator first creates it.
	TransactionStateLogReplicationFactor int16
	TransactionStateLogSegmentBytes      int64
	// TransactionStateLogMinISR is transaction.state.log.min.isr, the
	// topic's min.insync.replicas (capped at its replication factor).
	TransactionStateLogMinISR int32
	// TransactionPartitionVerificationEnable is
	// transaction.partition.verification.enable (KIP-890 part 1).
	TransactionPartitionVerificationEnable bool
	// MaxIncrementalFetchSessionCacheSlots is
	// max.incremental.fetch.session.cache.slots (0 declines every session).
	MaxIncrementalFetchSessionCacheSlots int32
	// OffsetMetadataMaxBytes is offset.metadata.max.bytes, checked here for
	// version-0 commits (the group coordinator checks the others).
	OffsetMetadataMaxBytes int
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

// Users are the /config/users znodes, by user name (sanitized by the
// implementation as Kafka does).
type Users interface {
	Users(ctx context.Context) ([]string, error)
	UserConfig(ctx context.Context, user string) (map[string]string, error)
	// SetUserConfig replaces a user's config and notifies every broker.
	SetUserConfig(ctx context.Context, user string, cfg map[string]string) error
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

// TxnVerifier checks, before a transactional produce is written, that the
// transaction coordinator has added each partition to the producer's
// ongoing transaction (KIP-890 part 1, transaction.partition.verification.enable),
// so a late write can never open a transaction nobody will end.
type TxnVerifier interface {
	// VerifyTxnPartitions answers per partition: nil when the partition is
	// in the producer's ongoing transaction at this producer id and epoch,
	// else the coordinator's error (TRANSACTION_ABORTABLE for a partition
	// not added, PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, NOT_COORDINATOR,
	// COORDINATOR_NOT_AVAILABLE, NETWORK_EXCEPTION when it could not be
	// asked, ...), which the caller maps for its API. A non-nil error
	// fails every partition with COORDINATOR_NOT_AVAILABLE semantics.
	VerifyTxnPartitions(ctx context.Context, transactionalID string, producerID int64, epoch int16, partitions []txn.TopicPartition) (map[txn.TopicPartition]error, error)
}

// QuotaStore reads and writes client quota entities in the metadata store
// (kafkazk's users and clients entity configs).
type QuotaStore interface {
	QuotaEntityConfigs(ctx context.Context) ([]kafkazk.QuotaEntityConfig, error)
	// UpdateEntityConfig changes an entity's config in place, keeping
	// keys the update does not touch, and notifies every broker.
	UpdateEntityConfig(ctx context.Context, entityType, name string, update func(map[string]string) error) error
}
