package controller

import (
	"maps"
	"slices"
)

// onElected takes the cluster as read after the election, elects leaders
// for partitions without a live one, and tells every broker everything
// (Kafka's onControllerFailover).
func (c *core) onElected(e Elected) {
	c.epoch = e.Epoch
	c.live = maps.Clone(e.Snapshot.Live)
	c.epochs = maps.Clone(e.Snapshot.Epochs)
	c.topics = map[string]*topicState{}
	c.shuttingDown = map[int32]int64{}
	for name, t := range e.Snapshot.Topics {
		c.topics[name] = newTopicState(t)
	}
	c.restartReplicas(c.registeredSinceState)
	b := c.batch()
	for _, name := range c.topicNames() {
		all := allPartitions(c.topics[name])
		c.electWhereNeeded(name, all)
		b.leaderAndIsrFor(name, all...)
	}
}

// registeredSinceState reports, for a partition's state, the brokers that
// registered after the state was last written: a leader or ISR member among
// them restarted without the previous controller handling it (it died as
// the controller did, and came back before this one read the cluster).
func (c *core) registeredSinceState(_ TopicPartition, s PartitionState) func(int32) bool {
	return func(id int32) bool {
		epoch, ok := c.epochs[id]
		return ok && s.Zxid > 0 && epoch > s.Zxid
	}
}

func newTopicState(t TopicSnapshot) *topicState {
	a := t.Assignment
	if a.Replicas == nil {
		a.Replicas = map[int32][]int32{}
	}
	states := maps.Clone(t.States)
	if states == nil {
		states = map[int32]PartitionState{}
	}
	return &topicState{assignment: a, states: states}
}

// onBrokersChanged handles brokers joining and leaving. A broker whose
// registration epoch changed since the last look left and came back
// between two reads (a crash and a quick restart): Kafka's "bounced"
// broker. Its new process knows nothing of what its predecessor led, so
// its partitions are moved or re-elected at a new epoch (restartReplicas)
// and it is told all its partitions again, as a new broker is.
func (c *core) onBrokersChanged(e BrokersChanged) {
	restarted := c.bounced(e)
	if len(restarted) > 0 {
		c.log.Info("brokers registered again since last seen (restarted)", "brokers", restarted)
		c.restartReplicas(func(TopicPartition, PartitionState) func(int32) bool {
			return func(id int32) bool { return slices.Contains(restarted, id) }
		})
	}
	c.applyBrokers(e, restarted)
	c.epochs = maps.Clone(e.Epochs)
}

// bounced lists the brokers live before and now whose registration epoch
// (czxid) differs from the one last seen.
func (c *core) bounced(e BrokersChanged) []int32 {
	var out []int32
	for _, id := range slices.Sorted(maps.Keys(e.Live)) {
		before, known := c.epochs[id]
		now, read := e.Epochs[id]
		if _, wasLive := c.live[id]; wasLive && known && read && before != now {
			out = append(out, id)
		}
	}
	return out
}

// restartReplicas writes, for every partition a restarted broker led or
// was in sync for, the state its restart calls for (afterRestart).
// restartedFor tells, per partition, which brokers restarted unseen.
func (c *core) restartReplicas(restartedFor func(TopicPartition, PartitionState) func(int32) bool) {
	for _, name := range c.topicNames() {
		t := c.topics[name]
		for _, p := range allPartitions(t) {
			tp := TopicPartition{name, p}
			cur, ok := c.state(tp)
			if !ok || cur.Leader < 0 {
				continue // an offline partition is elected when its replicas return, as usual
			}
			isRestarted := restartedFor(tp, cur)
			if !slices.ContainsFunc(append([]int32{cur.Leader}, cur.ISR...), isRestarted) {
				continue
			}
			c.log.Info("partition leader or in-sync replica restarted unseen", "topic", name, "partition", p,
				"leader", cur.Leader, "isr", cur.ISR)
			replicas := t.assignment.Replicas[p]
			decide := func(cur PartitionState) (PartitionState, error) {
				return afterRestart(cur, replicas, c.isLive, isRestarted), nil
			}
			c.transition(tp, decide, func(declined error) {
				if declined == nil {
					c.batch().leaderAndIsrFor(name, p)
				}
			})
		}
	}
}

// applyBrokers: partitions led by departed brokers get new leaders, ISRs
// drop departed members, offline partitions whose replicas returned come
// back, and every broker learns the new cluster (Kafka's onBrokerStartup
// and onBrokerFailure).
func (c *core) applyBrokers(e BrokersChanged, restarted []int32) {
	added := append(newKeys(e.Live, c.live), restarted...)
	removed := newKeys(c.live, e.Live)
	c.live = maps.Clone(e.Live)
	c.forgetShutdowns(e.Epochs)
	if len(added)+len(removed) > 0 {
		c.log.Info("live brokers changed", "live", c.liveIDs(), "added", added, "removed", removed)
	}
	b := c.batch()
	for _, name := range c.topicNames() {
		t := c.topics[name]
		all := allPartitions(t)
		c.electWhereNeeded(name, all)
		b.updateMetadataFor(name, all...)
		for _, p := range all {
			if hostsAny(t.assignment.Replicas[p], added) {
				b.leaderAndIsrFor(name, p)
			}
		}
	}
}

