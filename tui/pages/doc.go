// Package pages are the TUI's views of a snapshot: brokers, topics, the
// partitions of one topic, consumer groups and their lag, and
// transactions; and the configs of a topic or a broker, which the model
// reads apart from the snapshot and puts into the page. A page turns a
// snapshot into table rows and a one-line explanation of the selected row;
// it holds no state of its own beyond what it is given, so the model can
// rebuild it on every refresh.
//
// Problems are marked by a glyph as well as a colour, so they read the same
// without colour: ⚠ for under-replicated partitions and missing replicas,
// ✖ for offline partitions and dead brokers; ⚠ too for a transaction open
// past its timeout.
package pages

import (
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
)

// Page is one view of the cluster.
type Page interface {
	// Name is the view's title in the tabs and the breadcrumb.
	Name() string
	Columns() []components.Column
	Rows(s *snapshot.Snapshot) []components.Row
	// Detail explains the selected row in words: what is wrong with it.
	Detail(s *snapshot.Snapshot, key string) components.Cell
	// Open is the page enter leads to from the row with key, if any.
	Open(s *snapshot.Snapshot, key string) (Page, bool)
	// Empty is shown instead of rows when there are none.
	Empty(s *snapshot.Snapshot) string
}

// Glyphs that mark problems.
const (
	WarnGlyph = "⚠"
	BadGlyph  = "✖"
	GoodGlyph = "●"
)
