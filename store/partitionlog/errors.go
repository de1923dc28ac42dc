package partitionlog

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the package returns that the broker must turn
// into a Kafka error code wraps exactly one of these, so errors.Is picks the
// code and the wrapped text keeps the context (which batch, which byte).
var (
	// ErrCorruptMessage: a batch handed to Append/AppendAsFollower is torn
	// (declared length past the end of the buffer), shorter than the 61-byte
	// batch header, fails its CRC32C, or its compressed payload does not
	// decompress. Kafka: CORRUPT_MESSAGE (2).
	ErrCorruptMessage = errors.New("corrupt message")

	// ErrInvalidRecord: the batch is intact but its content breaks a rule:
	// a base offset other than 0 from a producer, a record count that does not
	// match the offset range, offset deltas that are not 0,1,2,..., a record
	// that does not decode, a control batch from a client, a compacted topic
	// record without a key, an empty produce, a transactional batch without
	// producer id. Kafka: INVALID_RECORD (87).
	ErrInvalidRecord = errors.New("invalid record")

	// ErrMessageTooLarge: one batch is larger than max.message.bytes.
	// Kafka: MESSAGE_TOO_LARGE (10).
	ErrMessageTooLarge = errors.New("message too large")

	// ErrRecordListTooLarge: the batches of one append together exceed
	// segment.bytes, so they could never fit one segment.
	// Kafka: RECORD_LIST_TOO_LARGE (18).
	ErrRecordListTooLarge = errors.New("record list too large")

	// ErrUnsupportedVersion: a batch of magic 0 or 1, a legacy message set
	// (the broker converts those of Produce v0-2 before appending). Kafka:
	// INVALID_RECORD (87), as ProduceRequest.validateRecords refuses one
	// from v3. A magic Kafka never defined (above 2) is ErrCorruptMessage,
	// as Kafka's batch reader throws a CorruptRecordException for it.
	ErrUnsupportedVersion = errors.New("unsupported record batch magic")

	// ErrInvalidTimestamp: a record timestamp further from the broker clock
	// than message.timestamp.before.max.ms / after.max.ms allow.
	// Kafka: INVALID_TIMESTAMP (32).
	ErrInvalidTimestamp = errors.New("invalid timestamp")

	// ErrOffsetOutOfRange: a read or truncation target below the log start
	// offset or above the log end offset. Kafka: OFFSET_OUT_OF_RANGE (1).
	ErrOffsetOutOfRange = errors.New("offset out of range")

	// ErrUnexpectedAppendOffset: a follower append whose first offset is
	// below the log end offset; the follower must truncate first. Kafka
	// raises UnexpectedAppendOffsetException internally (no wire code).
	ErrUnexpectedAppendOffset = errors.New("unexpected append offset")

	// ErrLogDirOffline: the partition's log.dir had an I/O error and was
	// taken offline, or the operation itself hit one. Kafka:
	// KAFKA_STORAGE_ERROR (56).
	ErrLogDirOffline = errors.New("log directory offline")

	// ErrCorruptLog: bytes already on disk failed validation at read time
	// (a compressed batch that no longer decompresses, a header that does not
	// parse). It marks corruption of stored data, unlike ErrCorruptMessage
	// which marks bad input. Kafka: CORRUPT_MESSAGE (2), its answer to a
	// CorruptRecordException wherever a read meets one.
	ErrCorruptLog = errors.New("corrupt log data")

	// ErrClosed: the log or manager was closed, or the partition deleted.
	// The broker answers NOT_LEADER_OR_FOLLOWER / UNKNOWN_TOPIC_OR_PARTITION.
	ErrClosed = errors.New("partition log closed")

	// ErrInconsistentMeta: a log.dir's meta.properties names another
	// broker.id or cluster.id than this broker's. Startup must stop (Kafka:
	// InconsistentBrokerIdException / InconsistentClusterIdException).
	ErrInconsistentMeta = errors.New("inconsistent meta.properties")

	// ErrOutOfOrderSequence: an idempotent batch whose sequence does not
	// follow the producer's last one (or a new epoch not starting at 0).
	// Kafka: OUT_OF_ORDER_SEQUENCE_NUMBER (45).
	ErrOutOfOrderSequence = errors.New("out of order sequence number")

	// ErrInvalidProducerEpoch: an idempotent batch with an epoch older
	// than the producer's current one. Kafka: INVALID_PRODUCER_EPOCH (47).
	ErrInvalidProducerEpoch = errors.New("invalid producer epoch")

	// ErrInvalidTxnState: a non-transactional batch from a producer whose
	// transaction is ongoing. Kafka: INVALID_TXN_STATE (48).
	ErrInvalidTxnState = errors.New("invalid transaction state")

	// ErrTransactionCoordinatorFenced: a transaction marker whose
	// coordinator epoch is older than the one the producer's last marker
	// carried. Kafka: TRANSACTION_COORDINATOR_FENCED (52).
	ErrTransactionCoordinatorFenced = errors.New("transaction coordinator fenced")

	// ErrInconsistentTopicID: Create was called for a partition that exists
	// with another topic ID. Kafka: INCONSISTENT_TOPIC_ID (103).
	ErrInconsistentTopicID = errors.New("inconsistent topic id")
)

// RecordError is one record a produce batch was refused for: its index
// among the batch's records (Kafka's batch_index, KIP-467) and why.
type RecordError struct {
	Index   int32
	Message string
}

// RecordErrors refuses a batch because some of its records are invalid
// (a record without key on a compacted topic, a timestamp out of bounds),
// as Kafka's RecordValidationException. It names every bad record, not
// only the first; nothing of the append is written. Err is
// ErrInvalidTimestamp when any record's timestamp is out of bounds and
// ErrInvalidRecord otherwise, so errors.Is picks the code as for any other
// refusal.
type RecordErrors struct {
	Err     error
	Records []RecordError
}

// Error is Kafka's message for the response's error_message: the
// timestamp refusal names no record, the other lists the first three.
func (e *RecordErrors) Error() string {
	if errors.Is(e.Err, ErrInvalidTimestamp) {
		return "One or more records have been rejected due to invalid timestamp"
	}
	shown := make([]string, 0, 3)
	for _, r := range e.Records[:min(len(e.Records), 3)] {
		shown = append(shown, fmt.Sprintf("RecordError(batchIndex=%d, message='%s')", r.Index, r.Message))
	}
	return fmt.Sprintf("One or more records have been rejected due to %d record errors in total, "+
		"and only showing the first three errors at most: [%s]", len(e.Records), strings.Join(shown, ", "))
}

// Unwrap returns the error that rejected the batch, for errors.Is.
func (e *RecordErrors) Unwrap() error { return e.Err }