// forgetShutdowns drops the shutting-down mark of brokers that left, or
// that registered again (a new epoch: a restart the controller saw only
// as a change of data, not as a departure).
func (c *core) forgetShutdowns(epochs map[int32]int64) {
	for id, epoch := range c.shuttingDown {
		current, ok := epochs[id]
		if !c.isRegistered(id) || !ok || current != epoch {
			delete(c.shuttingDown, id)
		}
	}
}

// onTopicsChanged picks up created topics and forgets removed ones.
func (c *core) onTopicsChanged(e TopicsChanged) {
	b := c.batch()
	for _, name := range sortedKeys(e.Loaded) {
		if c.hasTopic(name) {
			continue
		}
		t := newTopicState(e.Loaded[name])
		c.topics[name] = t
		c.log.Info("new topic", "topic", name, "partitions", len(t.assignment.Replicas))
		c.onNewPartitions(name, allPartitions(t))
	}
	for _, gone := range newKeys(c.topics, setOf(e.Names)) {
		b.deleted = append(b.deleted, gone)
		delete(c.topics, gone)
	}
}

// onAssignmentChanged picks up partitions added to a topic.
func (c *core) onAssignmentChanged(e AssignmentChanged) {
	t, ok := c.topics[e.Topic]
	if !ok {
		return
	}
	var added []int32
	for p, replicas := range e.Assignment.Replicas {
		if _, had := t.assignment.Replicas[p]; !had {
			added = append(added, p)
		}
		t.assignment.Replicas[p] = replicas
	}
	if len(added) == 0 {
		return
	}
	slices.Sort(added)
	c.log.Info("partitions added", "topic", e.Topic, "partitions", added)
	c.onNewPartitions(e.Topic, added)
}

func (c *core) onNewPartitions(name string, partitions []int32) {
	c.electWhereNeeded(name, partitions)
	c.batch().updateMetadataFor(name, partitions...)
}

// onIsrChanged handles /isr_change_notification: leaders changed the ISRs
// of the named partitions in their state znodes. The controller takes
// those states, sends UpdateMetadata to every live broker and deletes the
// processed notifications (Kafka's IsrChangeNotification event).
func (c *core) onIsrChanged(e IsrChanged) {
	if len(e.Names) == 0 {
		return
	}
	b := c.batch()
	for _, topic := range sortedKeys(e.States) {
		t, ok := c.topics[topic]
		if !ok {
			continue
		}
		changed := refreshStates(t, e.States[topic])
		b.updateMetadataFor(topic, changed...)
		// A leader may have added a broker that died or began shutting down
		// after its fetch was answered: take it out again now, since no
		// broker change will come to do it.
		c.electWhereNeeded(topic, changed)
	}
	names := e.Names
	c.then(func() {
		c.emit(DeleteIsrChanges{ID: c.await(func(Result) {}), Names: names})
	})
}

// refreshStates takes states read from the store into a topic and returns
// the partitions whose state differs from the one held.
func refreshStates(t *topicState, states map[int32]PartitionState) []int32 {
	var changed []int32
	for p, s := range states {
		if cur, had := t.states[p]; !had || cur.Version != s.Version {
			changed = append(changed, p)
		}
		t.states[p] = s
	}
	slices.Sort(changed)
	return changed
}

// onDeletionsRequested carries out requested topic deletions: replicas
// stop and delete their logs, brokers drop the topic from their caches,
// and the topic's znodes are removed so the name can be reused at once.
// With delete.topic.enable false the request is dropped and the topic
// kept, as Kafka's controller does for markers written straight to the
// store.
func (c *core) onDeletionsRequested(e DeletionsRequested) {
	b := c.batch()
	for _, name := range e.Topics {
		if !c.cfg.DeleteTopicEnable() {
			c.log.Warn("ignoring a deletion request: delete.topic.enable is false", "topic", name)
			c.emit(CancelTopicDeletion{ID: c.await(func(Result) {}), Topic: name})
			continue
		}
		if t, ok := c.topics[name]; ok {
			for _, p := range allPartitions(t) {
				b.stopReplicaFor(name, p, t.assignment.Replicas[p])
			}
			b.deleted = append(b.deleted, name)
		}
		c.emit(RemoveTopic{ID: c.await(func(Result) {}), Topic: name})
		delete(c.topics, name)
		c.log.Info("topic deleted", "topic", name)
	}
}

// newKeys returns the keys of a that are not in b, sorted.
func newKeys[K int32 | string, V1, V2 any](a map[K]V1, b map[K]V2) []K {
	var out []K
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func setOf(names []string) map[string]struct{} {
	m := make(map[string]struct{}, len(names))
	for _, n := range names {
		m[n] = struct{}{}
	}
	return m
}

func hostsAny(replicas, brokers []int32) bool {
	for _, b := range brokers {
		if slices.Contains(replicas, b) {
			return true
		}
	}
	return false
}
