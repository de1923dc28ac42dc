package controller

import (
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
)

// onReassignmentsRequested is AlterPartitionReassignments: each
// partition's request is validated, the request overrides any entry for
// the same partition in /admin/reassign_partitions, and the valid ones
// start (Kafka's validateReplicas, maybeBuildReassignment and
// maybeTriggerPartitionReassignment). The reply holds each partition's
// refusal, or nil.
func (c *core) onReassignmentsRequested(e ReassignmentsRequested) {
	out := make(map[TopicPartition]error, len(e.Targets))
	plan := map[TopicPartition]PartitionAssignment{}
	for _, tp := range sortedPartitions(e.Targets) {
		if err := c.planReassignment(tp, e.Targets[tp], plan); err != nil {
			out[tp] = err
		}
	}
	planned := sortedPartitions(plan)
	// The latest request wins over an old tool's entry for the partition.
	c.emit(RemoveReassignRequests{ID: c.await(func(Result) {}), Partitions: planned})
	c.then(func() {
		c.batch()
		for _, tp := range planned {
			if err := c.refuseReassignment(tp, e.Deleting); err != nil {
				out[tp] = err
				continue
			}
			out[tp] = nil
			c.reassignPartition(tp, plan[tp], func(err error) {
				if err != nil {
					out[tp] = reassignErrorf(kerr.UnknownServerError, "%v", err)
				}
			})
		}
		c.then(func() { c.emit(Reply{Op: e.Op, Value: out}) })
	})
}

// planReassignment validates one partition's request and adds the
// assignment it leads to to plan.
func (c *core) planReassignment(tp TopicPartition, target []int32, plan map[TopicPartition]PartitionAssignment) error {
	cur, _ := c.partitionAssignment(tp)
	if target != nil {
		if err := c.validateTarget(cur, target); err != nil {
			return err
		}
	}
	switch {
	case target != nil:
		plan[tp] = cur.reassignTo(target)
	case cur.reassigning():
		plan[tp] = cur.reassignTo(cur.origin())
	default:
		return &ReassignError{Code: kerr.NoReassignmentInProgress}
	}
	return nil
}

func (c *core) validateTarget(cur PartitionAssignment, target []int32) error {
	switch {
	case len(target) == 0:
		return reassignErrorf(kerr.InvalidReplicaAssignment, "Empty replica list specified in partition reassignment.")
	case len(distinct(target)) != len(target):
		return reassignErrorf(kerr.InvalidReplicaAssignment, "Duplicate replica ids in partition reassignment replica list: %s", idList(target))
	case slices.ContainsFunc(target, func(id int32) bool { return id < 0 }):
		return reassignErrorf(kerr.InvalidReplicaAssignment, "Invalid broker id in replica list: %s", idList(target))
	}
	adding := cur.reassignTo(target).Adding
	if !subset(adding, c.liveIDs()) {
		return reassignErrorf(kerr.InvalidReplicaAssignment, "Replica assignment has brokers that are not alive. Replica list: %s, live broker list: %s",
			idList(adding), idList(c.liveIDs()))
	}
	return nil
}

// refuseReassignment refuses partitions that do not exist and topics
// queued for deletion.
func (c *core) refuseReassignment(tp TopicPartition, deleting map[string]bool) error {
	if _, ok := c.partitionAssignment(tp); !ok {
		return reassignErrorf(kerr.UnknownTopicOrPartition, "The partition does not exist.")
	}
	if deleting[tp.Topic] {
		return reassignErrorf(kerr.UnknownTopicOrPartition, "The partition does not exist: topic %s is being deleted.", tp.Topic)
	}
	return nil
}

// onReassignmentsListRequested answers ListPartitionReassignments: the
// partitions named (or all) that are being reassigned.
func (c *core) onReassignmentsListRequested(e ReassignmentsListRequested) {
	only := e.Only
	if only == nil {
		only = c.allTopicPartitions()
	}
	out := map[TopicPartition]Reassignment{}
	for _, tp := range only {
		if a, ok := c.partitionAssignment(tp); ok && a.reassigning() {
			out[tp] = Reassignment{Replicas: slices.Clone(a.Replicas), Adding: slices.Clone(a.Adding), Removing: slices.Clone(a.Removing)}
		}
	}
	c.emit(Reply{Op: e.Op, Value: out})
}

// onReassignRequestsRead carries out /admin/reassign_partitions, Kafka's
// ZkPartitionReassignment event. Entries already under way towards the
// same replicas are left to run; entries already done, for unknown
// partitions or with invalid replicas are dropped from the node. Right
// after an election (Resume) it then continues every partition whose
// assignment still lists adding or removing replicas (Kafka's
// initializePartitionReassignments): a resumed reassignment starts its
// first phase again, so replicas that missed it before the failover hear
// of it.
func (c *core) onReassignRequestsRead(e ReassignRequestsRead) {
	started := map[TopicPartition]bool{}
	if e.Resume {
		c.then(func() { c.resumeReassignments(started) })
	}
	if e.Malformed {
		c.log.Error("dropping a malformed /admin/reassign_partitions")
		c.emit(RemoveReassignRequests{ID: c.await(func(Result) {}), All: true})
		return
	}
	var drop []TopicPartition
	c.batch()
	for _, tp := range sortedPartitions(e.Requests) {
		next, ok := c.requestedAssignment(tp, e.Requests[tp], e.Deleting)
		if !ok {
			drop = append(drop, tp)
			continue
		}
		if cur, _ := c.partitionAssignment(tp); cur.equal(next) && cur.reassigning() {
			continue // under way already
		}
		started[tp] = true
		c.reassignPartition(tp, next, c.logAbandoned(tp))
	}
	if len(drop) > 0 {
		c.emit(RemoveReassignRequests{ID: c.await(func(Result) {}), Partitions: drop})
	}
}

func (c *core) resumeReassignments(started map[TopicPartition]bool) {
	c.batch()
	for _, tp := range c.allTopicPartitions() {
		a, _ := c.partitionAssignment(tp)
		if !a.reassigning() || started[tp] {
			continue
		}
		c.log.Info("resuming partition reassignment", "topic", tp.Topic, "partition", tp.Partition, "target", a.target())
		c.reassignPartition(tp, a, c.logAbandoned(tp))
	}
}

// requestedAssignment checks one entry of /admin/reassign_partitions and
// returns the assignment it asks for; ok is false for an entry to drop:
// done already, or refused (logged).
func (c *core) requestedAssignment(tp TopicPartition, target []int32, deleting map[string]bool) (PartitionAssignment, bool) {
	cur, _ := c.partitionAssignment(tp)
	err := c.validateTarget(cur, target)
	if err == nil {
		err = c.refuseReassignment(tp, deleting)
	}
	if err != nil {
		c.log.Warn("dropping a reassignment request", "topic", tp.Topic, "partition", tp.Partition, "replicas", target, "err", err)
		return PartitionAssignment{}, false
	}
	next := cur.reassignTo(target)
	if !cur.reassigning() && cur.equal(next) {
		return next, false // nothing to do: the partition has these replicas
	}
	return next, true
}

// logAbandoned returns a reassignPartition's done function that logs a
// reassignment step given up.
func (c *core) logAbandoned(tp TopicPartition) func(error) {
	return func(err error) {
		if err != nil {
			c.log.Error("partition reassignment step given up", "topic", tp.Topic, "partition", tp.Partition, "err", err)
		}
	}
}
