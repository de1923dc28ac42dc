package daemon

import (
	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// startGroups builds the group coordinator over the replica manager. It
// serves no group until the controller makes this broker leader of a
// __consumer_offsets partition (onLeadership).
func (d *Daemon) startGroups() {
	d.stopGroups = make(chan struct{})
	c := d.cfg.GroupCoordinator
	d.groups = group.New(group.Options{
		Config: group.Config{
			MinSessionTimeout:      millis(c.GroupMinSessionTimeoutMs),
			MaxSessionTimeout:      millis(c.GroupMaxSessionTimeoutMs),
			InitialRebalanceDelay:  millis(c.GroupInitialRebalanceDelayMs),
			MaxSize:                int(c.GroupMaxSize),
			NewMemberJoinTimeout:   group.DefaultConfig().NewMemberJoinTimeout,
			MaxMetadataBytes:       int(c.OffsetMetadataMaxBytes),
			Partitions:             c.OffsetsTopicNumPartitions,
			OffsetsRetention:       millis(c.OffsetsRetentionMs),
			RetentionCheckInterval: millis(c.OffsetsRetentionCheckIntervalMs),
			LoadBufferBytes:        int32(min(c.OffsetsLoadBufferSize, 1<<30)),
		},
		Log: group.ReplicaLog{
			Replicas:  d.replica,
			MinInsync: func() int { return d.configs.MinInsyncReplicas(group.TopicName) },
			Timeout:   millis(c.OffsetsCommitTimeoutMs),
			Stop:      d.stopGroups,
		},
		Logger: d.log.With("component", "group-coordinator"),
	})
	d.groups.StartExpiry()
}

// onLeadership is the replica manager's leadership hook: leading a
// __consumer_offsets partition makes this broker the coordinator of its
// groups.
func (d *Daemon) onLeadership(topic string, partition int32, leader bool, epoch int32) {
	if topic == txn.TopicName {
		d.onTxnLeadership(partition, leader, epoch)
		return
	}
	if topic != group.TopicName || d.groups == nil {
		return
	}
	if leader {
		d.groups.BecameLeader(partition, epoch)
	} else {
		d.groups.BecameFollower(partition)
	}
}

// closeGroups ends pending offset writes and unloads every group.
func (d *Daemon) closeGroups() {
	if d.groups == nil {
		return
	}
	close(d.stopGroups)
	d.groups.Close()
}
