// Package embedded is kq's in-process metadata server: the meta.Store
// contract without ZooKeeper, for a broker (or several brokers of one
// process, each with its own session) started without zookeeper.connect.
//
// A Server holds the znode tree in memory. Write calls go through one
// committer goroutine: it takes every call waiting for it (group commit),
// checks each in order against a draft of the tree as the calls before it
// leave it (a call that fails leaves no trace; a Multi's ops see each
// other's effects), appends the passing calls' transactions to the journal
// with one write and one fsync, and only then applies them and fires their
// watches. Readers take a read lock and are not held up by the fsync. So a
// write call that returned is durable, no reader ever sees data a crash
// could take back, and concurrent writers (several brokers in one process)
// share fsyncs.
//
// Sessions have no heartbeat: they end with Store.Close, Server.Close, or
// Server.ExpireSession, which tests use to simulate a broker's death.
// Ephemeral nodes are journaled like all others (the parent's child counter
// must survive, or sequence numbers could repeat); when the server next
// opens the directory, the ephemeral nodes of the previous process's
// sessions are deleted in one transaction, as ZooKeeper would expire them.
//
// # Files
//
// A data directory holds three files:
//
//	LOCK      empty; flock'ed while a Server has the directory open
//	journal   transactions since the snapshot, appended and fsynced
//	snapshot  the whole tree as of one transaction, replaced atomically
//
// Journal record (one per write call; integers big-endian):
//
//	+------------+------------+-----------------------------------------+
//	| length u32 | crc32c u32 | payload (length bytes)                  |
//	+------------+------------+-----------------------------------------+
//	payload:   zxid u64 | time-ms u64 | count uvarint | count x mutation
//	mutation:  kind u8 | path bytes | per kind:
//	             1 create: owner varint (session id, 0 = persistent) | data bytes
//	             2 set:    data bytes
//	             3 delete: nothing
//	bytes:     length uvarint | that many bytes
//
// The CRC-32C (Castagnoli) covers the payload. Mutations are fully
// resolved (sequence numbers appended, checks done), so replay is a plain
// re-application.
//
// Snapshot:
//
//	+-------------+-----------+----------------+-------------------+------------+
//	| "KQMETA1\n" | zxid u64  | count uvarint  | count x node      | crc32c u32 |
//	+-------------+-----------+----------------+-------------------+------------+
//	node: path bytes | data bytes | czxid mzxid pzxid ctime mtime version
//	      created ephemeralOwner (each a varint)
//
// Nodes are in sorted path order, so every parent precedes its children;
// "created" is the count of children ever created (ZooKeeper's sequence
// counter; Cversion is derived from it). The CRC covers everything before
// it.
//
// # Compaction and recovery
//
// When the journal outgrows both Options.CompactBytes and the last
// snapshot, the writer that crossed the line writes a new snapshot (to
// snapshot.tmp, fsync, rename, fsync the directory) and truncates the
// journal. A crash between the two steps is harmless: recovery loads the
// snapshot and replays only journal records with a newer zxid.
//
// A record that is cut short or fails its CRC at the end of the journal is
// an append a crash interrupted: recovery truncates it away (that write
// never returned to its caller). A damaged record followed by an intact
// one, or a record that does not apply, is ErrCorrupt and the server
// refuses to open.
package embedded
