// Package kafkaerr turns the errors of the partition log
// (store/partitionlog) and of the replica manager (daemon/internal/replica)
// into the Kafka error codes a response carries. It is the one table the
// request handlers and both coordinators share, so an error means the same
// code whichever path meets it.
//
// The rules follow Apache Kafka's Errors.forException as ReplicaManager
// applies it to what Partition and UnifiedLog throw:
//
//   - a sentinel of the table maps to its code, however deeply it is
//     wrapped (errors.Is);
//   - an error already carrying a Kafka code (a *kerr.Error, possibly
//     wrapped) keeps it;
//   - anything else is UNKNOWN_SERVER_ERROR, as Kafka answers any
//     exception it has no code for. An I/O failure of the log is not
//     "anything else": the log wraps it in partitionlog.ErrLogDirOffline,
//     as UnifiedLog turns an IOException into a KafkaStorageException,
//     so it answers KAFKA_STORAGE_ERROR.
//
// A caller that must answer differently from a client-facing API (a
// coordinator turning NOT_LEADER_OR_FOLLOWER into NOT_COORDINATOR, as
// Kafka's GroupMetadataManager does) translates the code this package
// gives, at its call site.
package kafkaerr

import (
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

// Of returns the Kafka error for err: nil for nil, the code of the first
// sentinel of the table err wraps, the *kerr.Error err wraps, or
// UNKNOWN_SERVER_ERROR.
func Of(err error) *kerr.Error {
	if err == nil {
		return nil
	}
	for _, r := range table {
		if errors.Is(err, r.err) {
			return r.code
		}
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke
	}
	return kerr.UnknownServerError
}

// Code is Of(err).Code, and 0 (no error) for nil.
func Code(err error) int16 {
	if ke := Of(err); ke != nil {
		return ke.Code
	}
	return 0
}

// ServerFault reports whether err is the broker's failure rather than a
// refusal of what the client asked: an error without a code of its own,
// a storage failure, or stored data found corrupt (whose CORRUPT_MESSAGE
// alone would look like a client's bad batch). Callers log these, as Kafka
// logs the exceptions it has no expected case for.
func ServerFault(err error) bool {
	if errors.Is(err, partitionlog.ErrCorruptLog) {
		return true
	}
	switch Of(err) {
	case kerr.UnknownServerError, kerr.KafkaStorageError:
		return true
	}
	return false
}

// table lists every sentinel with a Kafka code. The sentinels not listed
// never reach a client (the follower's ErrUnexpectedAppendOffset,
// start-up's ErrInconsistentMeta, the ISR writer's ErrIsrConflict) and
// answer UNKNOWN_SERVER_ERROR should one ever escape.
var table = []struct {
	err  error
	code *kerr.Error
}{
	{replica.ErrUnknownTopicOrPartition, kerr.UnknownTopicOrPartition},
	{replica.ErrNotLeaderOrFollower, kerr.NotLeaderForPartition},
	{replica.ErrNotEnoughReplicas, kerr.NotEnoughReplicas},
	{replica.ErrNotEnoughReplicasAfterAppend, kerr.NotEnoughReplicasAfterAppend},
	{replica.ErrFencedLeaderEpoch, kerr.FencedLeaderEpoch},
	{replica.ErrUnknownLeaderEpoch, kerr.UnknownLeaderEpoch},
	{replica.ErrStaleControllerEpoch, kerr.StaleControllerEpoch},
	// Kafka's ReplicaManager answers a LeaderAndIsr partition state older
	// than the one applied with STALE_CONTROLLER_EPOCH.
	{replica.ErrStaleLeaderEpoch, kerr.StaleControllerEpoch},
	{replica.ErrDeleteRecordsRefused, kerr.PolicyViolation},

	{partitionlog.ErrCorruptMessage, kerr.CorruptMessage},
	// Stored bytes that no longer parse are Kafka's CorruptRecordException
	// too, which it answers with CORRUPT_MESSAGE wherever the reading
	// meets them (a fetch, a timestamp lookup).
	{partitionlog.ErrCorruptLog, kerr.CorruptMessage},
	{partitionlog.ErrInvalidRecord, kerr.InvalidRecord},
	{partitionlog.ErrMessageTooLarge, kerr.MessageTooLarge},
	{partitionlog.ErrRecordListTooLarge, kerr.RecordListTooLarge},
	{partitionlog.ErrInvalidTimestamp, kerr.InvalidTimestamp},
	// Kafka refuses a produce (v3+) batch of magic 0 or 1 as an
	// InvalidRecordException; only a produce meets this.
	{partitionlog.ErrUnsupportedVersion, kerr.InvalidRecord},
	{partitionlog.ErrOffsetOutOfRange, kerr.OffsetOutOfRange},
	{partitionlog.ErrLogDirOffline, kerr.KafkaStorageError},
	// A closed log is a partition this broker just stopped hosting (it
	// was deleted or moved): the client looks for the leader again.
	{partitionlog.ErrClosed, kerr.NotLeaderForPartition},
	{partitionlog.ErrInconsistentTopicID, kerr.InconsistentTopicID},
	{partitionlog.ErrOutOfOrderSequence, kerr.OutOfOrderSequenceNumber},
	{partitionlog.ErrInvalidProducerEpoch, kerr.InvalidProducerEpoch},
	{partitionlog.ErrInvalidTxnState, kerr.InvalidTxnState},
	{partitionlog.ErrTransactionCoordinatorFenced, kerr.TransactionCoordinatorFenced},
}
