package embedded

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/internal/sessionch"
)

const (
	stateAlive int32 = iota
	stateExpired
	stateClosed
)

// session is one client of a Server; it implements meta.Store.
type session struct {
	srv    *Server
	id     int64
	notify *sessionch.Notifier
	state  atomic.Int32
}

func newSession(s *Server, id int64) *session {
	c := &session{srv: s, id: id, notify: sessionch.New()}
	c.notify.Publish(meta.SessionConnected)
	return c
}

func (c *session) SessionID() int64                  { return c.id }
func (c *session) Session() <-chan meta.SessionEvent { return c.notify.C() }

func (c *session) Close() error {
	c.end(stateClosed)
	return nil
}

// alive reports why the session can no longer be used, if it cannot.
func (c *session) alive() error {
	switch c.state.Load() {
	case stateExpired:
		return meta.ErrSessionExpired
	case stateClosed:
		return meta.ErrClosed
	}
	return nil
}

// end closes or expires the session. Its watches are dropped first, so
// they report the session's end rather than the deletion of its own
// ephemeral nodes, which follows as one transaction.
func (c *session) end(how int32) {
	s := c.srv
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if !c.state.CompareAndSwap(stateAlive, how) {
		return
	}
	why, last := meta.ErrClosed, meta.SessionEvent(0)
	if how == stateExpired {
		why, last = meta.ErrSessionExpired, meta.SessionExpired
	}
	s.mu.Lock()
	delete(s.sessions, c.id)
	s.watches.dropSession(c.id, why)
	s.mu.Unlock()
	if muts := s.tree.ephemeralDeletes(c.id); len(muts) > 0 && s.writable() == nil {
		if _, err := s.commitTxns([][]mutation{muts}); err != nil {
			s.log.Error("could not delete the ephemeral nodes of an ended session", "session", c.id, "err", err)
		}
	}
	c.notify.Close(last)
}

// read runs fn on the node at path (nil if missing) under the read lock,
// after checking ctx, the session and the path.
func (c *session) read(ctx context.Context, op, path string, fn func(n *node) error) error {
	if err := ctx.Err(); err != nil {
		return meta.NewPathError(op, path, err)
	}
	if err := meta.ValidatePath(path); err != nil {
		return meta.NewPathError(op, path, err)
	}
	c.srv.mu.RLock()
	defer c.srv.mu.RUnlock()
	// Checked under the lock: end drops watches under the write lock, so a
	// watch registered here is either dropped by it or never registered.
	if err := c.alive(); err != nil {
		return meta.NewPathError(op, path, err)
	}
	return meta.NewPathError(op, path, fn(c.srv.tree.nodes[path]))
}

func (c *session) Get(ctx context.Context, path string) ([]byte, meta.Stat, error) {
	data, st, _, err := c.get(ctx, "get", path, false)
	return data, st, err
}

func (c *session) GetW(ctx context.Context, path string) ([]byte, meta.Stat, <-chan meta.Event, error) {
	return c.get(ctx, "getw", path, true)
}

func (c *session) get(ctx context.Context, op, path string, watch bool) ([]byte, meta.Stat, <-chan meta.Event, error) {
	var data []byte
	var st meta.Stat
	var ch <-chan meta.Event
	err := c.read(ctx, op, path, func(n *node) error {
		if n == nil {
			return meta.ErrNoNode
		}
		data, st = clone(n.data), n.stat()
		if watch {
			ch = c.srv.watches.addData(path, c.id)
		}
		return nil
	})
	return data, st, ch, err
}

func (c *session) Exists(ctx context.Context, path string) (meta.Stat, bool, error) {
	st, ok, _, err := c.exists(ctx, "exists", path, false)
	return st, ok, err
}

func (c *session) ExistsW(ctx context.Context, path string) (meta.Stat, bool, <-chan meta.Event, error) {
	return c.exists(ctx, "existsw", path, true)
}

func (c *session) exists(ctx context.Context, op, path string, watch bool) (meta.Stat, bool, <-chan meta.Event, error) {
	var st meta.Stat
	var found bool
	var ch <-chan meta.Event
	err := c.read(ctx, op, path, func(n *node) error {
		if n != nil {
			st, found = n.stat(), true
		}
		if watch {
			ch = c.srv.watches.addData(path, c.id)
		}
		return nil
	})
	return st, found, ch, err
}

func (c *session) Children(ctx context.Context, path string) ([]string, meta.Stat, error) {
	names, st, _, err := c.children(ctx, "children", path, false)
	return names, st, err
}

func (c *session) ChildrenW(ctx context.Context, path string) ([]string, meta.Stat, <-chan meta.Event, error) {
	return c.children(ctx, "childrenw", path, true)
}

func (c *session) children(ctx context.Context, op, path string, watch bool) ([]string, meta.Stat, <-chan meta.Event, error) {
	var names []string
	var st meta.Stat
	var ch <-chan meta.Event
	err := c.read(ctx, op, path, func(n *node) error {
		if n == nil {
			return meta.ErrNoNode
		}
		names, st = n.sortedChildren(), n.stat()
		if watch {
			ch = c.srv.watches.addChild(path, c.id)
		}
		return nil
	})
	return names, st, ch, err
}

func (c *session) Create(ctx context.Context, path string, data []byte, mode meta.CreateMode) (string, error) {
	res, err := c.single(ctx, meta.CreateOp{Path: path, Data: data, Mode: mode})
	return res.Path, err
}

func (c *session) Set(ctx context.Context, path string, data []byte, version int32) (meta.Stat, error) {
	res, err := c.single(ctx, meta.SetOp{Path: path, Data: data, Version: version})
	return res.Stat, err
}

func (c *session) Delete(ctx context.Context, path string, version int32) error {
	_, err := c.single(ctx, meta.DeleteOp{Path: path, Version: version})
	return err
}

// single runs one op as a transaction and reports its error as the op's
// own *meta.PathError rather than a *meta.MultiError.
func (c *session) single(ctx context.Context, op meta.Op) (meta.OpResult, error) {
	res, err := c.Multi(ctx, op)
	if merr := (*meta.MultiError)(nil); errors.As(err, &merr) {
		if merr.Index < 0 { // refused before any check: name the op here
			return meta.OpResult{}, meta.NewPathError(opName(op), op.OpPath(), merr.Err)
		}
		return meta.OpResult{}, merr.Err
	}
	if err != nil {
		return meta.OpResult{}, err
	}
	return res[0], nil
}

func (c *session) Multi(ctx context.Context, ops ...meta.Op) ([]meta.OpResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, &meta.MultiError{Index: -1, Err: err}
	}
	if err := c.alive(); err != nil {
		return nil, &meta.MultiError{Index: -1, Err: err}
	}
	return c.srv.submit(c, ops)
}

func opName(op meta.Op) string {
	switch op.(type) {
	case meta.CreateOp:
		return "create"
	case meta.SetOp:
		return "set"
	case meta.DeleteOp:
		return "delete"
	}
	return "check"
}
