package controller

// reassignWatches remembers which watches partition reassignment holds,
// so that restarting a reassignment (a new target, a reload of the loop's
// state) does not stack a second watch on the same znode.
type reassignWatches struct {
	states   map[TopicPartition]bool // a state znode watch is armed
	requests bool                    // the /admin/reassign_partitions watch is armed
}
