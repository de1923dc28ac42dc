// Package sessionch holds the session-state channel both metadata-store
// backends hand out from Store.Session: it keeps only the latest state not
// yet received, so the backend never blocks on a slow reader and the
// reader always catches up with the current state.
package sessionch

import (
	"sync"

	"github.com/kqhq/kq/store/meta"
)

// Notifier publishes session events into a one-slot channel.
type Notifier struct {
	mu     sync.Mutex
	ch     chan meta.SessionEvent
	closed bool
}

// New returns a Notifier with an empty channel.
func New() *Notifier {
	return &Notifier{ch: make(chan meta.SessionEvent, 1)}
}

// C is the channel Store.Session returns.
func (n *Notifier) C() <-chan meta.SessionEvent { return n.ch }

// Publish replaces any unread event with ev. It never blocks: the only
// sender is serialised by mu, and after draining the slot is free.
func (n *Notifier) Publish(ev meta.SessionEvent) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	select {
	case n.ch <- ev:
		return
	default:
	}
	select {
	case <-n.ch:
	default:
	}
	n.ch <- ev
}

// Close publishes last (when non-zero) and closes the channel; later
// Publish and Close calls do nothing.
func (n *Notifier) Close(last meta.SessionEvent) {
	if last != 0 {
		n.Publish(last)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.closed {
		n.closed = true
		close(n.ch)
	}
}
