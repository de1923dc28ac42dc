package embedded

import (
	"fmt"
	"sort"

	"github.com/kqhq/kq/store/meta"
)

// node is one znode. Its Stat is derived (see stat) so that the fields
// ZooKeeper computes are computed the same way here.
type node struct {
	data           []byte
	czxid, mzxid   int64
	pzxid          int64
	ctime, mtime   int64
	version        int32
	created        int32 // children ever created: the sequence counter
	ephemeralOwner int64
	children       map[string]struct{}
}

// stat reports Cversion as ZooKeeper does: it stores only the number of
// child creations and derives Cversion = 2*creations - children, which
// counts creations plus deletions.
func (n *node) stat() meta.Stat {
	return meta.Stat{
		Czxid:          n.czxid,
		Mzxid:          n.mzxid,
		Pzxid:          n.pzxid,
		Ctime:          n.ctime,
		Mtime:          n.mtime,
		Version:        n.version,
		Cversion:       2*n.created - int32(len(n.children)),
		EphemeralOwner: n.ephemeralOwner,
		DataLength:     int32(len(n.data)),
		NumChildren:    int32(len(n.children)),
	}
}

func (n *node) sortedChildren() []string {
	names := make([]string, 0, len(n.children))
	for c := range n.children {
		names = append(names, c)
	}
	sort.Strings(names)
	return names
}

// tree is the whole namespace plus an index of ephemeral nodes by owner.
// It is not synchronised; Server guards it.
type tree struct {
	nodes      map[string]*node
	ephemerals map[int64]map[string]struct{}
}

func newTree() *tree {
	root := &node{children: map[string]struct{}{}}
	return &tree{
		nodes:      map[string]*node{"/": root},
		ephemerals: map[int64]map[string]struct{}{},
	}
}

// apply performs one mutation of transaction zxid at time ms and returns
// the node's Stat afterwards (zero for a delete). An error means the
// mutation contradicts the tree: only replay of a corrupt journal gets one.
func (t *tree) apply(m mutation, zxid, ms int64) (meta.Stat, error) {
	switch m.kind {
	case mutCreate:
		return t.create(m, zxid, ms)
	case mutSet:
		return t.set(m, zxid, ms)
	case mutDelete:
		return meta.Stat{}, t.delete(m, zxid)
	}
	return meta.Stat{}, fmt.Errorf("unknown mutation kind %d", m.kind)
}

func (t *tree) create(m mutation, zxid, ms int64) (meta.Stat, error) {
	if _, ok := t.nodes[m.path]; ok || m.path == "/" {
		return meta.Stat{}, fmt.Errorf("create %s: exists", m.path)
	}
	parent := t.nodes[meta.Parent(m.path)]
	if parent == nil || parent.ephemeralOwner != 0 {
		return meta.Stat{}, fmt.Errorf("create %s: no parent to hold it", m.path)
	}
	n := &node{
		data: m.data, czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: ms, mtime: ms,
		ephemeralOwner: m.owner, children: map[string]struct{}{},
	}
	t.nodes[m.path] = n
	parent.children[meta.Base(m.path)] = struct{}{}
	parent.created++
	parent.pzxid = zxid
	if m.owner != 0 {
		t.addEphemeral(m.owner, m.path)
	}
	return n.stat(), nil
}

func (t *tree) set(m mutation, zxid, ms int64) (meta.Stat, error) {
	n := t.nodes[m.path]
	if n == nil {
		return meta.Stat{}, fmt.Errorf("set %s: missing", m.path)
	}
	n.data = m.data
	n.version++
	n.mzxid = zxid
	n.mtime = ms
	return n.stat(), nil
}

func (t *tree) delete(m mutation, zxid int64) error {
	n := t.nodes[m.path]
	if n == nil || len(n.children) > 0 || m.path == "/" {
		return fmt.Errorf("delete %s: missing, root or not empty", m.path)
	}
	delete(t.nodes, m.path)
	parent := t.nodes[meta.Parent(m.path)]
	delete(parent.children, meta.Base(m.path))
	parent.pzxid = zxid
	if n.ephemeralOwner != 0 {
		t.removeEphemeral(n.ephemeralOwner, m.path)
	}
	return nil
}

func (t *tree) addEphemeral(owner int64, path string) {
	set := t.ephemerals[owner]
	if set == nil {
		set = map[string]struct{}{}
		t.ephemerals[owner] = set
	}
	set[path] = struct{}{}
}

func (t *tree) removeEphemeral(owner int64, path string) {
	delete(t.ephemerals[owner], path)
	if len(t.ephemerals[owner]) == 0 {
		delete(t.ephemerals, owner)
	}
}

// ephemeralDeletes returns mutations deleting every ephemeral node of
// owner (every owner when owner is 0), in a fixed order.
func (t *tree) ephemeralDeletes(owner int64) []mutation {
	var paths []string
	for o, set := range t.ephemerals {
		if owner != 0 && o != owner {
			continue
		}
		for p := range set {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	muts := make([]mutation, len(paths))
	for i, p := range paths {
		muts[i] = mutation{kind: mutDelete, path: p}
	}
	return muts
}
