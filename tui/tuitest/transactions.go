package tuitest

import (
	"context"

	"github.com/kqhq/kq/admin"
)

// The transaction operations are admintest's (SetTransaction and
// SetProducers stage them); these count what the TUI asks and log the
// aborts among the Calls.

// ListTransactions counts the call ("ListTransactions") and lists.
func (c *Cluster) ListTransactions(ctx context.Context, f admin.TransactionFilter) ([]admin.TransactionListing, error) {
	c.count("ListTransactions", 1)
	return c.fake.ListTransactions(ctx, f)
}

// DescribeTransactions counts the call ("DescribeTransactions") and the
// ids asked ("DescribeTransaction", one per id), and describes.
func (c *Cluster) DescribeTransactions(ctx context.Context, ids ...string) ([]admin.Transaction, error) {
	c.count("DescribeTransactions", 1)
	c.count("DescribeTransaction", len(ids))
	return c.fake.DescribeTransactions(ctx, ids...)
}

// DescribeProducers counts the call ("DescribeProducers") and describes.
func (c *Cluster) DescribeProducers(ctx context.Context, topic string, partitions []int32, brokerID int32) ([]admin.PartitionProducers, error) {
	c.count("DescribeProducers", 1)
	return c.fake.DescribeProducers(ctx, topic, partitions, brokerID)
}

// AbortTransaction records the call, "AbortTransaction orders-0 pid 7
// epoch 2 coordinator-epoch 0 start -1", and aborts.
func (c *Cluster) AbortTransaction(ctx context.Context, spec admin.AbortSpec) error {
	c.record("AbortTransaction %s-%d pid %d epoch %d coordinator-epoch %d start %d", spec.Topic, spec.Partition,
		spec.ProducerID, spec.ProducerEpoch, spec.CoordinatorEpoch, spec.StartOffset)
	return c.fake.AbortTransaction(ctx, spec)
}

func (c *Cluster) count(op string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[op] += n
}
