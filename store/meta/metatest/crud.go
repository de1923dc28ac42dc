package metatest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/kqhq/kq/store/meta"
)

var crudTests = []test{
	{"CreateGetSetDelete", testCreateGetSetDelete},
	{"CreateErrors", testCreateErrors},
	{"VersionChecks", testVersionChecks},
	{"ChildrenAndCversion", testChildrenAndCversion},
	{"DataSizes", testDataSizes},
	{"InvalidPaths", testInvalidPaths},
	{"Root", testRoot},
	{"CancelledContext", testCancelledContext},
	{"ConcurrentCompareAndSet", testConcurrentCAS},
}

func testCreateGetSetDelete(t *testing.T, b Backend) {
	s := b.Connect(t)
	ctx := ctxFor(t)
	if p := mustCreate(t, s, "/a", []byte("one"), meta.Persistent); p != "/a" {
		t.Fatalf("Create returned %q", p)
	}
	data, st := mustGet(t, s, "/a")
	if string(data) != "one" || st.Version != 0 || st.DataLength != 3 || st.NumChildren != 0 ||
		st.EphemeralOwner != 0 || st.Czxid == 0 || st.Czxid != st.Mzxid || st.Ctime == 0 || st.Ctime != st.Mtime {
		t.Fatalf("Get after create = %q %+v", data, st)
	}
	st2 := mustSet(t, s, "/a", []byte("two"), 0)
	if st2.Version != 1 || st2.Czxid != st.Czxid || st2.Mzxid <= st.Mzxid || st2.Mtime < st.Mtime || st2.Ctime != st.Ctime {
		t.Fatalf("Set stat = %+v (before %+v)", st2, st)
	}
	if data, st3 := mustGet(t, s, "/a"); string(data) != "two" || st3 != st2 {
		t.Fatalf("Get after set = %q %+v, want %+v", data, st3, st2)
	}
	if ex := mustExist(t, s, "/a", true); ex != st2 {
		t.Fatalf("Exists stat = %+v, want %+v", ex, st2)
	}
	if err := s.Delete(ctx, "/a", 1); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, _, err := s.Get(ctx, "/a")
	wantErr(t, "Get deleted", err, meta.ErrNoNode)
	if st := mustExist(t, s, "/a", false); st != (meta.Stat{}) {
		t.Fatalf("Exists of missing node returned stat %+v", st)
	}
}

func testCreateErrors(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/p", nil, meta.Persistent)
	mustCreate(t, s, "/p/c", nil, meta.Persistent)
	mustCreate(t, s, "/e", nil, meta.Ephemeral)
	ctx := ctxFor(t)
	tests := []struct {
		what string
		err  error
		want error
	}{
		{"create existing", second(s.Create(ctx, "/p", nil, meta.Persistent)), meta.ErrNodeExists},
		{"create existing ephemeral", second(s.Create(ctx, "/p", nil, meta.Ephemeral)), meta.ErrNodeExists},
		{"create without parent", second(s.Create(ctx, "/x/y", nil, meta.Persistent)), meta.ErrNoNode},
		{"child of ephemeral", second(s.Create(ctx, "/e/c", nil, meta.Persistent)), meta.ErrNoChildrenForEphemerals},
		{"delete not empty", s.Delete(ctx, "/p", meta.AnyVersion), meta.ErrNotEmpty},
		{"delete missing", s.Delete(ctx, "/x", meta.AnyVersion), meta.ErrNoNode},
		{"set missing", second(s.Set(ctx, "/x", nil, meta.AnyVersion)), meta.ErrNoNode},
		{"children of missing", third(s.Children(ctx, "/x")), meta.ErrNoNode},
	}
	for _, tt := range tests {
		wantErr(t, tt.what, tt.err, tt.want)
		var perr *meta.PathError
		if !errors.As(tt.err, &perr) || perr.Path == "" {
			t.Errorf("%s: error %v is not a *meta.PathError with a path", tt.what, tt.err)
		}
	}
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }

func testVersionChecks(t *testing.T, b Backend) {
	s := b.Connect(t)
	ctx := ctxFor(t)
	mustCreate(t, s, "/v", []byte("0"), meta.Persistent)
	mustSet(t, s, "/v", []byte("1"), 0)
	_, err := s.Set(ctx, "/v", []byte("stale"), 0)
	wantErr(t, "Set with stale version", err, meta.ErrBadVersion)
	if st := mustSet(t, s, "/v", []byte("2"), meta.AnyVersion); st.Version != 2 {
		t.Fatalf("Set any version: version %d, want 2", st.Version)
	}
	wantErr(t, "Delete with stale version", s.Delete(ctx, "/v", 1), meta.ErrBadVersion)
	if data, _ := mustGet(t, s, "/v"); string(data) != "2" {
		t.Fatalf("failed writes changed data to %q", data)
	}
	if err := s.Delete(ctx, "/v", 2); err != nil {
		t.Fatalf("Delete with current version: %v", err)
	}
}

