package embedded

import (
	"github.com/kqhq/kq/store/meta"
)

type mutKind byte

const (
	mutCreate mutKind = 1
	mutSet    mutKind = 2
	mutDelete mutKind = 3
)

// mutation is one change of a transaction, fully resolved: a create has
// its final (sequence-numbered) path and owner, and no checks remain.
// Replaying mutations in order rebuilds the tree.
type mutation struct {
	kind  mutKind
	path  string
	data  []byte
	owner int64 // creator session of an ephemeral node, else 0
}

// txn is what one write call commits: one zxid, one timestamp, and the
// mutations of all its ops. It is the unit of the journal.
type txn struct {
	zxid int64
	ms   int64
	muts []mutation
}

// draft is the tree as transactions in progress would leave it: the ops
// of a Multi are checked one after the other against it, so later ops see
// earlier ones, while the tree itself stays untouched until commit. A
// draft may sit on a parent draft (the calls batched before it), into
// which it is merged if all its ops pass.
type draft struct {
	t      *tree
	parent *draft
	over   map[string]*draftNode
	owner  int64 // session issuing the ops
}

// draftNode holds what the checks need to know about a node.
type draftNode struct {
	exists   bool
	version  int32
	created  int32
	children int32
	owner    int64
}

func newDraft(t *tree, owner int64) *draft {
	return &draft{t: t, over: map[string]*draftNode{}, owner: owner}
}

// child starts a draft for owner's call on top of d.
func (d *draft) child(owner int64) *draft {
	return &draft{t: d.t, parent: d, over: map[string]*draftNode{}, owner: owner}
}

// merge makes the child's changes part of its parent.
func (d *draft) merge() {
	for p, dn := range d.over {
		d.parent.over[p] = dn
	}
}

// node returns the draft's (own, copied-on-first-use) view of path.
func (d *draft) node(path string) *draftNode {
	if dn, ok := d.over[path]; ok {
		return dn
	}
	if d.parent != nil {
		dn := *d.parent.node(path)
		d.over[path] = &dn
		return &dn
	}
	dn := &draftNode{}
	if n := d.t.nodes[path]; n != nil {
		dn = &draftNode{exists: true, version: n.version, created: n.created,
			children: int32(len(n.children)), owner: n.ephemeralOwner}
	}
	d.over[path] = dn
	return dn
}

// plan is a checked transaction before commit: its mutations and, for
// each, the index of the op it came from.
type plan struct {
	muts    []mutation
	opIndex []int
	results []meta.OpResult
}

// prepare checks ops against draft d and resolves them into mutations.
// On failure it returns a *meta.MultiError for the first failing op, and
// d holds partial changes: use a child draft to be able to drop them.
func prepare(d *draft, ops []meta.Op) (plan, error) {
	p := plan{results: make([]meta.OpResult, len(ops))}
	for i, op := range ops {
		m, err := d.step(op)
		if err != nil {
			return plan{}, &meta.MultiError{Index: i, Op: op, Err: err}
		}
		p.results[i].Path = op.OpPath()
		if m.kind != 0 {
			p.results[i].Path = m.path
			p.muts = append(p.muts, m)
			p.opIndex = append(p.opIndex, i)
		}
	}
	return p, nil
}

// fill copies the Stats of committed set mutations into the results, the
// only op whose result carries a Stat (as in ZooKeeper).
func (p plan) fill(stats []meta.Stat) []meta.OpResult {
	for i, m := range p.muts {
		if m.kind == mutSet {
			p.results[p.opIndex[i]].Stat = stats[i]
		}
	}
	return p.results
}

// step checks one op in ZooKeeper's order of checks and returns its
// mutation (zero for a CheckOp).
func (d *draft) step(op meta.Op) (mutation, error) {
	switch op := op.(type) {
	case meta.CreateOp:
		return d.create(op)
	case meta.SetOp:
		return d.set(op)
	case meta.DeleteOp:
		return d.delete(op)
	case meta.CheckOp:
		return mutation{}, d.check(op)
	case *meta.CreateOp:
		return d.create(*op)
	case *meta.SetOp:
		return d.set(*op)
	case *meta.DeleteOp:
		return d.delete(*op)
	case *meta.CheckOp:
		return mutation{}, d.check(*op)
	}
	return mutation{}, meta.NewPathError("multi", op.OpPath(), meta.ErrBadArguments)
}

func (d *draft) create(op meta.CreateOp) (mutation, error) {
	fail := func(err error) (mutation, error) { return mutation{}, meta.NewPathError("create", op.Path, err) }
	if err := meta.ValidateCreatePath(op.Path, op.Mode); err != nil {
		return fail(err)
	}
	if !op.Mode.Valid() || len(op.Data) > meta.MaxDataSize {
		return fail(meta.ErrBadArguments)
	}
	if op.Path == "/" && !op.Mode.IsSequential() {
		return fail(meta.ErrNodeExists)
	}
	// A sequential path may end in "/" ("/q/" becomes "/q/0000000007"):
	// the parent is that of the completed name.
	parent := d.node(meta.Parent(op.Path + "0"))
	if !parent.exists {
		return fail(meta.ErrNoNode)
	}
	path := op.Path
	if op.Mode.IsSequential() {
		path += meta.SequenceSuffix(parent.created)
	}
	if d.node(path).exists {
		return fail(meta.ErrNodeExists)
	}
	if parent.owner != 0 {
		return fail(meta.ErrNoChildrenForEphemerals)
	}
	owner := int64(0)
	if op.Mode.IsEphemeral() {
		owner = d.owner
	}
	*d.node(path) = draftNode{exists: true, owner: owner}
	parent.created++
	parent.children++
	return mutation{kind: mutCreate, path: path, data: clone(op.Data), owner: owner}, nil
}

func (d *draft) set(op meta.SetOp) (mutation, error) {
	if err := d.existing("set", op.Path, op.Version); err != nil {
		return mutation{}, err
	}
	if len(op.Data) > meta.MaxDataSize {
		return mutation{}, meta.NewPathError("set", op.Path, meta.ErrBadArguments)
	}
	d.node(op.Path).version++
	return mutation{kind: mutSet, path: op.Path, data: clone(op.Data)}, nil
}

func (d *draft) delete(op meta.DeleteOp) (mutation, error) {
	if op.Path == "/" {
		return mutation{}, meta.NewPathError("delete", op.Path, meta.ErrBadArguments)
	}
	if err := d.existing("delete", op.Path, op.Version); err != nil {
		return mutation{}, err
	}
	if d.node(op.Path).children > 0 {
		return mutation{}, meta.NewPathError("delete", op.Path, meta.ErrNotEmpty)
	}
	*d.node(op.Path) = draftNode{}
	d.node(meta.Parent(op.Path)).children--
	return mutation{kind: mutDelete, path: op.Path}, nil
}

func (d *draft) check(op meta.CheckOp) error {
	return d.existing("check", op.Path, op.Version)
}

// existing checks that path is valid, exists, and has the expected version.
func (d *draft) existing(opName, path string, version int32) error {
	if err := meta.ValidatePath(path); err != nil {
		return meta.NewPathError(opName, path, err)
	}
	dn := d.node(path)
	if !dn.exists {
		return meta.NewPathError(opName, path, meta.ErrNoNode)
	}
	if version != meta.AnyVersion && version != dn.version {
		return meta.NewPathError(opName, path, meta.ErrBadVersion)
	}
	return nil
}

func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}
