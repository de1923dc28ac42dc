// Package fetcher replicates the partitions this broker follows, as
// Kafka's ReplicaFetcherManager and ReplicaFetcherThread.
//
// There are num.replica.fetchers fetcher goroutines per source broker (the
// leader of the partitions they serve), each partition hashed to one of
// them by topic and index, so a slow partition holds up only its own
// fetcher's share. Each round
// it sends one Fetch request for all its partitions, with this broker's
// replica id, each partition's log end offset as the fetch offset, the epoch
// of its last batch (LastFetchedEpoch, KIP-595) and the leader epoch it
// follows. For each partition of the answer it either
//
//   - appends the records as they are (offsets and epochs from the leader)
//     and takes the leader's high watermark, capped at its own log end, and
//     the leader's log start offset;
//   - truncates to the DivergingEpoch the leader named, so a replica that
//     wrote past the leader's history drops it before fetching more (the
//     KIP-101 and KIP-279 cases);
//   - on OFFSET_OUT_OF_RANGE, asks the leader for its log start and end
//     (ListOffsets) and truncates or restarts its log to fit;
//   - on NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH and similar, backs
//     off for replica.fetch.backoff.ms; on FENCED_LEADER_EPOCH waits for the
//     controller's next LeaderAndIsr to follow again.
//
// The replica manager calls Follow and Unfollow after each LeaderAndIsr or
// StopReplica. Every change to a partition names the leader epoch it was
// fetched at and is refused by the partition once that epoch is past, so a
// late response never touches a log that has moved on.
package fetcher
