package controller

import "slices"

// nextState is Kafka's election for a partition whose leader or ISR members
// died: the ISR loses its dead members (but keeps its last one, so that
// broker can lead again cleanly when it returns); a dead leader is replaced
// by the first live ISR member in assignment order, or, when the topic
// allows unclean election, by any live replica. ok is false when nothing
// changes.
func nextState(cur PartitionState, replicas []int32, live func(int32) bool, unclean bool) (PartitionState, bool) {
	isr := slices.DeleteFunc(slices.Clone(cur.ISR), func(id int32) bool { return !live(id) })
	if len(isr) == 0 && len(cur.ISR) > 0 {
		isr = []int32{cur.ISR[len(cur.ISR)-1]}
	}
	leader := cur.Leader
	if leader < 0 || !live(leader) {
		leader = pickLeader(replicas, isr, live, unclean)
	}
	if leader >= 0 && !slices.Contains(isr, leader) {
		isr = []int32{leader} // unclean: the new leader's log is the truth
	}
	if leader == cur.Leader && slices.Equal(isr, cur.ISR) {
		return cur, false
	}
	next := cur
	next.Leader, next.ISR = leader, isr
	next.LeaderEpoch = cur.LeaderEpoch + 1
	return next, true
}

func pickLeader(replicas, isr []int32, live func(int32) bool, unclean bool) int32 {
	for _, r := range replicas {
		if live(r) && slices.Contains(isr, r) {
			return r
		}
	}
	if unclean {
		for _, r := range replicas {
			if live(r) {
				return r
			}
		}
	}
	return -1
}

// afterRestart is a partition's next state when some of its replicas
// restarted (restarted reports which): they leave the ISR, since their new
// process has not fetched yet, and a restarted leader hands over to the
// first live replica left in the ISR, or, when it was the last in-sync
// one, leads again (its log is the partition's). The leader epoch always
// moves on, so every replica, the new processes included, takes the state.
func afterRestart(cur PartitionState, replicas []int32, live, restarted func(int32) bool) PartitionState {
	next := cur
	next.LeaderEpoch = cur.LeaderEpoch + 1
	isr := slices.DeleteFunc(slices.Clone(cur.ISR), restarted)
	if !restarted(cur.Leader) {
		next.ISR = isr
		return next
	}
	if leader := pickLeader(replicas, isr, live, false); leader >= 0 {
		next.Leader, next.ISR = leader, isr
		return next
	}
	next.ISR = []int32{cur.Leader}
	return next
}
