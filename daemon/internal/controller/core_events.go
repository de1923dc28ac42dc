package controller

import "github.com/kqhq/kq/daemon/internal/metadatacache"

// Event is an input to the core: something the driver read from the
// metadata store, a request from a caller, a timer, or the result of an
// effect.
type Event interface{ isEvent() }

// Snapshot is the cluster as the driver read it.
type Snapshot struct {
	Live map[int32]metadatacache.Broker
	// Epochs are the live brokers' registration epochs (czxid) the driver
	// could read, to tell a later restart from no change.
	Epochs map[int32]int64
	Topics map[string]TopicSnapshot
}

// TopicSnapshot is one topic's assignment and partition states.
type TopicSnapshot struct {
	Assignment Assignment
	States     map[int32]PartitionState
}

// Elected: this broker became controller with Epoch; Snapshot is the
// cluster read after the election (Kafka's onControllerFailover).
type Elected struct {
	Epoch    int32
	Snapshot Snapshot
}

// BrokersChanged is the new set of registered brokers, with the broker
// epoch (registration czxid) of each the driver could read.
type BrokersChanged struct {
	Live   map[int32]metadatacache.Broker
	Epochs map[int32]int64
}

// TopicsChanged lists every topic in the store; Loaded holds those the
// core did not know, read in full.
type TopicsChanged struct {
	Names  []string
	Loaded map[string]TopicSnapshot
}

// AssignmentChanged is a known topic's assignment as it is now.
type AssignmentChanged struct {
	Topic      string
	Assignment Assignment
}

// IsrChanged carries pending ISR change notifications: their node names
// and, per topic, the states of the partitions they name as read after
// the notification.
type IsrChanged struct {
	Names  []string
	States map[string]map[int32]PartitionState
}

// LogDirEventsRead carries pending /log_dir_event_notification nodes:
// their names and the brokers they name, each of which took a log dir
// offline after an I/O error.
type LogDirEventsRead struct {
	Names   []string
	Brokers []int32
}

// ReplicasOffline: a broker answered LeaderAndIsr with
// KAFKA_STORAGE_ERROR for these partitions, their logs being in a log dir
// it took offline.
type ReplicasOffline struct {
	Broker     int32
	Partitions []TopicPartition
}

// DeletionsRequested lists the topics under /admin/delete_topics.
type DeletionsRequested struct {
	Topics []string
}

// OpID names a caller waiting for a Reply.
type OpID uint64

// ControlledShutdownRequested is a broker's ControlledShutdown request:
// the broker epoch it sent, and what the driver read of its registration.
type ControlledShutdownRequested struct {
	Op          OpID
	Broker      int32
	BrokerEpoch int64 // as sent; unknownBrokerEpoch for v0-1
	Registered  bool  // the broker's registration znode exists
	Current     int64 // its registration's epoch, when Registered
}

// ElectLeadersRequested is an ElectLeaders request; nil Partitions means
// every partition.
type ElectLeadersRequested struct {
	Op         OpID
	Type       ElectionType
	Partitions []TopicPartition
}

// PreferredElectionRequested is /admin/preferred_replica_election, written
// by kafka-preferred-replica-election.sh.
type PreferredElectionRequested struct {
	Partitions []TopicPartition
}

// RebalanceTick is leader.imbalance.check.interval.seconds elapsing.
type RebalanceTick struct{}

// ReassignmentsRequested is AlterPartitionReassignments: per partition the
// target replicas, or nil to cancel. Deleting holds the topics with a
// deletion request, among those named.
type ReassignmentsRequested struct {
	Op       OpID
	Targets  map[TopicPartition][]int32
	Deleting map[string]bool
}

// ReassignmentsListRequested is ListPartitionReassignments; nil Only
// means every partition.
type ReassignmentsListRequested struct {
	Op   OpID
	Only []TopicPartition
}

// ReassignRequestsRead is /admin/reassign_partitions as read (nil
// Requests when absent), written by the pre-KIP-455 tools; Malformed when
// it cannot be decoded. Deleting holds the topics with a deletion request,
// among those named. Resume is set once, right after Elected: the
// reassignments the assignments record as under way start again too.
type ReassignRequestsRead struct {
	Requests  map[TopicPartition][]int32
	Malformed bool
	Deleting  map[string]bool
	Resume    bool
}

// ReassignStateChanged: the state znode of a partition under reassignment
// changed (the watch a ReadStateWatched armed fired).
type ReassignStateChanged struct {
	Partition TopicPartition
}

func (Elected) isEvent()                     {}
func (BrokersChanged) isEvent()              {}
func (TopicsChanged) isEvent()               {}
func (AssignmentChanged) isEvent()           {}
func (IsrChanged) isEvent()                  {}
func (DeletionsRequested) isEvent()          {}
func (LogDirEventsRead) isEvent()            {}
func (ReplicasOffline) isEvent()             {}
func (ControlledShutdownRequested) isEvent() {}
func (ElectLeadersRequested) isEvent()       {}
func (PreferredElectionRequested) isEvent()  {}
func (RebalanceTick) isEvent()               {}
func (ReassignmentsRequested) isEvent()      {}
func (ReassignmentsListRequested) isEvent()  {}
func (ReassignRequestsRead) isEvent()        {}
func (ReassignStateChanged) isEvent()        {}
func (Result) isEvent()                      {}
