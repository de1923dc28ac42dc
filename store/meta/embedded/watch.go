package embedded

import (
	"sync"

	"github.com/kqhq/kq/store/meta"
)

// watch is one registered one-shot watch. Its channel has room for the
// single event it will ever carry, so firing never blocks.
type watch struct {
	ch      chan meta.Event
	session int64
}

// watchTable holds pending watches the way a ZooKeeper server does: data
// watches (set by GetW, and by ExistsW whether or not the node exists) and
// child watches (ChildrenW), both keyed by path.
type watchTable struct {
	mu    sync.Mutex
	data  map[string][]*watch
	child map[string][]*watch
}

func newWatchTable() *watchTable {
	return &watchTable{data: map[string][]*watch{}, child: map[string][]*watch{}}
}

func (w *watchTable) addData(path string, session int64) <-chan meta.Event {
	return w.add(w.data, path, session)
}

func (w *watchTable) addChild(path string, session int64) <-chan meta.Event {
	return w.add(w.child, path, session)
}

func (w *watchTable) add(table map[string][]*watch, path string, session int64) <-chan meta.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	wt := &watch{ch: make(chan meta.Event, 1), session: session}
	table[path] = append(table[path], wt)
	return wt.ch
}

// fire delivers the events a mutation causes, with ZooKeeper's rules:
// creation and data changes fire the node's data watches, deletion fires
// its data and child watches, and creation or deletion fires the parent's
// child watches.
func (w *watchTable) fire(m mutation) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch m.kind {
	case mutCreate:
		w.trigger(w.data, m.path, meta.EventNodeCreated)
		w.trigger(w.child, meta.Parent(m.path), meta.EventNodeChildrenChanged)
	case mutSet:
		w.trigger(w.data, m.path, meta.EventNodeDataChanged)
	case mutDelete:
		w.trigger(w.data, m.path, meta.EventNodeDeleted)
		w.trigger(w.child, m.path, meta.EventNodeDeleted)
		w.trigger(w.child, meta.Parent(m.path), meta.EventNodeChildrenChanged)
	}
}

func (w *watchTable) trigger(table map[string][]*watch, path string, typ meta.EventType) {
	for _, wt := range table[path] {
		wt.ch <- meta.Event{Type: typ, Path: path}
		close(wt.ch)
	}
	delete(table, path)
}

// dropSession ends every watch of session with an EventNotWatching
// carrying why (ErrSessionExpired or ErrClosed).
func (w *watchTable) dropSession(session int64, why error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, table := range []map[string][]*watch{w.data, w.child} {
		for path, list := range table {
			table[path] = dropFrom(list, session, path, why)
			if len(table[path]) == 0 {
				delete(table, path)
			}
		}
	}
}

func dropFrom(list []*watch, session int64, path string, why error) []*watch {
	kept := list[:0]
	for _, wt := range list {
		if wt.session != session {
			kept = append(kept, wt)
			continue
		}
		wt.ch <- meta.Event{Type: meta.EventNotWatching, Path: path, Err: why}
		close(wt.ch)
	}
	return kept
}
