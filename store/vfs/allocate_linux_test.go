package vfs

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Allocate reserves blocks inside a sparse file without changing its
// size, and a missing file is the os package's error.
func TestAllocateReservesWithoutGrowing(t *testing.T) {
	name := filepath.Join(t.TempDir(), "00.index")
	if err := WriteFile(OS{}, name, nil); err != nil {
		t.Fatal(err)
	}
	if err := (OS{}).Truncate(name, 1<<20); err != nil {
		t.Fatal(err)
	}
	if err := (OS{}).Allocate(name, 0, 64<<10); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if blocks := st.Sys().(*syscall.Stat_t).Blocks * 512; st.Size() != 1<<20 || blocks < 64<<10 {
		t.Fatalf("size %d, %d bytes allocated; want 1 MiB and at least 64 KiB", st.Size(), blocks)
	}
	if err := (OS{}).Allocate(name+".missing", 0, 1); !os.IsNotExist(err) {
		t.Fatalf("missing file: %v", err)
	}
}
