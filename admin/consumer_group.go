package admin

import (
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// groupOpts make a consumer a group member: partitions come from the
// group's coordinator, start at the committed offsets, and only records
// marked consumed are committed (every second, on rebalance and on Close),
// so a record read but never shown is read again by the group.
//
// The group properties (session.timeout.ms, group.instance.id, ...) come
// after kq's defaults, and what the command decided (the group, where to
// start) last.
func groupOpts(conf ConsumerConfig, cc ClientConfig) []kgo.Opt {
	reset := kgo.NewOffset().AtEnd()
	switch {
	case conf.NoReset:
		reset = kgo.NoResetOffset()
	case conf.FromEarliest:
		reset = kgo.NewOffset().AtStart()
	}
	commit := kgo.AutoCommitMarks()
	if cc.consumer.noAutoCommit {
		commit = kgo.DisableAutoCommit()
	}
	opts := append([]kgo.Opt{commit, kgo.AutoCommitInterval(time.Second)}, cc.groupOpts...)
	return append(opts, kgo.ConsumerGroup(conf.Group), kgo.ConsumeTopics(conf.Topics...),
		kgo.ConsumeResetOffset(reset))
}

// MarkConsumed marks records as consumed: a group member commits them.
func (c *Consumer) MarkConsumed(recs ...Record) {
	if !c.group || !c.commit || len(recs) == 0 {
		return
	}
	offsets := map[string]map[int32]kgo.EpochOffset{}
	for _, r := range recs {
		if offsets[r.Topic] == nil {
			offsets[r.Topic] = map[int32]kgo.EpochOffset{}
		}
		offsets[r.Topic][r.Partition] = kgo.EpochOffset{Epoch: -1, Offset: r.Offset + 1}
	}
	c.cl.MarkCommitOffsets(offsets)
}
