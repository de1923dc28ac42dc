package partitionlog

import (
	"math"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/wallclock"
)

// TimestampType is message.timestamp.type, numbered as Kafka's
// TimestampType ids so the value can go straight into responses.
type TimestampType int8

const (
	CreateTime    TimestampType = 0 // producer's timestamps are kept
	LogAppendTime TimestampType = 1 // the broker stamps each batch on append
)

// String is the name Kafka's message.timestamp.type uses.
func (t TimestampType) String() string {
	if t == LogAppendTime {
		return "LogAppendTime"
	}
	return "CreateTime"
}

// Kafka's defaults for the settings Config carries.
const (
	DefaultSegmentBytes       = 1 << 30              // log.segment.bytes
	DefaultSegmentMs          = 7 * 24 * 3600_000    // log.roll.hours = 168
	DefaultIndexIntervalBytes = 4096                 // log.index.interval.bytes
	DefaultSegmentIndexBytes  = 10 << 20             // log.index.size.max.bytes
	DefaultMaxMessageBytes    = 1<<20 + 12           // message.max.bytes: 1 MiB + log overhead
	DefaultRetentionMs        = 7 * 24 * 3600_000    // log.retention.hours = 168
	DefaultFileDeleteDelayMs  = 60_000               // log.segment.delete.delay.ms
	DefaultDeleteRetentionMs  = 24 * 3600_000        // log.cleaner.delete.retention.ms
	unlimited                 = int64(math.MaxInt64) // Kafka's "never" for flush.*

	DefaultMinCleanableDirtyRatio = 0.5 // log.cleaner.min.cleanable.ratio
)

// Config holds the effective settings of one partition. The caller merges the
// broker defaults (log.*) with the topic overrides; the log only reads it.
//
// A zero field means Kafka's default, so a partly filled Config is safe. Where
// Kafka gives 0 a literal meaning (retention.bytes=0, index.interval.bytes=0,
// file.delete.delay.ms=0) pass 1 instead: one byte or one millisecond has the
// same effect.
type Config struct {
	SegmentBytes       int64 // segment.bytes: roll when the next append would pass it
	SegmentMs          int64 // segment.ms: roll a non-empty segment this old
	IndexIntervalBytes int32 // index.interval.bytes between .index entries
	SegmentIndexBytes  int32 // segment.index.bytes: preallocated index size; roll when full
	MaxMessageBytes    int32 // max.message.bytes: largest batch accepted
	RetentionMs        int64 // retention.ms; -1 = keep forever
	RetentionBytes     int64 // retention.bytes; -1 (or 0) = unlimited
	FlushMessages      int64 // flush.messages: fsync after this many unflushed offsets; 0 = never
	FlushMs            int64 // flush.ms: fsync when the last flush is this old; 0 = never
	FileDeleteDelayMs  int64 // file.delete.delay.ms before a .deleted segment is removed
	TimestampType      TimestampType
	FlushMode          FlushMode // kq's own flush.mode; the zero value acknowledges from the page cache, as Kafka

	// TimestampBeforeMaxMs and TimestampAfterMaxMs are
	// message.timestamp.before.max.ms / after.max.ms; 0 = unlimited
	// (Kafka's default Long.MAX_VALUE). Checked on leader appends with
	// CreateTime only, as Kafka does.
	TimestampBeforeMaxMs int64
	TimestampAfterMaxMs  int64

	// Recompress is true when compression.type names a codec rather than
	// "producer": leader appends then store every data batch compressed
	// with Compression ("uncompressed" is None), recompressing the ones the
	// producer compressed otherwise, as Kafka's LogValidator does.
	Recompress  bool
	Compression recordbatch.Codec

	// Compacted is true when cleanup.policy contains "compact": such
	// topics refuse records without a key, and the log cleaner compacts
	// them (see cleaner.go).
	Compacted bool

	// NoDeletePolicy is true when cleanup.policy lacks "delete" (a
	// compact-only topic such as __consumer_offsets). The log leaves it
	// to its caller: the leader refuses DeleteRecords then, as Kafka's
	// Partition.deleteRecordsOnLeader does.
	NoDeletePolicy bool

	// The log cleaner's topic settings. DeleteRetentionMs is
	// delete.retention.ms (how long a tombstone outlives the cleaning that
	// first kept it; pass 1 for Kafka's 0), MinCompactionLagMs and
	// MaxCompactionLagMs are min./max.compaction.lag.ms (0 = Kafka's
	// defaults: no minimum, no maximum), MinCleanableDirtyRatio is
	// min.cleanable.dirty.ratio (0 = Kafka's 0.5; pass a tiny positive
	// value for Kafka's 0).
	DeleteRetentionMs      int64
	MinCompactionLagMs     int64
	MaxCompactionLagMs     int64
	MinCleanableDirtyRatio float64
}

// DefaultConfig returns Kafka's defaults with every field spelled out.
func DefaultConfig() Config {
	return Config{}.normalized()
}

// normalized replaces zero fields by Kafka's defaults.
func (c Config) normalized() Config {
	setDefault(&c.SegmentBytes, DefaultSegmentBytes)
	setDefault(&c.SegmentMs, DefaultSegmentMs)
	setDefault(&c.IndexIntervalBytes, DefaultIndexIntervalBytes)
	setDefault(&c.SegmentIndexBytes, DefaultSegmentIndexBytes)
	setDefault(&c.MaxMessageBytes, DefaultMaxMessageBytes)
	setDefault(&c.RetentionMs, DefaultRetentionMs)
	setDefault(&c.RetentionBytes, -1)
	setDefault(&c.FlushMessages, unlimited)
	setDefault(&c.FlushMs, unlimited)
	setDefault(&c.FileDeleteDelayMs, DefaultFileDeleteDelayMs)
	setDefault(&c.TimestampBeforeMaxMs, unlimited)
	setDefault(&c.TimestampAfterMaxMs, unlimited)
	setDefault(&c.DeleteRetentionMs, DefaultDeleteRetentionMs)
	setDefault(&c.MaxCompactionLagMs, unlimited)
	if c.MinCleanableDirtyRatio <= 0 {
		c.MinCleanableDirtyRatio = DefaultMinCleanableDirtyRatio
	}
	// An index must hold at least one entry of either kind.
	c.SegmentIndexBytes = max(c.SegmentIndexBytes, 4*timeIndexEntrySize)
	// Index positions are int32, as Kafka's segment.bytes is an int.
	c.SegmentBytes = min(c.SegmentBytes, math.MaxInt32)
	return c
}

func setDefault[T int32 | int64](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

// Clock gives the wall and monotonic time; tests pass a manual one.
type Clock = wallclock.Clock

func nowMs(c Clock) int64 { return c.Now().UnixMilli() }
