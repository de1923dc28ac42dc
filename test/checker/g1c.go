package checker

import (
	"cmp"
	"slices"
)

// cycles finds cycles among committed transactions. Two graphs:
//
//   - write-read edges: T1 -> T2 when T2 consumed a record T1 wrote;
//   - write-write edges: T1 -> T2 when, in one partition's log, T2's next
//     record follows T1's (the log order taken as the version order).
//
// A cycle of write-read edges alone is G1c (circular information flow):
// under read_committed each transaction read the other's records only
// after it committed, which cannot hold both ways. Cycles that need a
// write-write edge are only counted: Kafka's transactions take no write
// locks, so concurrent transactions' records interleave in any order in
// each partition (Jepsen calls the pure form G0 and Kafka allows it), and
// a write-write edge between concurrent transactions says nothing about
// their isolation. Each cycle is one strongly connected component of
// more than one transaction, as its sorted ids. Read-write
// anti-dependencies (G2) are not modelled: a poll does not say which
// records a transaction did not see.
func cycles(h History, k known) (writeCycles, g1c [][]int) {
	all, wr := graph{}, graph{}
	committed := func(txn int) bool { return txn != 0 && h.Txns[txn] == Committed }
	for part, offs := range k.offsets {
		prev := 0
		for _, off := range offs {
			for _, v := range k.at[Position{part, off}] {
				t := k.txnOf[v]
				if !committed(t) || t == prev {
					continue
				}
				if prev != 0 {
					all.edge(prev, t)
				}
				prev = t
			}
		}
	}
	for _, p := range h.Polls {
		if w := k.txnOf[p.Value]; committed(w) && committed(p.Txn) && w != p.Txn {
			all.edge(w, p.Txn)
			wr.edge(w, p.Txn)
		}
	}
	g1c = wr.cycles()
	for _, c := range all.cycles() {
		if !containsAny(c, g1c) {
			writeCycles = append(writeCycles, c)
		}
	}
	return writeCycles, g1c
}

// cycles returns the graph's strongly connected components of more than
// one node, each sorted, ordered by their first node.
func (g graph) cycles() [][]int {
	var out [][]int
	for _, scc := range g.components() {
		if len(scc) > 1 {
			slices.Sort(scc)
			out = append(out, scc)
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// containsAny reports whether component c holds one of the cycles.
func containsAny(c []int, cycles [][]int) bool {
	for _, cy := range cycles {
		if slices.Contains(c, cy[0]) {
			return true
		}
	}
	return false
}

// graph is a directed graph of transaction ids.
type graph map[int][]int

func (g graph) edge(from, to int) {
	if !slices.Contains(g[from], to) {
		g[from] = append(g[from], to)
	}
	if _, ok := g[to]; !ok {
		g[to] = nil
	}
}

// components returns the strongly connected components (Tarjan's
// algorithm, iterating nodes in sorted order for a stable answer).
func (g graph) components() [][]int {
	nodes := make([]int, 0, len(g))
	for n := range g {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	t := tarjan{g: g, index: map[int]int{}, low: map[int]int{}, on: map[int]bool{}}
	for _, n := range nodes {
		if _, seen := t.index[n]; !seen {
			t.visit(n)
		}
	}
	return t.out
}

type tarjan struct {
	g          graph
	next       int
	index, low map[int]int
	on         map[int]bool
	stack      []int
	out        [][]int
}

func (t *tarjan) visit(v int) {
	t.index[v], t.low[v] = t.next, t.next
	t.next++
	t.stack = append(t.stack, v)
	t.on[v] = true
	for _, w := range t.g[v] {
		if _, seen := t.index[w]; !seen {
			t.visit(w)
			t.low[v] = min(t.low[v], t.low[w])
		} else if t.on[w] {
			t.low[v] = min(t.low[v], t.index[w])
		}
	}
	if t.low[v] != t.index[v] {
		return
	}
	var scc []int
	for {
		w := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.on[w] = false
		scc = append(scc, w)
		if w == v {
			break
		}
	}
	t.out = append(t.out, scc)
}
