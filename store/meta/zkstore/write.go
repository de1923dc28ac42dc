package zkstore

import (
	"context"
	"errors"

	"github.com/go-zookeeper/zk"

	"github.com/kqhq/kq/store/meta"
)

func (s *store) Create(ctx context.Context, path string, data []byte, mode meta.CreateMode) (string, error) {
	if err := checkCreate(path, mode); err != nil {
		return "", err
	}
	target := s.full(path)
	if mode.IsSequential() && s.chroot != "" {
		target = s.chroot + path // keeps a trailing slash: "/" + suffix is "/0000000000"
	}
	var created string
	err := s.do(ctx, "create", trimSequentialSlash(path, mode), false, func(c *zk.Conn, _ string) (err error) {
		created, err = c.Create(target, data, createFlags(mode), s.acls.acl(path))
		return err
	})
	if err != nil {
		return "", rePath(err, path)
	}
	return s.relative(created), nil
}

// checkCreate rejects what the server would, before a round trip: a bad
// mode, or a path that even a sequence number cannot make valid.
func checkCreate(path string, mode meta.CreateMode) error {
	if !mode.Valid() {
		return meta.NewPathError("create", path, meta.ErrBadArguments)
	}
	return meta.NewPathError("create", path, meta.ValidateCreatePath(path, mode))
}

// trimSequentialSlash gives do a path that passes ValidatePath for a
// sequential create of "/parent/" (legal: the suffix completes it).
func trimSequentialSlash(path string, mode meta.CreateMode) string {
	if mode.IsSequential() && len(path) > 1 && path[len(path)-1] == '/' {
		return path[:len(path)-1]
	}
	return path
}

// rePath restores the caller's path in a *meta.PathError built for the
// trimmed one.
func rePath(err error, path string) error {
	var perr *meta.PathError
	if errors.As(err, &perr) {
		perr.Path = path
	}
	return err
}

func createFlags(mode meta.CreateMode) int32 {
	var flags int32
	if mode.IsEphemeral() {
		flags |= zk.FlagEphemeral
	}
	if mode.IsSequential() {
		flags |= zk.FlagSequence
	}
	return flags
}

func (s *store) Set(ctx context.Context, path string, data []byte, version int32) (meta.Stat, error) {
	var st *zk.Stat
	err := s.do(ctx, "set", path, false, func(c *zk.Conn, full string) (err error) {
		st, err = c.Set(full, data, version)
		return err
	})
	if err != nil {
		return meta.Stat{}, err
	}
	return toStat(st), nil
}

func (s *store) Delete(ctx context.Context, path string, version int32) error {
	if path == "/" { // under a chroot "/" is the chroot node itself
		return meta.NewPathError("delete", path, meta.ErrBadArguments)
	}
	return s.do(ctx, "delete", path, false, func(c *zk.Conn, full string) error {
		return c.Delete(full, version)
	})
}

func (s *store) Multi(ctx context.Context, ops ...meta.Op) ([]meta.OpResult, error) {
	if err := s.usable(); err != nil {
		return nil, &meta.MultiError{Index: -1, Err: err}
	}
	reqs := make([]any, len(ops))
	for i, op := range ops {
		req, err := s.request(op)
		if err != nil {
			return nil, &meta.MultiError{Index: i, Op: op, Err: err}
		}
		reqs[i] = req
	}
	var out []meta.OpResult
	// Results are read inside the call: after an early return on ctx, the
	// request may still be completing in the background.
	err := s.call(ctx, func(c *zk.Conn) error {
		res, err := c.Multi(reqs...)
		if err != nil {
			return s.multiError(ops, res, err)
		}
		out = s.results(ops, res)
		return nil
	})
	var merr *meta.MultiError
	if err != nil && !errors.As(err, &merr) {
		return nil, &meta.MultiError{Index: -1, Err: err} // ctx ended first
	}
	return out, err
}

// request validates op and builds go-zookeeper's request for it.
func (s *store) request(op meta.Op) (any, error) {
	switch op := deref(op).(type) {
	case meta.CreateOp:
		if err := checkCreate(op.Path, op.Mode); err != nil {
			return nil, err
		}
		target := s.full(op.Path)
		if op.Mode.IsSequential() && s.chroot != "" {
			target = s.chroot + op.Path
		}
		return &zk.CreateRequest{Path: target, Data: op.Data, Acl: s.acls.acl(op.Path), Flags: createFlags(op.Mode)}, nil
	case meta.SetOp:
		return &zk.SetDataRequest{Path: s.full(op.Path), Data: op.Data, Version: op.Version}, checkPath("set", op.Path)
	case meta.DeleteOp:
		if op.Path == "/" {
			return nil, meta.NewPathError("delete", op.Path, meta.ErrBadArguments)
		}
		return &zk.DeleteRequest{Path: s.full(op.Path), Version: op.Version}, checkPath("delete", op.Path)
	case meta.CheckOp:
		return &zk.CheckVersionRequest{Path: s.full(op.Path), Version: op.Version}, checkPath("check", op.Path)
	}
	return nil, meta.NewPathError("multi", op.OpPath(), meta.ErrBadArguments)
}

func checkPath(op, path string) error {
	return meta.NewPathError(op, path, meta.ValidatePath(path))
}

// deref accepts pointer ops as well as values.
func deref(op meta.Op) meta.Op {
	switch o := op.(type) {
	case *meta.CreateOp:
		return *o
	case *meta.SetOp:
		return *o
	case *meta.DeleteOp:
		return *o
	case *meta.CheckOp:
		return *o
	}
	return op
}

// multiError names the first op the server reported as failed; ops before
// it report success (rolled back), ops after it a runtime inconsistency.
func (s *store) multiError(ops []meta.Op, res []zk.MultiResponse, err error) error {
	for i, r := range res {
		if r.Error != nil && i < len(ops) {
			return &meta.MultiError{Index: i, Op: ops[i],
				Err: meta.NewPathError(opName(ops[i]), ops[i].OpPath(), s.convert(r.Error))}
		}
	}
	return &meta.MultiError{Index: -1, Err: s.convert(err)}
}

func (s *store) results(ops []meta.Op, res []zk.MultiResponse) []meta.OpResult {
	out := make([]meta.OpResult, len(ops))
	for i, op := range ops {
		out[i].Path = op.OpPath()
		if i >= len(res) {
			continue
		}
		if r := res[i]; r.String != "" {
			out[i].Path = s.relative(r.String)
		} else if r.Stat != nil {
			out[i].Stat = toStat(r.Stat)
		}
	}
	return out
}

func opName(op meta.Op) string {
	switch deref(op).(type) {
	case meta.CreateOp:
		return "create"
	case meta.SetOp:
		return "set"
	case meta.DeleteOp:
		return "delete"
	}
	return "check"
}
