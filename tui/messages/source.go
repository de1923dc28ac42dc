package messages

import (
	"context"

	"github.com/kqhq/kq/admin"
)

// Source is what the view reads the cluster through. The CLI joins its
// admin client and consumer factory into one; tests use a fake.
type Source interface {
	// ListOffsets is admin.Client.ListOffsets: the log start
	// (admin.EarliestOffset), the end (admin.LatestOffset) or the first
	// offset at or after a time in milliseconds, per partition.
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error)
	// NewConsumer builds a consumer of fixed partitions (conf.Start); it
	// must not block on the cluster.
	NewConsumer(conf admin.ConsumerConfig) (Consumer, error)
}

// Consumer is the part of admin.Consumer a tail uses.
type Consumer interface {
	// Poll waits for the next records until ctx ends.
	Poll(ctx context.Context) ([]admin.Record, error)
	// Close releases the consumer; it may be called while a Poll waits,
	// which then returns.
	Close()
}

// AllPartitions, as Options.Partition, tails every partition of the
// topic, merged by timestamp.
const AllPartitions int32 = -1
