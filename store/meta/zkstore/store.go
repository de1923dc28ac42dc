package zkstore

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-zookeeper/zk"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/internal/sessionch"
)

const (
	stateAlive int32 = iota
	stateExpired
	stateClosed
)

// store is one ZooKeeper session; it implements meta.Store.
type store struct {
	conn        atomic.Pointer[zk.Conn]
	id          atomic.Int64 // go-zookeeper forgets it on expiry; we do not
	chroot      string
	log         *slog.Logger
	notify      *sessionch.Notifier
	state       atomic.Int32
	established chan struct{} // closed at the first session
	acls        aclPolicy
	once        sync.Once
}

func (s *store) SessionID() int64                  { return s.id.Load() }
func (s *store) Session() <-chan meta.SessionEvent { return s.notify.C() }

// Close ends the session; go-zookeeper waits (up to a second) for the
// server to confirm, so the session's ephemeral nodes are gone on return.
func (s *store) Close() error {
	if s.state.CompareAndSwap(stateAlive, stateClosed) {
		s.notify.Close(0) // first: closing the connection reports Disconnected
		s.conn.Load().Close()
	}
	return nil
}

// onEvent receives go-zookeeper's session events. It runs on
// go-zookeeper's connection goroutine and must not block.
func (s *store) onEvent(ev zk.Event) {
	if ev.Type != zk.EventSession {
		return
	}
	switch ev.State {
	case zk.StateHasSession:
		s.once.Do(func() { close(s.established) })
		s.notify.Publish(meta.SessionConnected)
	case zk.StateDisconnected:
		s.notify.Publish(meta.SessionDisconnected)
	case zk.StateExpired:
		s.expire()
	}
}

// expire marks the session dead and closes the connection, so go-zookeeper
// does not silently start a fresh session with none of our ephemerals.
func (s *store) expire() {
	if !s.state.CompareAndSwap(stateAlive, stateExpired) {
		return
	}
	s.notify.Close(meta.SessionExpired)
	if c := s.conn.Load(); c != nil { // nil only before Connect stored it
		s.log.Warn("zookeeper session expired", "session", s.id.Load())
		go c.Close() // Close waits for go-zookeeper's loop: never from its callback
	}
}

// usable reports why the store can no longer be used, if it cannot.
func (s *store) usable() error {
	switch s.state.Load() {
	case stateExpired:
		return meta.ErrSessionExpired
	case stateClosed:
		return meta.ErrClosed
	}
	return nil
}

// full maps a Store path into the chroot; relative maps back.
func (s *store) full(path string) string {
	if s.chroot == "" {
		return path
	}
	if path == "/" {
		return s.chroot
	}
	return s.chroot + path
}

func (s *store) relative(full string) string {
	if s.chroot == "" {
		return full
	}
	if full == s.chroot {
		return "/"
	}
	return strings.TrimPrefix(full, s.chroot)
}

// call runs fn on the connection, returning early (with ctx's error) if
// ctx ends first; fn then finishes in the background.
func (s *store) call(ctx context.Context, fn func(c *zk.Conn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	conn := s.conn.Load()
	if ctx.Done() == nil {
		return fn(conn)
	}
	done := make(chan error, 1)
	go func() { done <- fn(conn) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// do checks the store and path, runs fn with the full path, retries once
// when a read lost its connection, and converts the error.
func (s *store) do(ctx context.Context, op, path string, read bool, fn func(c *zk.Conn, full string) error) error {
	if err := s.usable(); err != nil {
		return meta.NewPathError(op, path, err)
	}
	if err := meta.ValidatePath(path); err != nil {
		return meta.NewPathError(op, path, err)
	}
	run := func(c *zk.Conn) error { return fn(c, s.full(path)) }
	err := s.call(ctx, run)
	if read && errors.Is(err, zk.ErrConnectionClosed) {
		err = s.call(ctx, run)
	}
	return meta.NewPathError(op, path, s.convert(err))
}

func (s *store) Get(ctx context.Context, path string) ([]byte, meta.Stat, error) {
	var data []byte
	var st *zk.Stat
	err := s.do(ctx, "get", path, true, func(c *zk.Conn, full string) (err error) {
		data, st, err = c.Get(full)
		return err
	})
	if err != nil {
		return nil, meta.Stat{}, err
	}
	return data, toStat(st), nil
}

func (s *store) GetW(ctx context.Context, path string) ([]byte, meta.Stat, <-chan meta.Event, error) {
	var data []byte
	var st *zk.Stat
	var ch <-chan zk.Event
	err := s.do(ctx, "getw", path, true, func(c *zk.Conn, full string) (err error) {
		data, st, ch, err = c.GetW(full)
		return err
	})
	if err != nil {
		return nil, meta.Stat{}, nil, err
	}
	return data, toStat(st), s.forward(ch), nil
}

func (s *store) Exists(ctx context.Context, path string) (meta.Stat, bool, error) {
	var ok bool
	var st *zk.Stat
	err := s.do(ctx, "exists", path, true, func(c *zk.Conn, full string) (err error) {
		ok, st, err = c.Exists(full)
		return err
	})
	if err != nil || !ok {
		return meta.Stat{}, false, err
	}
	return toStat(st), true, nil
}

func (s *store) ExistsW(ctx context.Context, path string) (meta.Stat, bool, <-chan meta.Event, error) {
	var ok bool
	var st *zk.Stat
	var ch <-chan zk.Event
	err := s.do(ctx, "existsw", path, true, func(c *zk.Conn, full string) (err error) {
		ok, st, ch, err = c.ExistsW(full)
		return err
	})
	if err != nil {
		return meta.Stat{}, false, nil, err
	}
	if !ok {
		return meta.Stat{}, false, s.forward(ch), nil
	}
	return toStat(st), true, s.forward(ch), nil
}

func (s *store) Children(ctx context.Context, path string) ([]string, meta.Stat, error) {
	names, st, _, err := s.children(ctx, "children", path, false)
	return names, st, err
}

func (s *store) ChildrenW(ctx context.Context, path string) ([]string, meta.Stat, <-chan meta.Event, error) {
	return s.children(ctx, "childrenw", path, true)
}

func (s *store) children(ctx context.Context, op, path string, watch bool) ([]string, meta.Stat, <-chan meta.Event, error) {
	var names []string
	var st *zk.Stat
	var ch <-chan zk.Event
	err := s.do(ctx, op, path, true, func(c *zk.Conn, full string) (err error) {
		if watch {
			names, st, ch, err = c.ChildrenW(full)
		} else {
			names, st, err = c.Children(full)
		}
		return err
	})
	if err != nil {
		return nil, meta.Stat{}, nil, err
	}
	sort.Strings(names)
	var out <-chan meta.Event
	if watch {
		out = s.forward(ch)
	}
	return names, toStat(st), out, nil
}
