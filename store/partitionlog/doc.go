// Package partitionlog is kq's on-disk partition log: Kafka's log format,
// byte for byte, so a person who knows a Kafka log.dir recognises every
// file, and a log that survives crashes with exactly its valid prefix.
//
// # Shape
//
// A Manager owns the broker's log.dirs and every partition in them:
//
//	m, err := partitionlog.OpenManager(dirs, partitionlog.ManagerOptions{...})
//	go m.Run(ctx)                       // retention, flush.ms, checkpoints, the log cleaner
//	l, err := m.Create(tp, topicID, cfg) // or m.Get(tp) for one found on disk
//	info, err := l.Append(records, leaderEpoch)          // leader (produce)
//	info, err = l.AppendAsFollower(records)              // replication
//	r, err := l.Read(offset, maxBytes, highWatermark, true) // fetch
//	... sendfile(conn, r.File, &r.Pos, r.Len) ...
//	m.Close()                           // flush, checkpoints, clean marker
//
// A Log is one partition: Append validates every batch of a produce
// payload before writing any (Kafka's rules, see the error list below),
// assigns offsets from the log end offset, stamps the leader epoch, applies
// message.timestamp.type, and writes all batches with one write(2). Read
// returns a region of one segment file (whole batches, starting with the
// batch that holds the offset, bounded by maxBytes and maxOffset, the first
// batch always whole when minOneBatch) for the broker to send with sendfile;
// record bytes never pass through user space. OffsetForTimestamp and
// MaxTimestamp answer ListOffsets; TruncateTo, TruncateFullyAndStartAt and
// LeaderEpochs serve replication; AdvanceLogStartOffset serves
// DeleteRecords. The high watermark is set from outside (SetHighWatermark)
// and only stored here, with the recovery point and log start offset, in
// the directory checkpoints.
//
// # Idempotent producers
//
// Each Log keeps Kafka's producer state (producerstate*.go): per producer
// id its epoch and last five batches. Append refuses an idempotent batch
// from an older epoch (ErrInvalidProducerEpoch) or whose sequence does not
// follow (ErrOutOfOrderSequence), and answers a resent batch with its
// original offsets without writing it (AppendInfo.Duplicate). Followers
// build the same state from what they replicate, truncation rebuilds it,
// and <offset>.snapshot files in Kafka's format (written at every roll and
// on close) spare a reopen the scan of the whole log. Producers idle for
// producer.id.expiration.ms are forgotten (Manager.Run, ExpireProducers).
//
// # Transactions
//
// A producer's transactional batch opens a transaction at its offset
// unless one is open; a non-transactional batch of a producer whose
// transaction is open is ErrInvalidTxnState; control batches from clients
// are ErrInvalidRecord. AppendTxnMarker writes the coordinator's COMMIT or
// ABORT marker (a control batch, as Kafka's) and ends the transaction; a
// marker of an older producer epoch is ErrInvalidProducerEpoch, of an older
// coordinator epoch ErrTransactionCoordinatorFenced. An ABORT adds an entry
// to the aborted transaction index (<base>.txnindex, Kafka's format) of the
// segment holding the marker. LastStableOffset is the smaller of the high
// watermark and the first offset of the oldest transaction not yet decided
// and replicated (its marker below the high watermark); read_committed
// fetches read below it and drop the records of AbortedTransactions.
// Followers and recovery replay markers without checks, so every replica
// holds the same state; snapshots keep each producer's coordinator epoch
// and open transaction; recovery writes the .txnindex of every segment it
// recovers again, replaying from a snapshot at or before the first one;
// truncation, retention and the cleaner keep the indexes in step with the
// segments. OngoingTransactions and ProducerStates serve DescribeProducers.
//
// # Waiting for data
//
// Log.Changed returns a channel closed at the next change of the log end
// offset, high watermark (and so the last stable offset) or log start
// offset. A long-poll fetch takes it,
// checks whether it can answer, and if not selects on it with its timeout.
//
// # Concurrency
//
// One writer at a time (appends, truncation, roll, retention), any number of
// readers alongside: readers look positions up under a shared lock that the
// writer takes exclusively only to change the segment list, and see a batch
// only after its bytes and index entries are complete (the committed size is
// published atomically). fsyncs run without blocking appends. A ReadResult
// stays valid after the segment is deleted for file.delete.delay.ms: files
// are renamed *.deleted at once and closed and removed after the delay.
//
// # Durability
//
// Like Kafka, data is left to the page cache; segments are fsynced when
// rolled (in the background; the recovery point moves when done) and on
// Close, and when flush.messages or flush.ms say so. Close leaves a
// .kafka_cleanshutdown marker; OpenManager removes it, and without it every
// partition is recovered from its recovery point. See "Files on disk"
// and "Recovery rules" in docs/architecture.md.
//
// kq's own Config.FlushMode adds group commit (log_sync.go): under
// FlushGroupCommit every append asks the log's syncer for an fsync, and
// DurableEnd, Durable and OnDurable tell the caller when an append is on
// disk. One fsync covers every batch appended while the previous one ran.
// The Kafka flushes above are unchanged in both modes.
//
// # Compaction
//
// Run also starts the log cleaner (ManagerOptions.Cleaner, Kafka's
// log.cleaner.*) for the logs whose Config.Compacted is set: it keeps the
// latest record of every key, drops tombstones delete.retention.ms after a
// cleaning first kept them, and swaps cleaned segments in crash-safely
// through .cleaned and .swap files; loading a log finishes or rolls back a
// swap a crash interrupted. cleaner.go describes the rules,
// cleaner-offset-checkpoint holds each log's progress.
//
// # Errors
//
// Errors wrap one sentinel each, so the broker maps them with errors.Is:
// ErrCorruptMessage (CORRUPT_MESSAGE), ErrInvalidRecord (INVALID_RECORD),
// ErrMessageTooLarge (MESSAGE_TOO_LARGE), ErrRecordListTooLarge
// (RECORD_LIST_TOO_LARGE), ErrUnsupportedVersion (magic 0 or 1),
// ErrInvalidTimestamp (INVALID_TIMESTAMP), ErrOffsetOutOfRange
// (OFFSET_OUT_OF_RANGE), ErrLogDirOffline (KAFKA_STORAGE_ERROR),
// ErrUnexpectedAppendOffset (follower must truncate), ErrClosed (the
// partition was closed or deleted), ErrCorruptLog (stored bytes failed
// validation at read time), ErrInconsistentMeta, ErrInconsistentTopicID,
// ErrOutOfOrderSequence (OUT_OF_ORDER_SEQUENCE_NUMBER),
// ErrInvalidProducerEpoch (INVALID_PRODUCER_EPOCH), ErrInvalidTxnState
// (INVALID_TXN_STATE) and ErrTransactionCoordinatorFenced
// (TRANSACTION_COORDINATOR_FENCED).
// An I/O error takes the partition's whole log.dir offline, as Kafka does:
// every log in it then answers ErrLogDirOffline, Manager.OfflineDirs lists it
// and ManagerOptions.OnDirOffline is called once.
//
// # Where kq differs from Kafka
//
//   - The cleaner copies transactional and control batches untouched and
//     never lets their records supersede others: it neither removes
//     aborted records nor, later, the markers (Kafka does both), so a
//     cleaned segment's .txnindex is the union of its sources'.
//   - Transaction state after a truncation is rebuilt from the newest
//     snapshot below the new end and the log after it whenever a
//     transactional producer is known (Kafka reloads likewise, from its
//     snapshots), rather than trimmed in memory.
//   - AbortedTransactions skips the entries of a segment that end before
//     the read with a binary search; the answer is Kafka's. Fetch bounds
//     it by the end of the data returned, where Kafka uses the next
//     offset index entry (a superset); both are correct for consumers.
//   - Leader appends refuse what Kafka would rewrite: offset deltas other
//     than 0,1,2,... (Kafka recompresses such batches) are INVALID_RECORD.
//   - A compressed batch may not decompress to more than 64 times
//     max.message.bytes (a guard against compression bombs).
//   - OffsetForTimestamp returns the first offset whose timestamp is >= the
//     target even when several records share the timestamp of a time index
//     entry (Kafka may start its search one entry late).
//   - TruncateTo inside a batch removes the batch whole and sets the log
//     end to the end of the previous batch (Kafka sets it to the target).
//   - The leader-epoch-checkpoint written during recovery is written once at
//     the end instead of per epoch.
//
// Every file operation goes through a vfs.FS (ManagerOptions.FS, the real
// filesystem by default), so tests can make writes, reads and fsyncs fail
// (vfs.WithFaults). Only the index mappings (mmap_unix.go, over the File's
// descriptor) and DiskUsage's statfs(2) of a log.dir's volume bypass it.
//
// Only Linux/Unix is supported (mmap through golang.org/x/sys/unix, and the
// log.dir lock with flock in package vfs).
package partitionlog
