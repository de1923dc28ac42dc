package metatest

import (
	"testing"

	"github.com/kqhq/kq/store/meta"
)

var watchTests = []test{
	{"GetWDataChanged", testGetWDataChanged},
	{"GetWDeleted", testGetWDeleted},
	{"GetWMissing", testGetWMissing},
	{"ExistsWCreated", testExistsWCreated},
	{"ExistsWExisting", testExistsWExisting},
	{"ChildrenW", testChildrenW},
	{"ChildrenWNodeDeleted", testChildrenWNodeDeleted},
	{"WatchKindsAreSeparate", testWatchKindsSeparate},
	{"TwoWatchesOneChange", testTwoWatches},
	{"WatchFiresOnce", testWatchFiresOnce},
}

func testGetWDataChanged(t *testing.T, b Backend) {
	watcher, writer := b.Connect(t), b.Connect(t)
	mustCreate(t, writer, "/d", []byte("a"), meta.Persistent)
	data, _, ch, err := watcher.GetW(ctxFor(t), "/d")
	if err != nil || string(data) != "a" {
		t.Fatalf("GetW = %q, %v", data, err)
	}
	mustSet(t, writer, "/d", []byte("b"), 0)
	wantEvent(t, ch, meta.EventNodeDataChanged, "/d")
	if data, _ := mustGet(t, watcher, "/d"); string(data) != "b" {
		t.Fatalf("data after event = %q", data)
	}
}

func testGetWDeleted(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/d", nil, meta.Persistent)
	_, _, ch, err := s.GetW(ctxFor(t), "/d")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctxFor(t), "/d", -1); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, ch, meta.EventNodeDeleted, "/d")
}

func testGetWMissing(t *testing.T, b Backend) {
	s := b.Connect(t)
	_, _, ch, err := s.GetW(ctxFor(t), "/missing")
	wantErr(t, "GetW missing", err, meta.ErrNoNode)
	if ch != nil {
		t.Fatal("GetW on a missing node returned a watch")
	}
	_, _, ch, err = s.ChildrenW(ctxFor(t), "/missing")
	wantErr(t, "ChildrenW missing", err, meta.ErrNoNode)
	if ch != nil {
		t.Fatal("ChildrenW on a missing node returned a watch")
	}
}

func testExistsWCreated(t *testing.T, b Backend) {
	watcher, writer := b.Connect(t), b.Connect(t)
	_, ok, ch, err := watcher.ExistsW(ctxFor(t), "/later")
	if err != nil || ok {
		t.Fatalf("ExistsW = %v, %v", ok, err)
	}
	mustCreate(t, writer, "/later", nil, meta.Persistent)
	wantEvent(t, ch, meta.EventNodeCreated, "/later")
}

func testExistsWExisting(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/x", nil, meta.Persistent)
	_, ok, ch, err := s.ExistsW(ctxFor(t), "/x")
	if err != nil || !ok {
		t.Fatalf("ExistsW = %v, %v", ok, err)
	}
	mustSet(t, s, "/x", []byte("1"), -1)
	wantEvent(t, ch, meta.EventNodeDataChanged, "/x")
	_, _, ch, _ = s.ExistsW(ctxFor(t), "/x")
	if err := s.Delete(ctxFor(t), "/x", -1); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, ch, meta.EventNodeDeleted, "/x")
}

func testChildrenW(t *testing.T, b Backend) {
	watcher, writer := b.Connect(t), b.Connect(t)
	mustCreate(t, writer, "/ids", nil, meta.Persistent)
	names, _, ch, err := watcher.ChildrenW(ctxFor(t), "/ids")
	if err != nil || len(names) != 0 {
		t.Fatalf("ChildrenW = %v, %v", names, err)
	}
	mustCreate(t, writer, "/ids/1", nil, meta.Ephemeral)
	wantEvent(t, ch, meta.EventNodeChildrenChanged, "/ids")
	names, _, ch, _ = watcher.ChildrenW(ctxFor(t), "/ids")
	if !equal(names, []string{"1"}) {
		t.Fatalf("children = %v", names)
	}
	if err := writer.Delete(ctxFor(t), "/ids/1", -1); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, ch, meta.EventNodeChildrenChanged, "/ids")
}

func testChildrenWNodeDeleted(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/gone", nil, meta.Persistent)
	_, _, ch, err := s.ChildrenW(ctxFor(t), "/gone")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctxFor(t), "/gone", -1); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, ch, meta.EventNodeDeleted, "/gone")
}

// A data change does not fire a child watch and a child change does not
// fire a data watch: each watch's first event is of its own kind.
func testWatchKindsSeparate(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/p", nil, meta.Persistent)
	_, _, childCh, err := s.ChildrenW(ctxFor(t), "/p")
	if err != nil {
		t.Fatal(err)
	}
	_, _, dataCh, err := s.GetW(ctxFor(t), "/p")
	if err != nil {
		t.Fatal(err)
	}
	mustSet(t, s, "/p", []byte("data"), -1)
	wantEvent(t, dataCh, meta.EventNodeDataChanged, "/p")
	_, _, dataCh, _ = s.GetW(ctxFor(t), "/p")
	mustCreate(t, s, "/p/c", nil, meta.Persistent)
	wantEvent(t, childCh, meta.EventNodeChildrenChanged, "/p")
	mustSet(t, s, "/p", []byte("again"), -1)
	wantEvent(t, dataCh, meta.EventNodeDataChanged, "/p")
}

func testTwoWatches(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/two", nil, meta.Persistent)
	_, _, ch1, _ := s.GetW(ctxFor(t), "/two")
	_, _, ch2, _ := s.ExistsW(ctxFor(t), "/two")
	mustSet(t, s, "/two", []byte("x"), -1)
	wantEvent(t, ch1, meta.EventNodeDataChanged, "/two")
	wantEvent(t, ch2, meta.EventNodeDataChanged, "/two")
}

// After its event a watch is spent; a new one sees the next change.
func testWatchFiresOnce(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/once", nil, meta.Persistent)
	_, _, ch, _ := s.GetW(ctxFor(t), "/once")
	mustSet(t, s, "/once", []byte("1"), -1)
	mustSet(t, s, "/once", []byte("2"), -1)
	wantEvent(t, ch, meta.EventNodeDataChanged, "/once") // also checks it closes
	_, _, ch, _ = s.GetW(ctxFor(t), "/once")
	noEventYet(t, ch)
	mustSet(t, s, "/once", []byte("3"), -1)
	wantEvent(t, ch, meta.EventNodeDataChanged, "/once")
}
