// Package msgset converts between Kafka's legacy message sets (magic 0 and
// 1, the format of Produce v0-2 and Fetch v0-3) and record batches (magic 2,
// the only format kq's log stores).
//
// # Legacy message layout
//
// A message set is messages back to back, each:
//
//	+--------+--------+--------------------------------------------------+
//	| offset | int64  | absolute; relative inside a magic 1 wrapper      |
//	| size   | int32  | bytes that follow                                |
//	| crc    | uint32 | IEEE CRC-32 of everything after it               |
//	| magic  | int8   | 0 or 1                                           |
//	| attrs  | int8   | bits 0-2 codec; bit 3 LogAppendTime (magic 1)    |
//	| time   | int64  | magic 1 only                                     |
//	| key    | bytes  | int32 length, -1 for null                        |
//	| value  | bytes  | int32 length, -1 for null                        |
//	+--------+--------+--------------------------------------------------+
//
// A compressed message (a wrapper) has no key and carries a whole inner
// message set, compressed, as its value. Inner messages are uncompressed and
// of the wrapper's magic. Magic 0 inner offsets are absolute; magic 1 inner
// offsets are relative (0, 1, 2, ...) and the wrapper's offset is the
// absolute offset of the last inner message. A magic 1 wrapper stamped
// LogAppendTime gives its timestamp to every inner message.
//
// Kafka's LZ4 writer for magic 0 computed the frame header checksum over the
// wrong bytes (KAFKA-3160), so Kafka ignores that checksum when reading magic
// 0 and checks it for magic 1; this package does the same.
//
// # Up-conversion (Produce v0-2)
//
// ToBatch turns one produce payload into one record batch, as Kafka's
// LogValidator does: every message, wrappers opened, becomes a record with
// offset delta 0, 1, 2, ...; magic 0 messages get no timestamp (-1), magic 1
// messages keep theirs; keys and values are kept byte for byte (null stays
// null), with no headers. The batch is compressed with the codec of the last
// compressed wrapper (Kafka's "source codec", which compression.type=producer
// keeps). The log then validates it and applies message.timestamp.type like
// any other batch, reading the records ToBatch hands back with it rather
// than inflating what was just compressed (recordbatch.Built), so a
// compressed set is decompressed once. Batch bytes and codecs are package
// recordbatch's. CRC mismatches and torn messages are ErrCorrupt; zstd,
// which magic 0 and 1 cannot carry, is ErrUnsupportedCompression.
//
// # Down-conversion (Fetch v0-3)
//
// Downconvert turns the record batches a log read returned into legacy
// messages of the magic the fetch version understands (0 for Fetch v0-1, 1
// for v2-3). The output is uncompressed, whatever the batch's codec: that
// costs bandwidth, but saves recompressing on every old-client fetch, makes
// zstd batches readable by clients that predate zstd (Kafka refuses them with
// UNSUPPORTED_COMPRESSION_TYPE), sidesteps the magic 0 LZ4 framing bug, and
// lets every message stand alone, so a response stops at a message boundary.
// Control batches, records below the fetch offset and record headers are
// dropped, as Kafka drops them. Batch CRCs are checked before conversion, so
// a corrupt stored batch is reported instead of being sent with a fresh,
// valid legacy CRC.
package msgset
