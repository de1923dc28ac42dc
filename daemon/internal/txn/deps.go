package txn

import "context"

// TopicName is Kafka's internal topic of transaction state.
const TopicName = "__transaction_state"

// Log is the coordinator's access to the __transaction_state partitions
// this broker leads (the same contract as the group coordinator's log).
type Log interface {
	// Append writes one uncompressed record batch to a partition this
	// broker leads at the given leader epoch and returns its base offset.
	// done is then called exactly once, never from inside Append, when
	// the batch is committed (nil) or cannot be (a *kerr.Error).
	Append(partition, epoch int32, batch []byte, done func(error)) (int64, error)
	// Read returns whole record batches starting with the one that holds
	// offset, about maxBytes of them (at least one), up to the log end.
	Read(partition int32, offset int64, maxBytes int32) ([]byte, error)
	// Bounds returns the log start and log end offsets.
	Bounds(partition int32) (start, end int64, err error)
}

// ProducerIDs hands out cluster-unique producer ids.
type ProducerIDs interface {
	NextProducerID(ctx context.Context) (int64, error)
}

// TopicPartition names one partition of a transaction.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// Markers is one WriteTxnMarkers job: the end of one transaction on every
// partition it wrote to.
type Markers struct {
	TransactionalID  string
	ProducerID       int64
	ProducerEpoch    int16
	CoordinatorEpoch int32 // the leader epoch of the __transaction_state partition
	Commit           bool
	Partitions       []TopicPartition
}

// MarkerWriter delivers transaction markers to partition leaders (Kafka's
// TransactionMarkerChannelManager).
type MarkerWriter interface {
	// WriteMarkers sends the markers to the current leader of each
	// partition, retrying (with backoff, following leader changes) until
	// every partition wrote its marker or no longer exists, then calls
	// done exactly once with nil. It calls done with an error only when
	// the job was abandoned: the context ended (this broker stopped
	// coordinating) or the marker was refused for good
	// (TRANSACTION_COORDINATOR_FENCED: a newer coordinator took over).
	// done is never called from inside WriteMarkers, and WriteMarkers
	// does not block: the coordinator calls it holding a lock.
	WriteMarkers(ctx context.Context, m Markers, done func(error))
}
