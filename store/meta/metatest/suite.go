// Package metatest is the contract suite every meta.Store implementation
// must pass, so that the embedded store and ZooKeeper behave alike. Call Run
// from the implementation's tests.
package metatest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
)

// Backend is one fresh, empty namespace of the implementation under test.
type Backend interface {
	// Connect opens a new session and registers its Close with t.Cleanup.
	Connect(t *testing.T) meta.Store
	// Expire ends s's session the way the server does when the session's
	// owner stops heartbeating, and returns once the server has done so.
	Expire(t *testing.T, s meta.Store)
}

// EventTimeout bounds every wait for a watch or session event.
const EventTimeout = 10 * time.Second

type test struct {
	name string
	fn   func(t *testing.T, b Backend)
}

// Run runs the whole contract, each test on a new Backend.
func Run(t *testing.T, newBackend func(t *testing.T) Backend) {
	var all []test
	for _, group := range [][]test{crudTests, sequentialTests, ephemeralTests, watchTests, multiTests, helperTests} {
		all = append(all, group...)
	}
	for _, tt := range all {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newBackend(t))
		})
	}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustCreate(t *testing.T, s meta.Store, path string, data []byte, mode meta.CreateMode) string {
	t.Helper()
	p, err := s.Create(ctxFor(t), path, data, mode)
	if err != nil {
		t.Fatalf("Create(%s, %s): %v", path, mode, err)
	}
	return p
}

func mustGet(t *testing.T, s meta.Store, path string) ([]byte, meta.Stat) {
	t.Helper()
	data, st, err := s.Get(ctxFor(t), path)
	if err != nil {
		t.Fatalf("Get(%s): %v", path, err)
	}
	return data, st
}

func mustSet(t *testing.T, s meta.Store, path string, data []byte, version int32) meta.Stat {
	t.Helper()
	st, err := s.Set(ctxFor(t), path, data, version)
	if err != nil {
		t.Fatalf("Set(%s, version %d): %v", path, version, err)
	}
	return st
}

func mustExist(t *testing.T, s meta.Store, path string, want bool) meta.Stat {
	t.Helper()
	st, ok, err := s.Exists(ctxFor(t), path)
	if err != nil || ok != want {
		t.Fatalf("Exists(%s) = %v, %v; want %v", path, ok, err, want)
	}
	return st
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}

// waitEvent returns the one event of a watch channel and checks that the
// channel is closed after it.
func waitEvent(t *testing.T, ch <-chan meta.Event) meta.Event {
	t.Helper()
	if ch == nil {
		t.Fatal("nil watch channel")
	}
	var ev meta.Event
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("watch channel closed without an event")
		}
		ev = e
	case <-time.After(EventTimeout):
		t.Fatalf("no watch event within %s", EventTimeout)
	}
	select {
	case e, ok := <-ch:
		if ok {
			t.Fatalf("second event %v on a one-shot watch (first %v)", e, ev)
		}
	case <-time.After(EventTimeout):
		t.Fatalf("watch channel not closed after its event %v", ev)
	}
	return ev
}

func wantEvent(t *testing.T, ch <-chan meta.Event, typ meta.EventType, path string) {
	t.Helper()
	ev := waitEvent(t, ch)
	if ev.Type != typ || ev.Path != path {
		t.Fatalf("watch event = %v, want %s %s", ev, typ, path)
	}
}

// noEventYet fails if ch already holds an event.
func noEventYet(t *testing.T, ch <-chan meta.Event) {
	t.Helper()
	select {
	case ev := <-ch:
		t.Fatalf("unexpected watch event %v", ev)
	default:
	}
}

// waitSession reads s.Session() until it reports want.
func waitSession(t *testing.T, s meta.Store, want meta.SessionEvent) {
	t.Helper()
	deadline := time.After(EventTimeout)
	for {
		select {
		case ev, ok := <-s.Session():
			if !ok {
				t.Fatalf("session channel closed before %s", want)
			}
			if ev == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %s session event within %s", want, EventTimeout)
		}
	}
}

// waitGone waits, with a watch rather than a sleep, until path is gone.
func waitGone(t *testing.T, s meta.Store, path string) {
	t.Helper()
	deadline := time.Now().Add(EventTimeout)
	for time.Now().Before(deadline) {
		_, ok, ch, err := s.ExistsW(ctxFor(t), path)
		if err != nil {
			t.Fatalf("ExistsW(%s): %v", path, err)
		}
		if !ok {
			return
		}
		select {
		case <-ch:
		case <-time.After(time.Until(deadline)):
		}
	}
	t.Fatalf("%s still exists after %s", path, EventTimeout)
}
