package metatest

import (
	"context"
	"testing"

	"github.com/kqhq/kq/store/meta"
)

var ephemeralTests = []test{
	{"SessionsDistinct", testSessionsDistinct},
	{"EphemeralGoneOnClose", testEphemeralGoneOnClose},
	{"EphemeralGoneOnExpiry", testEphemeralGoneOnExpiry},
	{"CloseEndsWatches", testCloseEndsWatches},
	{"CloseIsIdempotent", testCloseIsIdempotent},
}

func testSessionsDistinct(t *testing.T, b Backend) {
	a, c := b.Connect(t), b.Connect(t)
	if a.SessionID() == 0 || a.SessionID() == c.SessionID() {
		t.Fatalf("session ids %x and %x", a.SessionID(), c.SessionID())
	}
	waitSession(t, a, meta.SessionConnected)
}

func testEphemeralGoneOnClose(t *testing.T, b Backend) {
	owner, other := b.Connect(t), b.Connect(t)
	mustCreate(t, owner, "/brokers", nil, meta.Persistent)
	mustCreate(t, owner, "/brokers/1", []byte("me"), meta.Ephemeral)
	st := mustExist(t, other, "/brokers/1", true)
	if st.EphemeralOwner != owner.SessionID() {
		t.Fatalf("EphemeralOwner = %x, want %x", st.EphemeralOwner, owner.SessionID())
	}
	_, _, deleted, err := other.ExistsW(ctxFor(t), "/brokers/1")
	if err != nil {
		t.Fatal(err)
	}
	_, _, changed, err := other.ChildrenW(ctxFor(t), "/brokers")
	if err != nil {
		t.Fatal(err)
	}
	if err := owner.Close(); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, deleted, meta.EventNodeDeleted, "/brokers/1")
	wantEvent(t, changed, meta.EventNodeChildrenChanged, "/brokers")
	mustExist(t, other, "/brokers/1", false)
	_, _, err = owner.Get(context.Background(), "/brokers")
	wantErr(t, "Get after Close", err, meta.ErrClosed)
	mustExist(t, other, "/brokers", true)
}

func testEphemeralGoneOnExpiry(t *testing.T, b Backend) {
	owner, other := b.Connect(t), b.Connect(t)
	mustCreate(t, owner, "/controller", []byte("1"), meta.Ephemeral)
	mustCreate(t, owner, "/kept", nil, meta.Persistent)
	_, _, pending, err := owner.GetW(ctxFor(t), "/kept")
	if err != nil {
		t.Fatal(err)
	}
	_, _, deleted, err := other.ExistsW(ctxFor(t), "/controller")
	if err != nil {
		t.Fatal(err)
	}
	id := owner.SessionID()
	b.Expire(t, owner)
	wantEvent(t, deleted, meta.EventNodeDeleted, "/controller")
	waitSession(t, owner, meta.SessionExpired)
	if owner.SessionID() != id {
		t.Fatalf("SessionID changed from %x to %x on expiry", id, owner.SessionID())
	}
	if _, ok := <-owner.Session(); ok {
		t.Fatal("session channel still open after Expired")
	}
	ev := waitEvent(t, pending)
	if ev.Type != meta.EventNotWatching || ev.Path != "/kept" {
		t.Fatalf("owner's watch got %v, want NotWatching /kept", ev)
	}
	wantErr(t, "watch error", ev.Err, meta.ErrSessionExpired)
	_, _, err = owner.Get(context.Background(), "/kept")
	wantErr(t, "Get after expiry", err, meta.ErrSessionExpired)
	_, err = owner.Create(context.Background(), "/again", nil, meta.Ephemeral)
	wantErr(t, "Create after expiry", err, meta.ErrSessionExpired)
	mustExist(t, other, "/kept", true)
	if err := owner.Close(); err != nil {
		t.Fatalf("Close after expiry: %v", err)
	}
}

func testCloseEndsWatches(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/w", nil, meta.Persistent)
	_, _, ch, err := s.GetW(ctxFor(t), "/w")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ev := waitEvent(t, ch)
	if ev.Type != meta.EventNotWatching {
		t.Fatalf("watch after Close got %v", ev)
	}
	wantErr(t, "watch error", ev.Err, meta.ErrClosed)
	for range s.Session() { // drains, then ends because Close closes it
	}
}

func testCloseIsIdempotent(t *testing.T, b Backend) {
	s := b.Connect(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err := s.Multi(context.Background(), meta.CheckOp{Path: "/", Version: -1})
	wantErr(t, "Multi after Close", err, meta.ErrClosed)
}
