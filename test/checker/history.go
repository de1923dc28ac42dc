package checker

import "time"

// Send is one record a producer tried to write and how that ended.
type Send struct {
	Value     string // unique in the workload: it names the record
	Partition int32
	// Offset is where the broker acknowledged the record; meaningful only
	// when Err is nil.
	Offset int64
	// Err is the send's final error; nil means acknowledged. A failed send
	// is indeterminate: the record may or may not be in the log.
	Err error
	At  time.Time // when the acknowledgement or error arrived
	// Txn is the transaction the record was sent in; 0 outside one.
	Txn int
}

// Poll is one record a consumer returned.
type Poll struct {
	Consumer  string
	Partition int32
	Offset    int64
	Value     string
	// Seek marks the first record after the consumer's position in the
	// partition was moved (assignment, rebalance, seek): it may be at any
	// offset, so monotonicity restarts there.
	Seek bool
	// Txn is the transaction of the consumer that read the record, for a
	// consume-transform-produce workload; 0 outside one.
	Txn int
}

// Outcome is how a transaction ended.
type Outcome int

const (
	// Unknown: the client never learnt (an error on EndTxn); the
	// coordinator may have committed or aborted it.
	Unknown Outcome = iota
	Committed
	Aborted
)

// History is a workload's record of what happened.
type History struct {
	Sends []Send
	// Polls in the order each consumer returned them (consumers may
	// interleave; the order within one consumer is what counts).
	Polls []Poll
	// Txns is each transaction's outcome, by Send.Txn and Poll.Txn.
	Txns map[int]Outcome
	// Final names the consumers that, after the faults healed, read every
	// partition from its start to its high watermark: a value acknowledged
	// and not among theirs is lost. With none, every consumer counts.
	Final []string
	// ReadCommitted names the consumers with isolation.level=read_committed.
	ReadCommitted []string
	// Idempotent: the producers had enable.idempotence (or were
	// transactional), so a duplicate is an anomaly, not a retry.
	Idempotent bool
	// Ordered: each partition's sends came from one producer that keeps
	// their order (idempotent, or one request in flight), so its
	// acknowledged offsets must rise in the order of Sends (the order the
	// acknowledgements arrived, which a producer keeps per partition).
	Ordered bool
}
