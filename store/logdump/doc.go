// Package logdump reads Kafka's partition files without opening the log:
// segments (.log) batch by batch with their positions, offset and time
// indexes, producer snapshots and aborted-transaction indexes, as Kafka's
// DumpLogSegments tool does. It is read-only and never trusts the bytes:
// every length is checked against what the file holds, so a corrupt file
// yields an error, never a panic or an allocation it claims.
//
// The formats are Kafka's (kq writes the same files); the layouts are drawn
// in store/partitionlog, which writes them. This package duplicates their
// few decoding lines instead of reaching into the writer, so a tool that
// inspects a log never shares state or locks with one that runs it.
package logdump
