package sessionch

import (
	"testing"

	"github.com/kqhq/kq/store/meta"
)

func TestNotifierKeepsLatest(t *testing.T) {
	n := New()
	n.Publish(meta.SessionConnected)
	n.Publish(meta.SessionDisconnected)
	n.Publish(meta.SessionConnected)
	if got := <-n.C(); got != meta.SessionConnected {
		t.Fatalf("got %v, want Connected", got)
	}
	select {
	case ev := <-n.C():
		t.Fatalf("unexpected second event %v", ev)
	default:
	}
}

func TestNotifierCloseDeliversLast(t *testing.T) {
	n := New()
	n.Publish(meta.SessionConnected)
	n.Close(meta.SessionExpired)
	n.Publish(meta.SessionConnected) // ignored after Close
	n.Close(0)
	if got, ok := <-n.C(); !ok || got != meta.SessionExpired {
		t.Fatalf("got %v %v, want Expired", got, ok)
	}
	if _, ok := <-n.C(); ok {
		t.Fatal("channel not closed")
	}
}
