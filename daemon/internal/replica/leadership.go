package replica

// LeadershipHook learns, once a LeaderAndIsr or StopReplica has taken
// effect on a partition, whether this broker now leads it (at leaderEpoch)
// or no longer does (leader false: a follower, or stopped). It runs on the
// controller request's goroutine, so it must not block. The group
// coordinator uses it to load and unload __consumer_offsets partitions.
type LeadershipHook func(topic string, partition int32, leader bool, leaderEpoch int32)

// WithLeadershipHook sets the hook told of leadership changes.
func WithLeadershipHook(h LeadershipHook) Option { return func(m *Manager) { m.leadership = h } }

func (m *Manager) notifyLeadership(topic string, partition int32, leader bool, leaderEpoch int32) {
	if m.leadership != nil {
		m.leadership(topic, partition, leader, leaderEpoch)
	}
}
