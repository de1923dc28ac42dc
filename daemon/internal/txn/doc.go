// Package txn is the transaction coordinator of one broker (Kafka's
// TransactionCoordinator in ZooKeeper mode): transactional ids, their
// producer ids and epochs, and the state machine of each transaction,
// persisted in __transaction_state in Kafka's record layout.
//
// # Ownership and wiring
//
// A transactional id lives in partition abs(javaHash(id)) % n of
// __transaction_state (PartitionFor); the broker leading that partition is
// its coordinator. The daemon builds the coordinator with New(Options):
// the log of the partitions it leads (Log, group.ReplicaLog with Topic:
// TopicName), producer id blocks (ProducerIDs) and the marker writer that
// sends WriteTxnMarkers to partition leaders (Markers). The replica
// manager's leadership hook calls BecameLeader(partition, leaderEpoch)
// and BecameFollower(partition); Start arms the timers; Close stops all.
//
// BecameLeader loads the partition in the background (latest record of
// each key wins, a tombstone deletes; COORDINATOR_LOAD_IN_PROGRESS
// meanwhile); the partition's leader epoch is the coordinator epoch of the
// markers sent for it. Transactions found prepared are completed: their
// markers are sent again. BecameFollower forgets the partition's ids
// (NOT_COORDINATOR) and cancels the context of its marker jobs.
//
// # The state machine
//
//	          AddPartitions            EndTxn                 markers written
//	Empty ───────────────> Ongoing ─────────> PrepareCommit ────────────> CompleteCommit
//	  ^  InitProducerId      │  │  EndTxn(abort)                            │
//	  │                      │  └──────────> PrepareAbort ──────────────> CompleteAbort
//	  │   InitProducerId /   │                  ^                           │
//	  │   timeout: fence     └─> PrepareEpochFence (epoch bumped, in memory)│
//	  └──────────────────── InitProducerId, AddPartitions ─────────────────┘
//
// and Dead while an idle id's tombstone is written. Every change is
// persisted before it takes effect: the new state is written (acks=all)
// while the id holds it as pending (other requests get
// CONCURRENT_TRANSACTIONS), and applied only once committed; a failed
// write drops the pending state and answers the mapped error. EndTxn is
// answered once PrepareCommit/PrepareAbort is written; the markers follow,
// then CompleteCommit/CompleteAbort. InitProducerId of an id with an
// ongoing transaction aborts it at a bumped epoch (fencing the old
// producer) and answers CONCURRENT_TRANSACTIONS until it is done. Every
// transaction.abort.timed.out.transaction.cleanup.interval.ms, ongoing
// transactions past their timeout are aborted the same way; every
// transaction.remove.expired.transaction.cleanup.interval.ms, ids idle for
// transactional.id.expiration.ms are removed with a tombstone.
//
// # Concurrency
//
// Each __transaction_state partition is a shard with one mutex over its
// ids; requests, write completions, marker completions and timers take
// effect under it, one at a time. Answers are callbacks that may run under
// the mutex (the handlers close a channel); nothing blocks under it:
// producer ids are allocated and markers sent on goroutines of their own.
// Time comes from a Clock, so tests drive timeouts without sleeping.
//
// # Records
//
// See records.go: key version 0 {transactional id}, value version 0 as
// Kafka 3.9 writes it in ZooKeeper mode (transaction.version 0), in
// uncompressed v2 batches.
package txn
