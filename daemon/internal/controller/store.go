package controller

import (
	"context"
	"errors"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/store/meta/znode"
)

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// PartitionState is the content of a partition's state znode.
type PartitionState struct {
	Leader          int32
	LeaderEpoch     int32
	ISR             []int32
	ControllerEpoch int32
	// Version is the znode version, the zkVersion Kafka compares and sets.
	Version int32
	// Zxid is the znode's mzxid, the transaction of its last write, when it
	// was read from the store (0 when unknown): a broker whose registration
	// is newer (a larger czxid) restarted since, unseen if it is still the
	// leader or in the ISR.
	Zxid int64
}

// Assignment is a topic's replica assignment znode.
type Assignment struct {
	ID       [16]byte
	Replicas map[int32][]int32
	// Adding and Removing list, per partition under reassignment, the
	// replicas being added and removed (both also in Replicas).
	Adding, Removing map[int32][]int32
}

// Store is the controller's typed view of the metadata store. Watch
// channels fire once, at the next change of what was read.
type Store interface {
	// Elect tries to become controller. On success it returns the new
	// controller epoch and a channel closed when controllership is lost
	// (the session ended). When another broker is controller it returns
	// won=false and a channel closed when /controller changes.
	Elect(ctx context.Context, brokerID int32) (won bool, epoch int32, change <-chan struct{}, err error)
	// Resign deletes /controller if this broker holds it.
	Resign(ctx context.Context, brokerID int32) error

	LiveBrokers(ctx context.Context) (map[int32]metadatacache.Broker, <-chan struct{}, error)
	Topics(ctx context.Context) ([]string, <-chan struct{}, error)
	Assignment(ctx context.Context, topic string) (Assignment, <-chan struct{}, error)
	PartitionStates(ctx context.Context, topic string) (map[int32]PartitionState, error)
	// CreatePartitionState writes a new state znode; it fails if one exists.
	CreatePartitionState(ctx context.Context, topic string, partition int32, s PartitionState) (PartitionState, error)
	// UpdatePartitionState replaces a state znode if its version is still
	// s.Version; it returns the state with its new version.
	UpdatePartitionState(ctx context.Context, topic string, partition int32, s PartitionState) (PartitionState, error)

	// IsrChanges lists the pending /isr_change_notification nodes, the
	// partitions they name by topic, and watches for new ones.
	IsrChanges(ctx context.Context) (names []string, parts map[string][]int32, change <-chan struct{}, err error)
	// DeleteIsrChanges removes processed notifications.
	DeleteIsrChanges(ctx context.Context, names []string) error

	// LogDirEvents lists the pending /log_dir_event_notification nodes,
	// the brokers they name, and watches for new ones.
	LogDirEvents(ctx context.Context) (names []string, brokers []int32, change <-chan struct{}, err error)
	// DeleteLogDirEvents removes processed notifications.
	DeleteLogDirEvents(ctx context.Context, names []string) error

	TopicDeletions(ctx context.Context) ([]string, <-chan struct{}, error)
	// RemoveTopic deletes the topic's assignment, partition states, config
	// and deletion marker.
	RemoveTopic(ctx context.Context, topic string) error
	// CancelTopicDeletion deletes only the topic's deletion marker.
	CancelTopicDeletion(ctx context.Context, topic string) error

	ReassignmentStore
	ElectionStore
}

// ErrStateExists is returned by CreatePartitionState when the znode exists.
var ErrStateExists = errors.New("partition state already exists")

// ErrMalformed wraps errors for znodes whose content cannot be decoded (a
// hand edit gone wrong): the controller logs and skips such a topic rather
// than stopping.
var ErrMalformed = znode.ErrMalformed
