package group

// Committed is one committed offset of a group, for metrics.
type Committed struct {
	Group string
	TopicPartition
	Offset int64
}

// CommittedOffsets returns the committed offsets of every group this
// broker coordinates (transactional ones once their transaction
// committed), for consumer lag metrics. Groups of a partition still
// loading are missing.
func (c *Coordinator) CommittedOffsets() []Committed {
	var out []Committed
	for _, s := range c.shards {
		s.mu.Lock()
		for _, g := range s.groups {
			for tp, o := range g.offsets {
				out = append(out, Committed{Group: g.id, TopicPartition: tp, Offset: o.Offset})
			}
		}
		s.mu.Unlock()
	}
	return out
}
