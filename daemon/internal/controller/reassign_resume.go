package controller

import (
	"context"
	"errors"
)

// resumeReassignments continues what the metadata store records as under
// way when a controller takes over (or reloads its state), Kafka's
// initializePartitionReassignments: first the requests old tools wrote to
// /admin/reassign_partitions, then every partition whose assignment znode
// still lists adding or removing replicas. A resumed reassignment starts
// its first phase again (a new leader epoch, LeaderAndIsr to every
// replica), so replicas that missed it before the failover hear of it.
func (l *loop) resumeReassignments(ctx context.Context) error {
	fromRequests, err := l.onReassignRequests(ctx)
	if err != nil {
		return err
	}
	b := newBatch()
	defer func() { l.sendBatch(b) }()
	for _, tp := range l.partitionsOrAll(nil) {
		a, _ := l.partitionAssignment(tp)
		if !a.reassigning() || fromRequests[tp] {
			continue
		}
		l.c.log.Info("resuming partition reassignment", "topic", tp.Topic, "partition", tp.Partition, "target", a.target())
		if err := l.reassignPartition(ctx, b, tp, a); err != nil {
			return err
		}
	}
	return nil
}

// onReassignRequests carries out /admin/reassign_partitions, Kafka's
// ZkPartitionReassignment event, and keeps watching the node. Entries
// already under way towards the same replicas are left to run; entries
// already done, for unknown partitions or with invalid replicas are
// dropped from the node (which goes once it names nothing). It returns the
// partitions it started.
func (l *loop) onReassignRequests(ctx context.Context) (map[TopicPartition]bool, error) {
	reqs, ch, err := l.c.cfg.Store.ReassignRequests(ctx)
	if ch != nil && !l.reassign.requests {
		l.reassign.requests = true
		l.watchThen(ctx, ch, func(ctx context.Context, l *loop) error {
			l.reassign.requests = false
			_, err := l.onReassignRequests(ctx)
			return err
		})
	}
	if errors.Is(err, ErrMalformed) {
		l.c.log.Error("dropping a malformed /admin/reassign_partitions", "err", err)
		return nil, l.c.cfg.Store.RemoveReassignRequests(ctx, func(TopicPartition, []int32) bool { return true })
	}
	if err != nil {
		return nil, err
	}
	started := map[TopicPartition]bool{}
	drop := map[TopicPartition]bool{}
	b := newBatch()
	defer func() { l.sendBatch(b) }()
	for _, tp := range sortedPartitions(reqs) {
		next, ok := l.requestedAssignment(ctx, tp, reqs[tp])
		if !ok {
			drop[tp] = true
			continue
		}
		if cur, _ := l.partitionAssignment(tp); cur.equal(next) && cur.reassigning() {
			continue // under way already
		}
		started[tp] = true
		if err := l.reassignPartition(ctx, b, tp, next); err != nil {
			return nil, err
		}
	}
	if len(drop) == 0 {
		return started, nil
	}
	return started, l.c.cfg.Store.RemoveReassignRequests(ctx, func(tp TopicPartition, _ []int32) bool { return drop[tp] })
}

// requestedAssignment checks one entry of /admin/reassign_partitions and
// returns the assignment it asks for; ok is false for an entry to drop:
// done already, or refused (logged).
func (l *loop) requestedAssignment(ctx context.Context, tp TopicPartition, target []int32) (PartitionAssignment, bool) {
	cur, _ := l.partitionAssignment(tp)
	err := l.validateTarget(cur, target)
	if err == nil {
		err = l.refuseReassignment(ctx, tp)
	}
	if err != nil {
		l.c.log.Warn("dropping a reassignment request", "topic", tp.Topic, "partition", tp.Partition, "replicas", target, "err", err)
		return PartitionAssignment{}, false
	}
	next := cur.reassignTo(target)
	if !cur.reassigning() && cur.equal(next) {
		return next, false // nothing to do: the partition has these replicas
	}
	return next, true
}
