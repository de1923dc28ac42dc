package replica

import "errors"

// Errors returned by partition operations; package kafkaerr maps them to
// Kafka error codes.
var (
	// ErrUnknownTopicOrPartition: this broker hosts no such partition.
	ErrUnknownTopicOrPartition = errors.New("unknown topic or partition")
	// ErrNotLeaderOrFollower: the partition is hosted here but led elsewhere.
	ErrNotLeaderOrFollower = errors.New("not leader or follower")
	// ErrNotEnoughReplicas: the ISR is smaller than min.insync.replicas, so an
	// acks=all append is refused before it is written.
	ErrNotEnoughReplicas = errors.New("not enough in-sync replicas")
	// ErrNotEnoughReplicasAfterAppend: the records were written but the ISR
	// shrank below min.insync.replicas before they were replicated.
	ErrNotEnoughReplicasAfterAppend = errors.New("not enough in-sync replicas after append")
	// ErrFencedLeaderEpoch: the request carries an older leader epoch.
	ErrFencedLeaderEpoch = errors.New("fenced leader epoch")
	// ErrUnknownLeaderEpoch: the request carries a newer leader epoch than
	// this broker knows.
	ErrUnknownLeaderEpoch = errors.New("unknown leader epoch")
	// ErrStaleLeaderEpoch: a LeaderAndIsr partition state older than the one
	// applied; Kafka answers it with STALE_CONTROLLER_EPOCH.
	ErrStaleLeaderEpoch = errors.New("stale leader epoch")
	// ErrStaleControllerEpoch: a controller request from a deposed controller.
	ErrStaleControllerEpoch = errors.New("stale controller epoch")
	// ErrDeleteRecordsRefused: DeleteRecords on a topic whose
	// cleanup.policy lacks "delete"; Kafka answers POLICY_VIOLATION.
	ErrDeleteRecordsRefused = errors.New("records cannot be deleted under the topic's cleanup.policy")
)
