package meta

import (
	"errors"
	"fmt"
)

// The errors every Store returns, wrapped in *PathError or *MultiError.
var (
	ErrNoNode                  = errors.New("node does not exist")
	ErrNodeExists              = errors.New("node already exists")
	ErrBadVersion              = errors.New("version conflict")
	ErrNotEmpty                = errors.New("node has children")
	ErrNoChildrenForEphemerals = errors.New("ephemeral nodes may not have children")
	ErrInvalidPath             = errors.New("invalid path")
	// ErrBadArguments: the request is malformed (unknown create mode, data
	// too large, deleting the root).
	ErrBadArguments = errors.New("bad arguments")
	// ErrSessionExpired: the session is gone; the Store is dead.
	ErrSessionExpired = errors.New("session expired")
	// ErrConnectionLoss: the connection dropped before an answer came. The
	// operation may or may not have been applied; the session lives on.
	ErrConnectionLoss = errors.New("connection loss")
	// ErrClosed: the Store (or the embedded server) was closed.
	ErrClosed = errors.New("store closed")
	// ErrNoAuth: the node's ACL does not let this session do that, or the
	// session's credentials were refused (ZooKeeper with
	// zookeeper.set.acl=true).
	ErrNoAuth = errors.New("not authorized")
)

// PathError records the operation and path of a failed call.
type PathError struct {
	Op   string // "create", "get", "set", "delete", "children", "exists"
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

// NewPathError wraps err with op and path; nil stays nil.
func NewPathError(op, path string, err error) error {
	if err == nil {
		return nil
	}
	return &PathError{Op: op, Path: path, Err: err}
}

// MultiError reports the operation that made a Multi fail; nothing of the
// Multi was applied.
type MultiError struct {
	// Index of the failing op in the Multi's arguments, or -1 when the
	// backend could not tell which op failed.
	Index int
	Op    Op // nil when Index is -1
	Err   error
}

func (e *MultiError) Error() string {
	if e.Op == nil {
		return fmt.Sprintf("multi: %v", e.Err)
	}
	return fmt.Sprintf("multi op %d (%s): %v", e.Index, e.Op, e.Err)
}

func (e *MultiError) Unwrap() error { return e.Err }
