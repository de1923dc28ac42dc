package meta

import "fmt"

// EventType says what a watch saw.
type EventType int

const (
	EventNodeCreated EventType = iota + 1
	EventNodeDeleted
	EventNodeDataChanged
	EventNodeChildrenChanged
	// EventNotWatching: the watch was dropped without seeing a change
	// because its session ended; Event.Err says why.
	EventNotWatching
)

func (t EventType) String() string {
	switch t {
	case EventNodeCreated:
		return "NodeCreated"
	case EventNodeDeleted:
		return "NodeDeleted"
	case EventNodeDataChanged:
		return "NodeDataChanged"
	case EventNodeChildrenChanged:
		return "NodeChildrenChanged"
	case EventNotWatching:
		return "NotWatching"
	}
	return fmt.Sprintf("EventType(%d)", int(t))
}

// Event is what a watch channel delivers, once.
type Event struct {
	Type EventType
	Path string
	// Err is ErrSessionExpired or ErrClosed for EventNotWatching, else nil.
	Err error
}

func (e Event) String() string {
	if e.Err != nil {
		return fmt.Sprintf("%s %s: %v", e.Type, e.Path, e.Err)
	}
	return fmt.Sprintf("%s %s", e.Type, e.Path)
}

// SessionEvent is a session state change.
type SessionEvent int

const (
	// SessionConnected: the session is established (again, after a
	// Disconnected); ephemeral nodes and watches are intact.
	SessionConnected SessionEvent = iota + 1
	// SessionDisconnected: the connection is lost but the session may
	// survive if it comes back within the session timeout. Calls may fail
	// with ErrConnectionLoss meanwhile.
	SessionDisconnected
	// SessionExpired: the session is gone, with its ephemeral nodes and
	// watches. The Store is dead; connect a new one.
	SessionExpired
)

func (e SessionEvent) String() string {
	switch e {
	case SessionConnected:
		return "Connected"
	case SessionDisconnected:
		return "Disconnected"
	case SessionExpired:
		return "Expired"
	}
	return fmt.Sprintf("SessionEvent(%d)", int(e))
}
