package controller

import "slices"

// The arithmetic of a reassignment, as Kafka's ReplicaAssignment: the
// znode's replica list is the full set, target first, then the original
// replicas not in the target (RS = TRS ++ ORS, distinct); adding is RS
// minus ORS, removing RS minus TRS.

// origin is the replica set before the reassignment (ORS).
func (a PartitionAssignment) origin() []int32 { return without(a.Replicas, a.Adding) }

// target is the replica set the reassignment ends with (TRS).
func (a PartitionAssignment) target() []int32 { return without(a.Replicas, a.Removing) }

func (a PartitionAssignment) reassigning() bool { return len(a.Adding)+len(a.Removing) > 0 }

// reassignTo is the assignment that moves a, from its origin, to target.
// Reassigning to the origin (a cancellation, or a plain reorder) is no
// reassignment at all: the result has nothing adding or removing.
func (a PartitionAssignment) reassignTo(target []int32) PartitionAssignment {
	origin := a.origin()
	full := distinct(append(slices.Clone(target), origin...))
	return PartitionAssignment{Replicas: full, Adding: without(full, origin), Removing: without(full, target)}
}

func (a PartitionAssignment) equal(b PartitionAssignment) bool {
	return slices.Equal(a.Replicas, b.Replicas) && sameSet(a.Adding, b.Adding) && sameSet(a.Removing, b.Removing)
}

// without returns s minus the ids in drop, in s's order; never nil.
func without(s, drop []int32) []int32 {
	out := make([]int32, 0, len(s))
	for _, id := range s {
		if !slices.Contains(drop, id) {
			out = append(out, id)
		}
	}
	return out
}

func distinct(s []int32) []int32 {
	out := make([]int32, 0, len(s))
	for _, id := range s {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func subset(s, of []int32) bool {
	for _, id := range s {
		if !slices.Contains(of, id) {
			return false
		}
	}
	return true
}

func sameSet(a, b []int32) bool { return len(a) == len(b) && subset(a, b) }
