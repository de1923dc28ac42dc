// Package snapshot is the TUI's data layer: one refresh of the cluster,
// polled through admin, turned into an immutable [Snapshot] that the views
// only read.
//
// [Collect] asks the cluster for its brokers and topics (Metadata), the log
// start and high watermark of every partition (ListOffsets) and each
// topic's min.insync.replicas (DescribeConfigs), then derives what an
// operator looks for: which brokers are dead, which partitions are offline,
// under-replicated or under min ISR and which replicas are missing, and the
// produce rate of every partition from the growth of its high watermark
// since the previous snapshot.
//
// Failures are data, not exits. Without metadata there is no snapshot and
// Collect returns the error (the cluster is unreachable; the caller keeps
// the previous snapshot and retries). When only offsets or configs fail the
// snapshot is still returned with those values unknown and the failure in
// [Snapshot.Err].
//
// A broker is dead when metadata no longer lists it but it is still known:
// it was alive in an earlier snapshot or a partition names it as a replica.
// Metadata only ever lists live brokers, so the previous snapshot is how a
// dead broker keeps its host and port on screen.
//
// Consumer groups (state, lag, consume rates) belong here as well once
// admin can list and describe them: a Groups field filled by Collect when
// the Source also implements a group lister.
package snapshot
