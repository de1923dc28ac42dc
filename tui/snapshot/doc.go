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
// # Consumer groups
//
// When the Source also implements [GroupSource], every refresh lists the
// groups (one ListGroups per broker) and describes them: DescribeGroups
// and OffsetFetch, two requests per group to its coordinator, at most
// Options.Concurrency in flight. Lag is measured against the high
// watermarks the same refresh read for the topics, so it costs no
// ListOffsets of its own. A group keeps its last [TrendLen] total lags for
// the trend; it is lagging when its lag is above zero and rose over each
// of the last three refreshes.
//
// On a cluster with many groups a refresh describes at most
// Options.GroupBudget of them (the group on screen, named in
// Options.Focus, always); the rest keep their last description, stale,
// and take their turn oldest first, so every group is refreshed within a
// few refreshes and a refresh's cost stays bounded.
//
// A topic's consume rate is the sum over groups of the growth of their
// committed offsets on it per second, between each group's last two
// descriptions: what all its consumer groups together read. A commit that
// went backwards (an offset reset) counts for nothing that refresh.
//
// A topic's size comes from the source's TopicSizes ([SizeSource],
// DescribeLogDirs) when it has one, and is Unknown otherwise. A
// partition's log end offset (LEO, past the high watermark by what the ISR
// has not replicated yet) comes from the source's LogEndOffsets
// ([LogEndSource]: ListOffsets asked as Kafka's debugging replica, -2),
// and is Unknown otherwise. Its last stable offset (LSO: below the high
// watermark while a transaction is open on it) comes from the source's
// LastStableOffsets ([LastStableSource]: ListOffsets as a read_committed
// consumer); a leader that fails blanks its own partitions only.
//
// # Transactions
//
// When the Source also implements [TransactionSource], every refresh
// lists the transactional ids (ListTransactions, every broker) and
// describes them (DescribeTransactions, one request per coordinator).
// As with groups, at most Options.TransactionBudget ids are described per
// refresh (those named in Options.FocusTransactions always, then those
// never described or whose listed state or producer changed, then the
// longest waiting); the others keep their last description with the
// listing's state. A transaction is timed out when it is Ongoing longer
// than its timeout at the snapshot's time: its coordinator should have
// aborted it, and it holds its partitions' LSO back. Brokers older than
// Kafka 3.0 cannot list transactions: TransactionsKnown is then false,
// with no error.
package snapshot
