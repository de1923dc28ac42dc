// Package txn is the transaction coordinator of one broker (Kafka's
// TransactionCoordinator in ZooKeeper mode): transactional ids, their
// producer ids and epochs, and the state machine of each transaction,
// persisted in __transaction_state in Kafka's record layout.
//
// A transactional id lives in partition abs(javaHash(id)) % n of
// __transaction_state; the broker leading that partition is its
// coordinator. The daemon wires the coordinator to the replica manager's
// leadership hook (BecameLeader / BecameFollower), to the log of the
// partitions it leads (Log), to producer id blocks (ProducerIDs) and to the
// marker writer that sends WriteTxnMarkers to partition leaders (Markers).
package txn
