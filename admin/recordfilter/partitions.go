package recordfilter

import (
	"maps"
	"slices"
)

// Partitions returns the only partitions the filter can match, when its
// terms say (partition=0,2 and ...); ok is false when any partition may
// match. A reader skips the others without changing what matches.
func (f *Filter) Partitions() (parts []int32, ok bool) {
	set, ok := partitionsOf(f.root)
	if !ok {
		return nil, false
	}
	return slices.Sorted(maps.Keys(set)), true
}

// partitionsOf is the set of partitions n can match, or ok false for any.
func partitionsOf(n node) (map[int32]bool, bool) {
	switch n := n.(type) {
	case numberNode:
		if n.offset || (n.op != "=" && n.op != ":") {
			return nil, false
		}
		set := map[int32]bool{}
		for _, p := range n.want {
			if p >= 0 && p <= 1<<31-1 {
				set[int32(p)] = true
			}
		}
		return set, true
	case andNode:
		l, lok := partitionsOf(n.l)
		r, rok := partitionsOf(n.r)
		switch {
		case lok && rok:
			maps.DeleteFunc(l, func(p int32, _ bool) bool { return !r[p] })
			return l, true
		case lok:
			return l, true
		}
		return r, rok
	case orNode:
		l, lok := partitionsOf(n.l)
		r, rok := partitionsOf(n.r)
		if !lok || !rok {
			return nil, false
		}
		maps.Copy(l, r)
		return l, true
	}
	return nil, false
}
