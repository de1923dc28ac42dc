package handler

import "slices"

// The leader side of Kafka's replication throttle: a follower's fetch of
// a partition the topic's leader.replication.throttled.replicas names for
// this broker gets no records while leader.replication.throttled.rate is
// exceeded, unless the follower is in the ISR (ReplicaManager's
// shouldLeaderThrottle); the bytes served for such partitions count
// against the rate.

// leaderThrottled says whether a follower's read of pp is held back now.
func (p fetchPlan) leaderThrottled(pp plannedPartition) bool {
	q := p.h.deps.LeaderThrottle
	if p.replicaID < 0 || !q.IsThrottled(pp.part.Topic, pp.part.Index) {
		return false
	}
	return !slices.Contains(pp.part.State().ISR, p.replicaID) && q.Exceeded()
}

// recordLeaderReplication counts what a follower fetch answers for
// throttled partitions.
func (p fetchPlan) recordLeaderReplication(r fetchRead) {
	q := p.h.deps.LeaderThrottle
	if p.replicaID < 0 || q == nil {
		return
	}
	var n int64
	for i, pp := range p.partitions {
		if pp.part != nil && r.results[i].errCode == 0 && q.IsThrottled(pp.part.Topic, pp.part.Index) {
			n += int64(r.results[i].res.Data.Len)
		}
	}
	q.Record(n)
}
