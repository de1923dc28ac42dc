// Package recordbatch is Kafka's record batch (magic 2) as bytes: the one
// place kq reads and writes the batch header, its CRC, the records inside
// and the codecs that compress them. The log stores these bytes, the
// network carries them, and the coordinators, the message-format
// conversion and the cleaner read and build them through this package.
// Protocol structs stay franz-go's kmsg (records decode into a
// kmsg.Record); this package owns the byte layout.
//
// # Batch layout
//
// Big-endian, as Kafka's DefaultRecordBatch writes it:
//
//	+------+--------------------+--------+-----------------------------------------+
//	| byte | field              | type   | notes                                   |
//	+------+--------------------+--------+-----------------------------------------+
//	|    0 | base offset        | int64  | assigned by the leader; 0 from clients  |
//	|    8 | length             | int32  | bytes after this field (49 at least)    |
//	|   12 | leader epoch       | int32  | outside the CRC, patched on append      |
//	|   16 | magic              | int8   | 2                                       |
//	|   17 | crc                | uint32 | CRC-32C of bytes 21 to the batch end    |
//	|   21 | attributes         | int16  | see below                               |
//	|   23 | last offset delta  | int32  | record count - 1 as clients write it    |
//	|   27 | base timestamp     | int64  | record timestamps are deltas from it    |
//	|   35 | max timestamp      | int64  | the append time under LogAppendTime     |
//	|   43 | producer id        | int64  | -1: not idempotent                      |
//	|   51 | producer epoch     | int16  |                                         |
//	|   53 | base sequence      | int32  | -1: no sequence                         |
//	|   57 | record count       | int32  |                                         |
//	|   61 | records            |        | compressed as a whole when the codec    |
//	|      |                    |        | is not none                             |
//	+------+--------------------+--------+-----------------------------------------+
//
// The first 12 bytes are the log overhead: what precedes the bytes the
// length counts. Base offset and leader epoch lie outside the CRC, so the
// leader assigns them without recomputing it; changing anything from the
// attributes on means resealing (Seal).
//
// # Attributes
//
//	+------+--------------------------------------------------------------+
//	| bits | meaning                                                      |
//	+------+--------------------------------------------------------------+
//	|  0-2 | codec: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd               |
//	|    3 | timestamp type: 1 LogAppendTime (the broker's clock)         |
//	|    4 | transactional                                                |
//	|    5 | control batch (one control record: a transaction marker)    |
//	|    6 | delete horizon set: the base timestamp is it (KIP-534)       |
//	+------+--------------------------------------------------------------+
//
// # Records
//
// Each record is varint-encoded (zig-zag, as protobuf's sint):
//
//	+--------------------+---------+--------------------------------------+
//	| length             | varint  | bytes after this field               |
//	| attributes         | int8    | unused, 0                            |
//	| timestamp delta    | varlong | from the base timestamp              |
//	| offset delta       | varint  | from the base offset                 |
//	| key                | bytes   | varint length, -1 for null           |
//	| value              | bytes   | varint length, -1 for null           |
//	| header count       | varint  |                                      |
//	| headers            |         | key (varint length, never null),     |
//	|                    |         | value (varint length, -1 for null)   |
//	+--------------------+---------+--------------------------------------+
//
// A record's fields must fill its length exactly, as Kafka's
// DefaultRecord.readFrom requires.
//
// # Codecs and the decompression bound
//
// Gzip is a gzip stream, LZ4 a frame (written with Kafka's 64 KiB
// blocks), zstd a frame, snappy either one bare block (librdkafka,
// franz-go) or the Java client's xerial framing (a 16-byte header, then
// chunks of an int32 length and a block). Compressed records are read as
// a stream, one record at a time.
//
// Kafka sets no limit on what a batch inflates to; kq does, in one place:
// a batch's records may decompress to at most MaxInflation (64) times the
// max.message.bytes they arrived under (Limit), or 64 times 16 MiB for a
// batch read back from a log (StoredLimit). Past it, decoding stops with
// ErrInflated before the bytes are held. A snappy block that claims more
// than its bytes can expand to is refused before anything is allocated.
//
// # Errors
//
// Framing errors are ErrTruncated (the buffer ends inside the batch),
// ErrLength, ErrMagic and ErrCRC; payload errors are ErrCodec (the codec
// rejects it), ErrInflated, and ErrRecord (records that do not decode or
// do not match the count). Callers map them to their own: a Kafka error
// code, a corrupt log, or the end of a read.
package recordbatch
