package metatest

import (
	"errors"
	"testing"

	"github.com/kqhq/kq/store/meta"
)

var multiTests = []test{
	{"MultiApplies", testMultiApplies},
	{"MultiAllOrNothing", testMultiAllOrNothing},
	{"MultiFencedByEpoch", testMultiFenced},
	{"MultiFiresWatches", testMultiFiresWatches},
	{"MultiEmpty", testMultiEmpty},
}

func testMultiApplies(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/old", []byte("x"), meta.Persistent)
	mustCreate(t, s, "/notes", nil, meta.Persistent)
	res, err := s.Multi(ctxFor(t),
		meta.CreateOp{Path: "/t", Data: []byte("topic")},
		meta.CreateOp{Path: "/t/partitions"}, // sees the create before it
		meta.SetOp{Path: "/t", Data: []byte("v1"), Version: 0},
		meta.CheckOp{Path: "/t", Version: 1},
		meta.DeleteOp{Path: "/old", Version: 0},
		meta.CreateOp{Path: "/notes/n-", Mode: meta.PersistentSequential},
	)
	if err != nil {
		t.Fatalf("Multi: %v", err)
	}
	wantPaths := []string{"/t", "/t/partitions", "/t", "/t", "/old", "/notes/n-0000000000"}
	for i, want := range wantPaths {
		if res[i].Path != want {
			t.Errorf("result %d path = %q, want %q", i, res[i].Path, want)
		}
	}
	if res[2].Stat.Version != 1 || res[2].Stat.DataLength != 2 {
		t.Errorf("SetOp result stat = %+v", res[2].Stat)
	}
	data, st := mustGet(t, s, "/t")
	if string(data) != "v1" || st.Czxid != st.Mzxid {
		t.Errorf("/t = %q %+v: one transaction should create and set it", data, st)
	}
	mustExist(t, s, "/old", false)
}

func testMultiAllOrNothing(t *testing.T, b Backend) {
	s := b.Connect(t)
	mustCreate(t, s, "/a", []byte("a"), meta.Persistent)
	mustCreate(t, s, "/full", nil, meta.Persistent)
	mustCreate(t, s, "/full/c", nil, meta.Persistent)
	tests := []struct {
		name  string
		ops   []meta.Op
		index int
		want  error
	}{
		{"missing set", []meta.Op{meta.CreateOp{Path: "/new"}, meta.SetOp{Path: "/nope", Version: -1}}, 1, meta.ErrNoNode},
		{"bad check", []meta.Op{meta.SetOp{Path: "/a", Data: []byte("b"), Version: 0}, meta.CheckOp{Path: "/a", Version: 0}}, 1, meta.ErrBadVersion},
		{"duplicate create", []meta.Op{meta.CreateOp{Path: "/new"}, meta.CreateOp{Path: "/new"}}, 1, meta.ErrNodeExists},
		{"not empty", []meta.Op{meta.DeleteOp{Path: "/a", Version: -1}, meta.DeleteOp{Path: "/full", Version: -1}}, 1, meta.ErrNotEmpty},
		{"first op", []meta.Op{meta.CheckOp{Path: "/a", Version: 7}, meta.CreateOp{Path: "/new"}}, 0, meta.ErrBadVersion},
		{"delete then use", []meta.Op{meta.DeleteOp{Path: "/full/c", Version: -1}, meta.SetOp{Path: "/full/c", Version: -1}}, 1, meta.ErrNoNode},
	}
	for _, tt := range tests {
		_, err := s.Multi(ctxFor(t), tt.ops...)
		var merr *meta.MultiError
		if !errors.As(err, &merr) || !errors.Is(err, tt.want) || merr.Index != tt.index {
			t.Errorf("%s: error %v, want MultiError at op %d wrapping %v", tt.name, err, tt.index, tt.want)
		}
		if data, st := mustGet(t, s, "/a"); string(data) != "a" || st.Version != 0 {
			t.Fatalf("%s: /a changed to %q version %d", tt.name, data, st.Version)
		}
		mustExist(t, s, "/new", false)
		mustExist(t, s, "/full/c", true)
	}
}

// Kafka's controller guards every write with a check on the znode version
// of /controller_epoch, so a deposed controller's writes fail.
func testMultiFenced(t *testing.T, b Backend) {
	old, current := b.Connect(t), b.Connect(t)
	mustCreate(t, old, "/controller_epoch", []byte("1"), meta.Persistent)
	mustCreate(t, old, "/state", []byte("leader 1"), meta.Persistent)
	_, epochStat := mustGet(t, old, "/controller_epoch")
	mustSet(t, current, "/controller_epoch", []byte("2"), epochStat.Version)
	_, err := old.Multi(ctxFor(t),
		meta.CheckOp{Path: "/controller_epoch", Version: epochStat.Version},
		meta.SetOp{Path: "/state", Data: []byte("leader 9"), Version: -1})
	wantErr(t, "stale controller write", err, meta.ErrBadVersion)
	if data, _ := mustGet(t, current, "/state"); string(data) != "leader 1" {
		t.Fatalf("fenced write applied: %q", data)
	}
}

func testMultiFiresWatches(t *testing.T, b Backend) {
	watcher, writer := b.Connect(t), b.Connect(t)
	mustCreate(t, writer, "/m", nil, meta.Persistent)
	_, _, created, _ := watcher.ExistsW(ctxFor(t), "/m/x")
	_, _, children, _ := watcher.ChildrenW(ctxFor(t), "/m")
	_, _, data, _ := watcher.GetW(ctxFor(t), "/m")
	_, err := writer.Multi(ctxFor(t),
		meta.CreateOp{Path: "/m/x"},
		meta.SetOp{Path: "/m", Data: []byte("1"), Version: -1})
	if err != nil {
		t.Fatal(err)
	}
	wantEvent(t, created, meta.EventNodeCreated, "/m/x")
	wantEvent(t, children, meta.EventNodeChildrenChanged, "/m")
	wantEvent(t, data, meta.EventNodeDataChanged, "/m")
}

func testMultiEmpty(t *testing.T, b Backend) {
	s := b.Connect(t)
	res, err := s.Multi(ctxFor(t))
	if err != nil || len(res) != 0 {
		t.Fatalf("empty Multi = %v, %v", res, err)
	}
}
