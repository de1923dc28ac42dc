package controller

import "slices"

// A broker whose log dir fails (an I/O error, a full disk) keeps running
// and serving its other dirs, but its replicas in that dir are gone. As
// Kafka's controller in ZooKeeper mode: the broker writes a
// /log_dir_event_notification node; the controller sends it LeaderAndIsr
// for every partition it hosts; the partitions it answers with
// KAFKA_STORAGE_ERROR are its offline replicas, whose leadership moves to
// the other in-sync replicas and which leave the ISR. A broker that comes
// back with the dir readable (kq: after a restart) catches up and rejoins
// the ISR as any returning follower does.

// onLogDirEvents sends every live broker named LeaderAndIsr for all the
// partitions it hosts and deletes the processed notifications (Kafka's
// LogDirEventNotification). A broker no longer registered is skipped: its
// partitions moved when it left.
func (c *core) onLogDirEvents(e LogDirEventsRead) {
	if len(e.Names) == 0 {
		return
	}
	brokers := slices.Clone(e.Brokers)
	slices.Sort(brokers)
	for _, id := range slices.Compact(brokers) {
		if c.isLive(id) {
			c.log.Warn("broker took a log dir offline; asking which of its replicas are gone", "broker", id)
			c.sendHostedTo(id)
		}
	}
	names := e.Names
	c.then(func() {
		c.emit(DeleteLogDirEvents{ID: c.await(func(Result) {}), Names: names})
	})
}

// sendHostedTo sends one broker LeaderAndIsr for every partition it is a
// replica of, with the states the core holds.
func (c *core) sendHostedTo(id int32) {
	req := c.newLeaderAndIsr()
	for _, name := range c.topicNames() {
		t := c.topics[name]
		for _, p := range allPartitions(t) {
			st, ok := t.states[p]
			if ok && slices.Contains(t.assignment.Replicas[p], id) {
				addLeaderAndIsr(req, name, t, p, st)
			}
		}
	}
	if len(req.TopicStates) > 0 {
		c.emit(Send{Broker: id, Request: req})
	}
}

// onReplicasOffline is Kafka's onReplicasBecomeOffline for replicas in a
// failed log dir: partitions the broker leads get the first other live
// in-sync replica as leader, and it leaves the ISR of those it follows
// (never emptying one). A partition with no other in-sync replica keeps
// its leader, which answers KAFKA_STORAGE_ERROR until it restarts.
func (c *core) onReplicasOffline(e ReplicasOffline) {
	id := e.Broker
	if !c.isLive(id) {
		return
	}
	gone := func(r int32) bool { return r == id || c.isShuttingDown(r) }
	for _, tp := range e.Partitions {
		t, ok := c.topics[tp.Topic]
		if !ok {
			continue
		}
		replicas := t.assignment.Replicas[tp.Partition]
		st, ok := t.states[tp.Partition]
		if !ok || !slices.Contains(replicas, id) || !slices.Contains(st.ISR, id) {
			continue // already out of the ISR: nothing to move
		}
		decide := shrinkIsr(id)
		if st.Leader == id {
			decide = moveLeader(replicas, c.isLive, gone)
		}
		c.log.Warn("replica in an offline log dir", "broker", id, "topic", tp.Topic, "partition", tp.Partition,
			"leader", st.Leader, "isr", st.ISR)
		c.transition(tp, decide, c.announceUnlessDeclined(tp))
	}
}
