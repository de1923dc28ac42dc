// Package replica owns the partitions this broker hosts: for each one, its
// log and its replica state (leader or follower, leader epoch, replicas, ISR,
// the high watermark, the log end offsets of followers).
//
// The controller decides; this package obeys. LeaderAndIsr makes a partition
// leader or follower at a leader epoch (stale epochs are ignored), StopReplica
// removes it. On the leader, the high watermark is the minimum log end offset
// over the ISR; consumers read below it and acks=all producers wait for it.
//
// Waiting is channel based: every partition has a "changed" channel that is
// closed and replaced whenever its log end offset or high watermark moves,
// so a long-polling fetch or an acks=all produce waits with select, without
// a goroutine per waiter and without polling.
package replica