func testChildrenAndCversion(t *testing.T, b Backend) {
	s := b.Connect(t)
	ctx := ctxFor(t)
	mustCreate(t, s, "/p", nil, meta.Persistent)
	for _, c := range []string{"b", "c", "a"} {
		mustCreate(t, s, "/p/"+c, nil, meta.Persistent)
	}
	names, st, err := s.Children(ctx, "/p")
	if err != nil || !equal(names, []string{"a", "b", "c"}) || st.NumChildren != 3 || st.Cversion != 3 {
		t.Fatalf("Children = %v %+v %v", names, st, err)
	}
	if err := s.Delete(ctx, "/p/b", meta.AnyVersion); err != nil {
		t.Fatal(err)
	}
	names, st2, _ := s.Children(ctx, "/p")
	// Cversion counts creations and deletions; Pzxid moves, Mzxid does not.
	if !equal(names, []string{"a", "c"}) || st2.Cversion != 4 || st2.NumChildren != 2 ||
		st2.Pzxid <= st.Pzxid || st2.Mzxid != st.Mzxid || st2.Version != 0 {
		t.Fatalf("after delete: %v %+v (before %+v)", names, st2, st)
	}
	mustCreate(t, s, "/empty", nil, meta.Persistent)
	if names, _, _ := s.Children(ctx, "/empty"); len(names) != 0 {
		t.Fatalf("Children of leaf = %v", names)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func testDataSizes(t *testing.T, b Backend) {
	s := b.Connect(t)
	big := bytes.Repeat([]byte("0123456789abcdef"), 512<<10/16)
	for _, tt := range []struct {
		path string
		data []byte
	}{{"/nil", nil}, {"/empty", []byte{}}, {"/big", big}, {"/binary", []byte{0, 0xff, '\n', 0}}} {
		mustCreate(t, s, tt.path, tt.data, meta.Persistent)
		data, st := mustGet(t, s, tt.path)
		if !bytes.Equal(data, tt.data) || int(st.DataLength) != len(tt.data) {
			t.Errorf("%s: got %d bytes (stat %d), want %d", tt.path, len(data), st.DataLength, len(tt.data))
		}
	}
	// The store keeps its own copy of what it was given.
	buf := []byte("mine")
	mustSet(t, s, "/nil", buf, meta.AnyVersion)
	buf[0] = 'X'
	if data, _ := mustGet(t, s, "/nil"); string(data) != "mine" {
		t.Fatalf("store aliases the caller's buffer: %q", data)
	}
}

func testInvalidPaths(t *testing.T, b Backend) {
	s := b.Connect(t)
	ctx := ctxFor(t)
	for _, p := range []string{"", "a", "/a/", "/a//b", "/a/./b", "/a/..", "/a\x00"} {
		wantErr(t, "Create "+p, second(s.Create(ctx, p, nil, meta.Persistent)), meta.ErrInvalidPath)
		wantErr(t, "Get "+p, third(s.Get(ctx, p)), meta.ErrInvalidPath)
		wantErr(t, "Exists "+p, third(s.Exists(ctx, p)), meta.ErrInvalidPath)
		wantErr(t, "Set "+p, second(s.Set(ctx, p, nil, -1)), meta.ErrInvalidPath)
		wantErr(t, "Delete "+p, s.Delete(ctx, p, -1), meta.ErrInvalidPath)
		wantErr(t, "Children "+p, third(s.Children(ctx, p)), meta.ErrInvalidPath)
	}
}

func testRoot(t *testing.T, b Backend) {
	s := b.Connect(t)
	ctx := ctxFor(t)
	mustExist(t, s, "/", true)
	wantErr(t, "Create /", second(s.Create(ctx, "/", nil, meta.Persistent)), meta.ErrNodeExists)
	wantErr(t, "Delete /", s.Delete(ctx, "/", meta.AnyVersion), meta.ErrBadArguments)
	mustCreate(t, s, "/top", nil, meta.Persistent)
	names, _, err := s.Children(ctx, "/")
	if err != nil || !equal(names, []string{"top"}) {
		t.Fatalf("Children(/) = %v, %v", names, err)
	}
}

func testCancelledContext(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/c", nil, meta.Persistent)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	wantErr(t, "Get", third(s.Get(ctx, "/c")), context.Canceled)
	wantErr(t, "Create", second(s.Create(ctx, "/d", nil, meta.Persistent)), context.Canceled)
	wantErr(t, "Multi", second(s.Multi(ctx, meta.DeleteOp{Path: "/c", Version: -1})), context.Canceled)
	mustExist(t, s, "/d", false)
}

// testConcurrentCAS runs the read-modify-write loop Kafka uses for
// /controller_epoch and producer-id blocks from several sessions at once.
func testConcurrentCAS(t *testing.T, b Backend) {
	const workers, increments = 4, 20
	setup := b.Connect(t)
	mustCreate(t, setup, "/counter", []byte{0}, meta.Persistent)
	sessions := make([]meta.Store, workers)
	for i := range sessions {
		sessions[i] = b.Connect(t)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for _, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- increment(ctxFor(t), s, increments)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	data, st := mustGet(t, setup, "/counter")
	if int(data[0]) != workers*increments || int(st.Version) != workers*increments {
		t.Fatalf("counter = %d at version %d, want %d", data[0], st.Version, workers*increments)
	}
}

func increment(ctx context.Context, s meta.Store, n int) error {
	for done := 0; done < n; {
		data, st, err := s.Get(ctx, "/counter")
		if err != nil {
			return err
		}
		_, err = s.Set(ctx, "/counter", []byte{data[0] + 1}, st.Version)
		if errors.Is(err, meta.ErrBadVersion) {
			continue
		}
		if err != nil {
			return err
		}
		done++
	}
	return nil
}
