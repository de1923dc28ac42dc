package controller

import (
	"slices"
	"time"
)

// RebalanceConfig is auto.leader.rebalance.enable and its settings.
type RebalanceConfig struct {
	Enable bool
	// Interval is leader.imbalance.check.interval.seconds.
	Interval time.Duration
	// ImbalancePercentage is leader.imbalance.per.broker.percentage: a
	// broker whose share of preferred partitions led elsewhere is above it
	// gets its leaderships back.
	ImbalancePercentage int
}

// leadership is one partition's preferred replica and current leader.
type leadership struct {
	tp        TopicPartition
	preferred int32
	leader    int32
}

func (c *core) leaderships() []leadership {
	var out []leadership
	for _, name := range c.topicNames() {
		t := c.topics[name]
		for _, p := range allPartitions(t) {
			replicas := t.assignment.Replicas[p]
			st, ok := t.states[p]
			if !ok || len(replicas) == 0 {
				continue
			}
			out = append(out, leadership{tp: TopicPartition{name, p}, preferred: replicas[0], leader: st.Leader})
		}
	}
	return out
}

// imbalanced returns, for every broker whose imbalance ratio (its
// preferred partitions led by another broker, over its preferred
// partitions) is above percent, those partitions led elsewhere.
func imbalanced(ls []leadership, percent int) []TopicPartition {
	total, away := map[int32]int{}, map[int32][]TopicPartition{}
	for _, x := range ls {
		total[x.preferred]++
		if x.leader != x.preferred {
			away[x.preferred] = append(away[x.preferred], x.tp)
		}
	}
	brokers := make([]int32, 0, len(away))
	for b := range away {
		brokers = append(brokers, b)
	}
	slices.Sort(brokers)
	var out []TopicPartition
	for _, b := range brokers {
		if len(away[b])*100 > percent*total[b] {
			out = append(out, away[b]...)
		}
	}
	return out
}

// canPreferredLead: the preferred replica is live (and not shutting
// down), in the ISR, and the partition is not being reassigned.
func (c *core) canPreferredLead(tp TopicPartition) bool {
	t := c.topics[tp.Topic]
	replicas, st := t.assignment.Replicas[tp.Partition], t.states[tp.Partition]
	if len(t.assignment.Adding[tp.Partition])+len(t.assignment.Removing[tp.Partition]) > 0 {
		return false
	}
	return c.isLive(replicas[0]) && slices.Contains(st.ISR, replicas[0])
}
