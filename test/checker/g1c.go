package checker

import (
	"cmp"
	"slices"
)

// cycles finds cycles among committed transactions in the graph of
//
//   - write-write edges: T1 -> T2 when, in one partition's log, T2's next
//     record follows T1's (the log order is the version order), and
//   - write-read edges: T1 -> T2 when T2 consumed a record T1 wrote.
//
// Each strongly connected component of more than one transaction is one
// cycle, reported as its sorted transaction ids: G1c (circular
// information flow) when a write-read edge lies inside it, else G0 (a
// write cycle only). Kafka's transactions allow G0: two producers'
// transactions over the same partitions may land in either order in
// each. Read-write anti-dependencies (G2) are not modelled: a poll does
// not say which records a transaction did not see.
func cycles(h History, k known) (g0, g1c [][]int) {
	g, wr := graph{}, graph{}
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
					g.edge(prev, t)
				}
				prev = t
			}
		}
	}
	for _, p := range h.Polls {
		if w := k.txnOf[p.Value]; committed(w) && committed(p.Txn) && w != p.Txn {
			g.edge(w, p.Txn)
			wr.edge(w, p.Txn)
		}
	}
	for _, scc := range g.components() {
		if len(scc) < 2 {
			continue
		}
		slices.Sort(scc)
		if wr.inside(scc) {
			g1c = append(g1c, scc)
		} else {
			g0 = append(g0, scc)
		}
	}
	byFirst := func(a, b []int) int { return cmp.Compare(a[0], b[0]) }
	slices.SortFunc(g0, byFirst)
	slices.SortFunc(g1c, byFirst)
	return g0, g1c
}

// inside reports whether an edge of g joins two nodes of scc: in a
// strongly connected component every such edge lies on a cycle.
func (g graph) inside(scc []int) bool {
	for _, from := range scc {
		for _, to := range g[from] {
			if slices.Contains(scc, to) {
				return true
			}
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
