package checker

import (
	"slices"
	"time"
)

// Check judges a history. It never fails: every anomaly is in the Result.
func Check(h History) Result {
	r := Result{Idempotent: h.Idempotent, Ordered: h.Ordered}
	for _, s := range h.Sends {
		if s.Err == nil {
			r.Acked++
		} else {
			r.Failed++
		}
	}
	k := index(h)
	r.Lost = lost(h, k)
	r.Duplicates = duplicates(k)
	r.Inconsistent = inconsistent(k)
	r.Reordered = reordered(h)
	r.NonMonotonic, r.Skipped = jumps(h, k)
	r.AbortedReads = abortedReads(h, k)
	r.WriteCycles, r.G1c = cycles(h, k)
	r.Unavailable, r.UnavailablePartition = unavailable(h)
	return r
}

// known is what the history says about the log, from acknowledgements and
// reads together.
type known struct {
	// values at each position, in the order first seen.
	at map[Position][]string
	// positions of each value, in the order first seen.
	of map[string][]Position
	// offsets holding a value, sorted, per partition.
	offsets map[int32][]int64
	// txnOf is the transaction that sent each value (0: none).
	txnOf map[string]int
}

func index(h History) known {
	k := known{at: map[Position][]string{}, of: map[string][]Position{}, offsets: map[int32][]int64{}, txnOf: map[string]int{}}
	add := func(v string, p Position) {
		if !slices.Contains(k.at[p], v) {
			k.at[p] = append(k.at[p], v)
		}
		if !slices.Contains(k.of[v], p) {
			k.of[v] = append(k.of[v], p)
		}
	}
	for _, s := range h.Sends {
		if s.Txn != 0 {
			k.txnOf[s.Value] = s.Txn
		}
		if s.Err == nil {
			add(s.Value, Position{s.Partition, s.Offset})
		}
	}
	for _, p := range h.Polls {
		add(p.Value, Position{p.Partition, p.Offset})
	}
	for p := range k.at {
		k.offsets[p.Partition] = append(k.offsets[p.Partition], p.Offset)
	}
	for _, offs := range k.offsets {
		slices.Sort(offs)
	}
	return k
}

// visible reports whether a value must be seen by a consumer that reads
// past it: a read_uncommitted consumer sees everything, a read_committed
// one only records outside transactions or in committed ones.
func visible(h History, k known, value string, readCommitted bool) bool {
	txn := k.txnOf[value]
	return txn == 0 || !readCommitted || h.Txns[txn] == Committed
}

// lost lists the acknowledged values no final consumer read in the
// partition they were acknowledged in: one found only in another
// partition is lost there too.
func lost(h History, k known) []Lost {
	type inPartition struct {
		value     string
		partition int32
	}
	read := map[inPartition]bool{}
	for _, p := range h.Polls {
		if len(h.Final) == 0 || slices.Contains(h.Final, p.Consumer) {
			read[inPartition{p.Value, p.Partition}] = true
		}
	}
	var out []Lost
	for _, s := range h.Sends {
		if s.Err != nil || read[inPartition{s.Value, s.Partition}] || (s.Txn != 0 && h.Txns[s.Txn] != Committed) {
			continue
		}
		out = append(out, Lost{Value: s.Value, At: Position{s.Partition, s.Offset}})
	}
	return out
}

func duplicates(k known) []Duplicate {
	var out []Duplicate
	for v, ps := range k.of {
		if len(ps) > 1 {
			out = append(out, Duplicate{Value: v, At: ps})
		}
	}
	slices.SortFunc(out, func(a, b Duplicate) int { return comparePos(a.At[0], b.At[0]) })
	return out
}

func inconsistent(k known) []Inconsistent {
	var out []Inconsistent
	for p, vs := range k.at {
		if len(vs) > 1 {
			out = append(out, Inconsistent{At: p, Values: vs})
		}
	}
	slices.SortFunc(out, func(a, b Inconsistent) int { return comparePos(a.At, b.At) })
	return out
}

