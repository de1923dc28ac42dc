package meta

import (
	"context"
	"fmt"
)

// AnyVersion, given as the expected version, matches every version.
const AnyVersion int32 = -1

// CreateMode says whether a node outlives its session and whether a
// sequence number is appended to its name.
type CreateMode int

const (
	Persistent CreateMode = iota
	Ephemeral
	PersistentSequential
	EphemeralSequential
)

// IsEphemeral reports whether nodes of this mode die with their session.
func (m CreateMode) IsEphemeral() bool { return m == Ephemeral || m == EphemeralSequential }

// IsSequential reports whether this mode appends a sequence number.
func (m CreateMode) IsSequential() bool {
	return m == PersistentSequential || m == EphemeralSequential
}

func (m CreateMode) String() string {
	switch m {
	case Persistent:
		return "persistent"
	case Ephemeral:
		return "ephemeral"
	case PersistentSequential:
		return "persistent_sequential"
	case EphemeralSequential:
		return "ephemeral_sequential"
	}
	return fmt.Sprintf("CreateMode(%d)", int(m))
}

// Valid reports whether m is one of the four modes.
func (m CreateMode) Valid() bool { return m >= Persistent && m <= EphemeralSequential }

// Stat is a node's metadata, field for field ZooKeeper's.
type Stat struct {
	Czxid          int64 // transaction that created the node
	Mzxid          int64 // transaction that last set its data
	Pzxid          int64 // transaction that last added or removed a child
	Ctime          int64 // creation time, ms since the Unix epoch
	Mtime          int64 // last data change, ms since the Unix epoch
	Version        int32 // number of data changes
	Cversion       int32 // number of child additions and removals
	EphemeralOwner int64 // owning session id; 0 for persistent nodes
	DataLength     int32
	NumChildren    int32
}

// Store is one client session on the metadata tree. All methods are safe
// for concurrent use. Calls honour ctx cancellation; a write cancelled while
// in flight may or may not have been applied (as ZooKeeper's connection
// loss), so callers re-read before retrying.
type Store interface {
	// Create makes a node and returns its path, which differs from path
	// only for the sequential modes.
	Create(ctx context.Context, path string, data []byte, mode CreateMode) (string, error)
	Get(ctx context.Context, path string) ([]byte, Stat, error)
	// GetW is Get plus a watch that fires on the node's next data change
	// or deletion. No watch is set when the node does not exist.
	GetW(ctx context.Context, path string) ([]byte, Stat, <-chan Event, error)
	// Exists returns the node's Stat and true, or a zero Stat and false.
	Exists(ctx context.Context, path string) (Stat, bool, error)
	// ExistsW is Exists plus a watch: on creation when the node is missing,
	// otherwise on its next data change or deletion.
	ExistsW(ctx context.Context, path string) (Stat, bool, <-chan Event, error)
	// Set replaces the data if the node's version is version (or version is
	// AnyVersion) and returns the new Stat.
	Set(ctx context.Context, path string, data []byte, version int32) (Stat, error)
	// Delete removes a childless node if its version is version (or version
	// is AnyVersion).
	Delete(ctx context.Context, path string, version int32) error
	// Children returns the names (not paths) of the node's children, sorted.
	Children(ctx context.Context, path string) ([]string, Stat, error)
	// ChildrenW is Children plus a watch that fires when a child is added
	// or removed, or the node is deleted.
	ChildrenW(ctx context.Context, path string) ([]string, Stat, <-chan Event, error)
	// Multi applies ops atomically: all of them, or none and a *MultiError.
	// Results line up with ops.
	Multi(ctx context.Context, ops ...Op) ([]OpResult, error)
	// SessionID identifies the session; it is the EphemeralOwner of the
	// session's ephemeral nodes.
	SessionID() int64
	// Session reports connection state changes. It holds the latest state
	// not yet received (older ones are dropped), so a slow reader never
	// blocks the store and always ends up seeing the current state. It is
	// closed after Expired or Close.
	Session() <-chan SessionEvent
	// Close ends the session: its ephemeral nodes are deleted and its
	// pending watches receive EventNotWatching. Later calls return ErrClosed.
	Close() error
}
