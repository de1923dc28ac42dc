package zkstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-zookeeper/zk"

	"github.com/kqhq/kq/store/meta"
)

// convert maps a go-zookeeper error to meta's. Unknown errors keep their
// text but not their identity, so no zk error escapes the package.
func (s *store) convert(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if e := apiError(err); e != nil {
		return e
	}
	switch {
	case errors.Is(err, zk.ErrSessionExpired):
		s.expire()
		return meta.ErrSessionExpired
	case errors.Is(err, zk.ErrConnectionClosed), errors.Is(err, zk.ErrNoServer),
		errors.Is(err, zk.ErrSessionMoved), errors.Is(err, zk.ErrClosing):
		if dead := s.usable(); dead != nil {
			return dead // the connection closed because the store ended
		}
		return meta.ErrConnectionLoss
	}
	return fmt.Errorf("zookeeper: %s", err.Error())
}

// apiError maps the errors that describe the request, not the connection.
func apiError(err error) error {
	switch {
	case errors.Is(err, zk.ErrNoNode):
		return meta.ErrNoNode
	case errors.Is(err, zk.ErrNodeExists):
		return meta.ErrNodeExists
	case errors.Is(err, zk.ErrBadVersion):
		return meta.ErrBadVersion
	case errors.Is(err, zk.ErrNotEmpty):
		return meta.ErrNotEmpty
	case errors.Is(err, zk.ErrNoChildrenForEphemerals):
		return meta.ErrNoChildrenForEphemerals
	case errors.Is(err, zk.ErrInvalidPath):
		return meta.ErrInvalidPath
	case errors.Is(err, zk.ErrBadArguments), errors.Is(err, zk.ErrInvalidFlags), errors.Is(err, zk.ErrInvalidACL):
		return meta.ErrBadArguments
	case errors.Is(err, zk.ErrNoAuth), errors.Is(err, zk.ErrAuthFailed):
		return meta.ErrNoAuth
	}
	return nil
}

func toStat(st *zk.Stat) meta.Stat {
	if st == nil {
		return meta.Stat{}
	}
	return meta.Stat{
		Czxid: st.Czxid, Mzxid: st.Mzxid, Pzxid: st.Pzxid,
		Ctime: st.Ctime, Mtime: st.Mtime,
		Version: st.Version, Cversion: st.Cversion,
		EphemeralOwner: st.EphemeralOwner,
		DataLength:     st.DataLength, NumChildren: st.NumChildren,
	}
}

// forward turns go-zookeeper's watch channel into a meta one: one event,
// then closed.
func (s *store) forward(zch <-chan zk.Event) <-chan meta.Event {
	ch := make(chan meta.Event, 1)
	go func() {
		defer close(ch)
		if ev, ok := <-zch; ok {
			ch <- s.event(ev)
			return
		}
		ch <- meta.Event{Type: meta.EventNotWatching, Err: s.deadOr(meta.ErrClosed)}
	}()
	return ch
}

func (s *store) event(ev zk.Event) meta.Event {
	out := meta.Event{Path: s.relative(ev.Path)}
	switch ev.Type {
	case zk.EventNodeCreated:
		out.Type = meta.EventNodeCreated
	case zk.EventNodeDeleted:
		out.Type = meta.EventNodeDeleted
	case zk.EventNodeDataChanged:
		out.Type = meta.EventNodeDataChanged
	case zk.EventNodeChildrenChanged:
		out.Type = meta.EventNodeChildrenChanged
	default:
		out.Type = meta.EventNotWatching
		out.Err = s.convert(ev.Err)
		if out.Err == nil || errors.Is(out.Err, meta.ErrConnectionLoss) {
			out.Err = s.deadOr(meta.ErrClosed)
		}
	}
	return out
}

// deadOr returns why the store is unusable, or fallback.
func (s *store) deadOr(fallback error) error {
	if err := s.usable(); err != nil {
		return err
	}
	return fallback
}
