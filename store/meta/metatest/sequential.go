package metatest

import (
	"testing"

	"github.com/kqhq/kq/store/meta"
)

var sequentialTests = []test{
	{"SequentialNumbering", testSequentialNumbering},
	{"EphemeralSequential", testEphemeralSequential},
}

// The counter is the number of children ever created under the parent,
// so it skips numbers taken by other creations and never reuses one.
func testSequentialNumbering(t *testing.T, b Backend) {
	s := b.Connect(t)
	ctx := ctxFor(t)
	mustCreate(t, s, "/q", nil, meta.Persistent)
	steps := []struct {
		path string
		mode meta.CreateMode
		want string
	}{
		{"/q/n-", meta.PersistentSequential, "/q/n-0000000000"},
		{"/q/n-", meta.PersistentSequential, "/q/n-0000000001"},
		{"/q/plain", meta.Persistent, "/q/plain"},
		{"/q/n-", meta.PersistentSequential, "/q/n-0000000003"},
		{"/q/", meta.PersistentSequential, "/q/0000000004"},
	}
	for _, st := range steps {
		if got := mustCreate(t, s, st.path, nil, st.mode); got != st.want {
			t.Fatalf("Create(%s) = %s, want %s", st.path, got, st.want)
		}
	}
	for _, p := range []string{"/q/plain", "/q/n-0000000003"} {
		if err := s.Delete(ctx, p, meta.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	if got := mustCreate(t, s, "/q/n-", nil, meta.PersistentSequential); got != "/q/n-0000000005" {
		t.Fatalf("after deletes Create = %s, want /q/n-0000000005", got)
	}
	if _, st := mustGet(t, s, "/q"); st.Cversion != 8 || st.NumChildren != 4 {
		t.Fatalf("parent stat %+v, want Cversion 8 (6 creations + 2 deletions), 4 children", st)
	}
}

func testEphemeralSequential(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/eq", nil, meta.Persistent)
	p := mustCreate(t, s, "/eq/member-", []byte("x"), meta.EphemeralSequential)
	if p != "/eq/member-0000000000" {
		t.Fatalf("Create = %s", p)
	}
	if _, st := mustGet(t, s, p); st.EphemeralOwner != s.SessionID() {
		t.Fatalf("EphemeralOwner = %x, want session %x", st.EphemeralOwner, s.SessionID())
	}
}
