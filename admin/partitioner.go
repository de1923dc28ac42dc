package admin

import "github.com/twmb/franz-go/pkg/kgo"

// explicitOrDefault partitions records whose Partition is already set (>= 0)
// to that partition, and hands the rest (AnyPartition) to Kafka's default
// partitioner. It lets one producer keep the partitions of records read back
// from JSON while hashing keys for plain lines.
type explicitOrDefault struct{ fallback kgo.Partitioner }

func newExplicitOrDefault(fallback kgo.Partitioner) kgo.Partitioner {
	return explicitOrDefault{fallback: fallback}
}

func (p explicitOrDefault) ForTopic(topic string) kgo.TopicPartitioner {
	return &explicitTopicPartitioner{fallback: p.fallback.ForTopic(topic)}
}

type explicitTopicPartitioner struct{ fallback kgo.TopicPartitioner }

// RequiresConsistency is true for explicit partitions so kgo passes the
// full partition list, where index i is partition i.
func (p *explicitTopicPartitioner) RequiresConsistency(r *kgo.Record) bool {
	return r.Partition >= 0 || p.fallback.RequiresConsistency(r)
}

func (p *explicitTopicPartitioner) Partition(r *kgo.Record, n int) int {
	if r.Partition >= 0 {
		return int(r.Partition) // kgo fails the record if this is >= n
	}
	return p.fallback.Partition(r, n)
}

// PartitionByBackup makes this a kgo.TopicBackupPartitioner, so a fallback
// that is one keeps its load-aware choice.
func (p *explicitTopicPartitioner) PartitionByBackup(r *kgo.Record, n int, backup kgo.TopicBackupIter) int {
	if r.Partition >= 0 {
		return int(r.Partition)
	}
	if b, ok := p.fallback.(kgo.TopicBackupPartitioner); ok {
		return b.PartitionByBackup(r, n, backup)
	}
	return p.fallback.Partition(r, n)
}

// OnNewBatch forwards to a sticky fallback so it moves on after a batch.
func (p *explicitTopicPartitioner) OnNewBatch() {
	if o, ok := p.fallback.(kgo.TopicPartitionerOnNewBatch); ok {
		o.OnNewBatch()
	}
}
