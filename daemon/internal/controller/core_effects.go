package controller

import "github.com/twmb/franz-go/pkg/kmsg"

// Effect is something the core asks the driver to do. The driver carries
// out a Ready's effects in order, and feeds back a Result for every effect
// with an ID before stepping anything else.
type Effect interface{ isEffect() }

// EffectID names an effect whose Result the core waits for.
type EffectID uint64

// CreateState writes a partition's first state znode; it fails with
// OutcomeExists when the znode exists.
type CreateState struct {
	ID        EffectID
	Topic     string
	Partition int32
	State     PartitionState
}

// UpdateState replaces a partition's state znode with compare-and-set:
// only if the znode is still at State.Version, and only while the
// controller epoch is still this controller's.
type UpdateState struct {
	ID        EffectID
	Topic     string
	Partition int32
	State     PartitionState
}

// ReadState re-reads one partition's state znode after a conflict; the
// Result carries it in State (Outcome OutcomeGone when it is missing).
type ReadState struct {
	ID        EffectID
	Topic     string
	Partition int32
}

// DeleteIsrChanges removes processed ISR change notifications.
type DeleteIsrChanges struct {
	ID    EffectID
	Names []string
}

// DeleteLogDirEvents removes processed log dir event notifications.
type DeleteLogDirEvents struct {
	ID    EffectID
	Names []string
}

// RemoveTopic deletes a topic's znodes: assignment, partition states,
// config and deletion marker.
type RemoveTopic struct {
	ID    EffectID
	Topic string
}

// CancelTopicDeletion deletes only a topic's deletion marker.
type CancelTopicDeletion struct {
	ID    EffectID
	Topic string
}

// DeletePreferredElection removes /admin/preferred_replica_election once
// it was acted on.
type DeletePreferredElection struct {
	ID EffectID
}

// WriteAssignment replaces one partition's entry (replicas, adding,
// removing) in its topic's assignment znode.
type WriteAssignment struct {
	ID         EffectID
	Partition  TopicPartition
	Assignment PartitionAssignment
}

// ReadStateWatched reads a partition's state and, unless one is armed
// already, sets a watch that steps ReassignStateChanged at its next change.
// A missing or undecodable state is OutcomeGone.
type ReadStateWatched struct {
	ID        EffectID
	Partition TopicPartition
}

// RemoveReassignRequests drops entries from /admin/reassign_partitions
// (deleting the node when none remain): every entry when All, else those
// of Partitions, and with Replicas set only an entry asking for exactly
// those replicas.
type RemoveReassignRequests struct {
	ID         EffectID
	All        bool
	Partitions []TopicPartition
	Replicas   []int32
}

// Send queues a request to a broker. Requests to one broker are delivered
// in the order they were emitted; a broker that leaves loses its queue.
type Send struct {
	Broker  int32
	Request kmsg.Request
}

// Reply answers the caller waiting on Op: Value is the operation's result
// (nil when Err is set).
type Reply struct {
	Op    OpID
	Value any
	Err   error
}

// Resign ends this controller epoch: another controller was elected.
type Resign struct {
	Reason string
}

// Outcome is how a store effect went, as the driver classifies it.
type Outcome int

const (
	// OutcomeOK: the effect was applied.
	OutcomeOK Outcome = iota
	// OutcomeConflict: a compare-and-set found another version (a leader
	// changed the ISR).
	OutcomeConflict
	// OutcomeExists: CreateState found a state znode.
	OutcomeExists
	// OutcomeGone: the znode is missing (the topic was removed).
	OutcomeGone
	// OutcomeFenced: the controller epoch is no longer this controller's.
	OutcomeFenced
)

// String names the outcome as transcripts print it.
func (o Outcome) String() string {
	return [...]string{"ok", "conflict", "exists", "gone", "fenced"}[o]
}

// Result is the outcome of the effect ID. State is the state written
// (with its new version) or read.
type Result struct {
	ID      EffectID
	Outcome Outcome
	State   PartitionState
}

func (CreateState) isEffect()             {}
func (UpdateState) isEffect()             {}
func (ReadState) isEffect()               {}
func (DeleteIsrChanges) isEffect()        {}
func (DeleteLogDirEvents) isEffect()      {}
func (RemoveTopic) isEffect()             {}
func (CancelTopicDeletion) isEffect()     {}
func (DeletePreferredElection) isEffect() {}
func (WriteAssignment) isEffect()         {}
func (ReadStateWatched) isEffect()        {}
func (RemoveReassignRequests) isEffect()  {}
func (Send) isEffect()                    {}
func (Reply) isEffect()                   {}
func (Resign) isEffect()                  {}