// reordered walks each partition's acknowledgements in the order they
// arrived: an offset below the highest acknowledged before it is a record
// written ahead of one sent earlier.
func reordered(h History) []Reorder {
	highest := map[int32]Send{}
	var out []Reorder
	for _, s := range h.Sends {
		if s.Err != nil {
			continue
		}
		prev, seen := highest[s.Partition]
		if seen && s.Offset < prev.Offset {
			out = append(out, Reorder{Value: s.Value, At: Position{s.Partition, s.Offset},
				Earlier: prev.Value, EarlierAt: Position{prev.Partition, prev.Offset}})
			continue
		}
		highest[s.Partition] = s
	}
	return out
}

func comparePos(a, b Position) int {
	if a.Partition != b.Partition {
		return int(a.Partition - b.Partition)
	}
	return int(a.Offset - b.Offset)
}

// jumps walks each consumer's reads of each partition in order.
func jumps(h History, k known) (backward, skipped []Jump) {
	type cursor struct {
		consumer  string
		partition int32
	}
	last := map[cursor]int64{}
	for _, p := range h.Polls {
		c := cursor{p.Consumer, p.Partition}
		prev, ok := last[c]
		last[c] = p.Offset
		if !ok || p.Seek {
			continue
		}
		j := Jump{Consumer: p.Consumer, Partition: p.Partition, From: prev, To: p.Offset}
		if p.Offset <= prev {
			backward = append(backward, j)
			continue
		}
		if v, ok := missed(h, k, p.Partition, prev, p.Offset, slices.Contains(h.ReadCommitted, p.Consumer)); ok {
			j.Missed = v
			skipped = append(skipped, j)
		}
	}
	return backward, skipped
}

// missed returns a value strictly between two offsets that a consumer
// reading the partition should have returned.
func missed(h History, k known, partition int32, from, to int64, readCommitted bool) (string, bool) {
	offs := k.offsets[partition]
	i, _ := slices.BinarySearch(offs, from+1)
	for ; i < len(offs) && offs[i] < to; i++ {
		for _, v := range k.at[Position{partition, offs[i]}] {
			if visible(h, k, v, readCommitted) {
				return v, true
			}
		}
	}
	return "", false
}

func abortedReads(h History, k known) []Poll {
	var out []Poll
	for _, p := range h.Polls {
		if txn := k.txnOf[p.Value]; txn != 0 && h.Txns[txn] == Aborted && slices.Contains(h.ReadCommitted, p.Consumer) {
			out = append(out, p)
		}
	}
	return out
}

// unavailable returns the longest time between successive
// acknowledgements of one partition, and the partition.
func unavailable(h History) (time.Duration, int32) {
	acks := map[int32][]time.Time{}
	for _, s := range h.Sends {
		if s.Err == nil {
			acks[s.Partition] = append(acks[s.Partition], s.At)
		}
	}
	var longest time.Duration
	var part int32
	for p, ts := range acks {
		slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		for i := 1; i < len(ts); i++ {
			if d := ts[i].Sub(ts[i-1]); d > longest {
				longest, part = d, p
			}
		}
	}
	return longest, part
}

// UnavailableBetween is the longest time in [from, to] during which one
// partition acknowledged nothing: how long a fault kept it from taking
// writes. The edges count, so a partition that acknowledged nothing in
// the window was unavailable for all of it.
func UnavailableBetween(h History, partition int32, from, to time.Time) time.Duration {
	var ts []time.Time
	for _, s := range h.Sends {
		if s.Err == nil && s.Partition == partition {
			ts = append(ts, s.At)
		}
	}
	return LongestGap(ts, from, to)
}

// LongestGap is the longest time in [from, to] between two of the times
// ts (in any order), the window's edges counting as times: a window
// holding none of them is one gap.
func LongestGap(ts []time.Time, from, to time.Time) time.Duration {
	in := slices.DeleteFunc(slices.Clone(ts), func(at time.Time) bool { return at.Before(from) || at.After(to) })
	slices.SortFunc(in, func(a, b time.Time) int { return a.Compare(b) })
	last, longest := from, time.Duration(0)
	for _, at := range in {
		longest = max(longest, at.Sub(last))
		last = at
	}
	return max(longest, to.Sub(last))
}
