// Package metadatacache holds a broker's view of the cluster: live brokers
// and their endpoints, topics with their IDs, and every partition's leader,
// leader epoch, replicas and ISR.
//
// As in Kafka's ZooKeeper mode, the cache is fed only by the controller's
// UpdateMetadata requests (see Apply), never by reading ZooKeeper directly,
// so every broker answers Metadata requests with the same leaders once the
// controller has told it. As in Kafka, a topic is known through its
// partitions: the controller announces a partition with its first leader,
// and the cache never shows a topic without partitions, so no broker lists
// a topic still being created. The cache is an immutable Snapshot swapped
// atomically: readers (every Metadata, Produce and Fetch request) never take
// a lock, and the single writer copies only what changes.
package metadatacache
