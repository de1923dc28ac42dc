// Package replica owns the partitions this broker hosts: for each one, its
// log and its replica state (leader or follower, leader epoch, replicas, ISR,
// the high watermark, what each follower has fetched).
//
// The controller decides leadership; this package obeys. LeaderAndIsr makes
// a partition leader or follower at a leader epoch (older epochs, and resent
// states older than an ISR this leader has since written, are ignored),
// StopReplica removes it. A followed partition is handed to the Fetchers
// (package fetcher), which call back the follower-side methods
// (FollowerPosition, AppendFromLeader, TruncateToDivergence, ResetToLeader);
// each names the leader epoch it fetched at and is refused once that epoch
// is past.
//
// On the leader, the high watermark is the minimum log end offset over the
// ISR; consumers read below it and acks=all producers wait for it.
// read_committed consumers read below the last stable offset instead (the
// log's: no undecided transaction, no marker above the high watermark) and
// get the aborted transactions of what they read; transaction markers are
// written by the leader (AppendTxnMarker, with acks=all's ISR check) and
// replicated like any batch. The
// leader changes the ISR itself, as Kafka's ZooKeeper-mode Partition does:
//
//   - a follower joins when its fetch offset reaches the high watermark and
//     the offset where the current leader epoch began;
//   - a member leaves when it has not caught up with the leader's log end
//     for replica.lag.time.max.ms (checked every half of it).
//
// A change is written to the partition's state znode with compare-and-set
// (IsrStore, off the request path, on the manager's own goroutine) and
// takes effect only once written; until then the high watermark counts the
// larger of the two ISRs, so it never advances on an ISR nobody recorded.
// A failed compare-and-set means someone else wrote the state (the
// controller, or a newer leader): the partition stops acting as leader
// (no appends, no acknowledgements) until the next LeaderAndIsr.
//
// Waiting is channel based: every partition has a "changed" channel that is
// closed and replaced whenever its log end offset, high watermark or
// leadership moves, so a long-polling fetch or an acks=all produce waits with
// select, without a goroutine per waiter and without polling.
package replica
