package partitionlog

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/kqhq/kq/store/vfs"
)

// reserve asks the file system for space only when the next entries lie
// past what is reserved, never past the mapping (a full index writes
// nothing more), and again after a trim gave blocks back.
func TestIndexReserve(t *testing.T) {
	var rules vfs.Rules
	calls := &vfs.Rule{Kinds: vfs.OpAllocate, Delay: 1} // counts, never fails
	rules.Add(calls)
	fsys := vfs.WithFaults(vfs.OS{}, &rules)
	ix, _, err := openIndexFile(fsys, filepath.Join(t.TempDir(), "0.index"), 8, 2*reserveAhead)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.close()
	if err := ix.preallocate(); err != nil {
		t.Fatal(err)
	}
	fill := func(n int) {
		for range n {
			if err := ix.reserve(1); err != nil {
				t.Fatal(err)
			}
			ix.slot()[0] = 1
			ix.publish()
		}
	}
	steps := []struct {
		name  string
		do    func()
		calls int
	}{
		{"first entry reserves 64 KiB", func() { fill(1) }, 1},
		{"the rest of those 64 KiB", func() { fill(reserveAhead/8 - 1) }, 1},
		{"the next entry, the next 64 KiB", func() { fill(1) }, 2},
		{"up to the end of the mapping", func() { fill(reserveAhead/8 - 1) }, 2},
		{"a full index asks for nothing", func() {
			if err := ix.reserve(1); err != nil {
				t.Fatal(err)
			}
		}, 2},
		{"trimmed, then grown again: reserved anew", func() {
			ix.truncate(1)
			if err := ix.trim(); err != nil {
				t.Fatal(err)
			}
			if err := ix.preallocate(); err != nil {
				t.Fatal(err)
			}
			fill(1)
		}, 3},
	}
	for _, s := range steps {
		s.do()
		if got := calls.Failed(); got != s.calls {
			t.Fatalf("%s: %d reservations, want %d", s.name, got, s.calls)
		}
	}
	calls.Stop()
	rules.Add(&vfs.Rule{Kinds: vfs.OpAllocate, Err: syscall.ENOSPC})
	if err := ix.reserve(reserveAhead); err == nil {
		t.Fatal("a reservation past what is reserved succeeded on a full disk")
	}
}
