// Package checker judges a Kafka workload's history after faults, in the
// spirit of Jepsen's Kafka and Redpanda checkers: from every send with its
// acknowledgement (partition, offset) or error, and every record a
// consumer polled (partition, offset, value), it finds
//
//   - lost writes: acknowledged (and, inside a transaction, committed) but
//     never read, in the partition acknowledged, by a consumer that read
//     every partition to its high watermark after the faults
//     (History.Final);
//   - duplicates: one value at two offsets (an error only for an
//     idempotent or transactional producer: a plain producer's retries may
//     write a record twice, as Kafka documents);
//   - inconsistent offsets: two values at one offset, across the
//     acknowledgements and every consumer's polls;
//   - reordered writes: a partition's acknowledged offsets going down in
//     the order the acknowledgements came (an error only when each
//     partition had one producer keeping order, History.Ordered);
//   - non-monotonic reads: a consumer's offsets in one partition going
//     backwards (or repeating) without a seek, assignment or rebalance;
//   - skipped reads: a consumer jumping over an offset that holds a value
//     it should have read (one another consumer read or a producer had
//     acknowledged there);
//   - aborted reads: a read_committed consumer returning a record of an
//     aborted transaction;
//   - G1c: a cycle of committed transactions through write-read
//     dependencies (one transaction consuming a record another wrote);
//     cycles that need a write-write dependency (the order of their
//     records in a partition's log) are only counted, since Kafka's
//     transactions let concurrent ones interleave in any order.
//
// Check is a pure function of the history: no clock, no sockets, so it is
// tested with synthetic histories holding each anomaly.
package checker
