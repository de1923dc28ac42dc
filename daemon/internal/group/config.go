package group

import "time"

// Config holds the broker settings the coordinator follows (group.* and
// offsets.* in server.properties).
type Config struct {
	// MinSessionTimeout and MaxSessionTimeout bound what a member may ask
	// for (group.min.session.timeout.ms, group.max.session.timeout.ms).
	MinSessionTimeout, MaxSessionTimeout time.Duration
	// InitialRebalanceDelay is how long a new group waits for more members
	// before its first rebalance (group.initial.rebalance.delay.ms).
	InitialRebalanceDelay time.Duration
	// MaxSize is group.max.size.
	MaxSize int
	// NewMemberJoinTimeout removes a new member whose first join never
	// completes (Kafka's fixed 5 minutes).
	NewMemberJoinTimeout time.Duration
	// MaxMetadataBytes is offset.metadata.max.bytes.
	MaxMetadataBytes int
	// Partitions is offsets.topic.num.partitions.
	Partitions int32
	// OffsetsRetention is offsets.retention.minutes.
	OffsetsRetention time.Duration
	// RetentionCheckInterval is offsets.retention.check.interval.ms.
	RetentionCheckInterval time.Duration
	// LoadBufferBytes is how much of a partition one read takes while
	// loading (offsets.load.buffer.size).
	LoadBufferBytes int32
}

// DefaultConfig is Kafka 3.9's defaults.
func DefaultConfig() Config {
	return Config{
		MinSessionTimeout:      6 * time.Second,
		MaxSessionTimeout:      30 * time.Minute,
		InitialRebalanceDelay:  3 * time.Second,
		MaxSize:                1<<31 - 1,
		NewMemberJoinTimeout:   5 * time.Minute,
		MaxMetadataBytes:       4096,
		Partitions:             50,
		OffsetsRetention:       7 * 24 * time.Hour,
		RetentionCheckInterval: 10 * time.Minute,
		LoadBufferBytes:        5 << 20,
	}
}
