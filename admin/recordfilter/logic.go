package recordfilter

import "github.com/kqhq/kq/admin"

type andNode struct{ l, r node }

func (n andNode) match(r *record) bool { return n.l.match(r) && n.r.match(r) }

type orNode struct{ l, r node }

func (n orNode) match(r *record) bool { return n.l.match(r) || n.r.match(r) }

type notNode struct{ n node }

func (n notNode) match(r *record) bool { return !n.n.match(r) }

// record is a record being matched, with its value decoded as JSON at
// most once however many JSONPath terms look at it.
type record struct {
	*admin.Record
	decoded bool
	json    any
	isJSON  bool
}
