// Package group is the classic consumer group coordinator (Kafka's
// GroupCoordinator and GroupMetadataManager, ZooKeeper mode).
//
// # Ownership
//
// Groups live in the partitions of __consumer_offsets: a group belongs to
// partition abs(javaHash(group)) % offsets.topic.num.partitions, and the
// broker leading that partition is its coordinator. The replica manager
// tells the Coordinator when this broker starts leading such a partition
// (BecameLeader: the partition is read from its start, the latest record
// of every key wins, tombstones delete; requests get
// COORDINATOR_LOAD_IN_PROGRESS meanwhile) and when it stops (BecameFollower:
// the groups are forgotten, parked requests answered NOT_COORDINATOR).
// Requests for groups of other partitions get NOT_COORDINATOR.
//
// # The state machine
//
// Each group follows Kafka's states:
//
//	          join                 all joined / rebalance timeout
//	Empty ──────────> PreparingRebalance ───────────────> CompletingRebalance
//	  ^                  ^   ^    │ (no members left)            │ leader's SyncGroup
//	  └──────────────────┼───┼────┘                              v   written
//	                     │   └──── join, leave, expiry ───── Stable
//	                     └───────── join, leave, expiry ─────────┘
//
// and Dead once deleted or expired. JoinGroup answers are parked until the
// join phase ends: a new group waits group.initial.rebalance.delay.ms (again
// while members keep arriving, within the rebalance timeout); otherwise the
// phase ends when every member rejoined, or after the longest rebalance
// timeout, without the members that did not. The leader receives the
// members' protocol metadata and sends back the assignment in SyncGroup;
// once the group record is written, every parked SyncGroup gets its
// member's assignment. The coordinator never looks inside protocols or
// assignments, so every client-side assignor (range, roundrobin, sticky,
// cooperative-sticky) works.
//
// Sessions are timers, not polling: each heartbeat, commit or sync rearms
// the member's session timeout; a member whose timer fires is removed and
// the group rebalances. A member parked in a rebalance is bounded by the
// rebalance timeout instead. Static members (group.instance.id) keep their
// assignment across restarts: rejoining with an unknown member id replaces
// the old id (which is then FENCED_INSTANCE_ID) without a rebalance.
//
// # Concurrency
//
// Each __consumer_offsets partition is a shard with one mutex over its
// groups; requests, timer callbacks and write completions of a group run
// under it, one at a time. Parked answers are callbacks invoked under the
// mutex, so they must not block (the handlers close a channel). Time comes
// from a Clock, so tests drive every timeout without sleeping.
//
// # Records
//
// Offsets and group metadata are records of __consumer_offsets in Kafka's
// layout (franz-go's kmsg types), in uncompressed v2 batches:
//
//	key version 1  OffsetCommitKey{group, topic, partition}
//	  value v3     {offset, leader epoch, metadata, commit timestamp}
//	  value v1     {offset, metadata, commit timestamp, expire timestamp}
//	               (only when an old client asked for an explicit expiry)
//	key version 2  GroupMetadataKey{group}
//	  value v3     {protocol type, generation, protocol, leader,
//	               state timestamp, members{id, instance id, client id,
//	               host, rebalance and session timeouts, subscription,
//	               assignment}}
//	null value     a tombstone: the key is deleted
//
// A transactional offset commit (TxnOffsetCommit) is the same records in
// a transactional batch of the producer (its id and epoch, base sequence
// -1: the log checks the epoch but no sequence, as Kafka's COORDINATOR
// origin), followed later by the producer's transaction marker, a control
// batch the transaction coordinator has the partition leader write.
//
// An offset commit is answered once its batch is committed (acks=all);
// the cache takes the offset only then. Deletions write tombstones without
// waiting, as Kafka does. Every retention check interval, offsets of empty
// groups older than offsets.retention.minutes (counted from when the group
// became empty) expire, and an empty group left without offsets is deleted.
//
// # Transactional offsets
//
// Offsets committed inside a transaction stay pending per producer id,
// invisible to OffsetFetch, until the producer's marker is committed in
// the group's partition: WriteTxnMarkers then calls CompleteTxn, and a
// COMMIT makes each pending offset the partition's committed offset
// unless a record later in the log already is (of a regular commit and a
// transactional one, the later record wins, as Kafka's
// completePendingTxnOffsetCommit); an ABORT drops them. OffsetFetch with
// require_stable (v7+) answers UNSTABLE_OFFSET_COMMIT for a partition with
// a pending transactional offset or a commit still being replicated;
// without it, the last committed offset. Loading keeps the pending
// offsets per producer: a COMMIT marker applies them, any other control
// record drops them, and a partition ending in an open transaction
// leaves them pending; a marker written while the partition loads is
// applied once loaded. Expiry never removes pending offsets, and an empty
// group holding some is not deleted; OffsetDelete and DeleteGroups drop
// them with the partition's offsets, as Kafka's removeOffsets.
package group
