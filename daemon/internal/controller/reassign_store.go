package controller

import "context"

// PartitionAssignment is one partition's entry in its topic's assignment
// znode: the full replica set and, during a reassignment, which of those
// are being added and removed (Kafka's ReplicaAssignment).
type PartitionAssignment struct {
	Replicas []int32
	Adding   []int32
	Removing []int32
}

// ReassignmentStore is what partition reassignment reads and writes in the
// metadata store. Every write is fenced by the controller epoch.
type ReassignmentStore interface {
	// SetPartitionAssignments replaces the entries of some partitions in a
	// topic's assignment znode, leaving the others as they are (read,
	// modify, compare-and-set).
	SetPartitionAssignments(ctx context.Context, topic string, parts map[int32]PartitionAssignment) error
	// PartitionStateW reads one partition state and watches it. When the
	// state does not exist, found is false and the channel fires at its
	// creation.
	PartitionStateW(ctx context.Context, topic string, partition int32) (s PartitionState, found bool, change <-chan struct{}, err error)
	// ReassignRequests reads /admin/reassign_partitions (nil when absent)
	// and watches it: the channel fires when the node is created, changed
	// or deleted. Undecodable content is returned as an error wrapping
	// ErrMalformed, with the channel set.
	ReassignRequests(ctx context.Context) (map[TopicPartition][]int32, <-chan struct{}, error)
	// RemoveReassignRequests drops the entries for which drop returns true
	// from /admin/reassign_partitions, deleting the node when none remain
	// (or when it cannot be decoded).
	RemoveReassignRequests(ctx context.Context, drop func(TopicPartition, []int32) bool) error
	// DeletionRequested reports whether /admin/delete_topics/<topic> exists.
	DeletionRequested(ctx context.Context, topic string) (bool, error)
}
